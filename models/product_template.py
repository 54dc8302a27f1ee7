from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_service_spare_part = fields.Boolean(
        string="Spare Part",
        help="Technicians can pick this product as a part used on an intervention.",
    )
