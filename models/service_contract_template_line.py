from odoo import fields, models

from odoo.addons.service_management.models.service_contract_line import COVERAGE
from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS


class ServiceContractTemplateLine(models.Model):
    _name = "service.contract.template.line"
    _description = "Service Contract Template Line"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("service.contract.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", string="Service", required=True, domain="[('type', '=', 'service')]"
    )
    name = fields.Text(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    price_unit = fields.Float(
        string="Unit Price", digits="Product Price", help="Leave empty to take the catalog price.", groups=PRICE_GROUPS
    )
    cover_labour = fields.Selection(COVERAGE, string="Labour", default="included", required=True)
    cover_travel = fields.Selection(COVERAGE, string="Travel", default="included", required=True)
    cover_parts = fields.Selection(COVERAGE, string="Parts", default="billable", required=True)
    visits_per_year = fields.Integer(string="Visits per Year")
    preferred_months = fields.Char()

    def _prepare_contract_line_vals(self):
        self.ensure_one()
        vals = {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "quantity": self.quantity,
            "cover_labour": self.cover_labour,
            "cover_travel": self.cover_travel,
            "cover_parts": self.cover_parts,
            "visits_per_year": self.visits_per_year,
            "preferred_months": self.preferred_months,
        }
        if self.name:
            vals["name"] = self.name
        if self.price_unit:
            vals["price_unit"] = self.price_unit
        return vals
