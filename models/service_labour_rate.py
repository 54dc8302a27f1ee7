from odoo import fields, models

from odoo.addons.service_management.models.service_intervention import INTERVENTION_TYPES


class ServiceLabourRate(models.Model):
    """The service product, hence the hourly rate, charged for the time of each type of intervention."""

    _name = "service.labour.rate"
    _description = "Labour Rate"
    _order = "company_id, intervention_type"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    intervention_type = fields.Selection(INTERVENTION_TYPES, required=True)
    product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Its sales price (or the contract's pricelist price) is the hourly rate.",
    )
    price_unit = fields.Float(related="product_id.lst_price", string="Hourly Rate")

    _sql_constraints = [
        (
            "company_type_uniq",
            "unique(company_id, intervention_type)",
            "There is one labour rate per type of intervention and company.",
        ),
    ]
