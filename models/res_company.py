from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_own_warranty_months = fields.Integer(
        string="Own Warranty (months)",
        default=12,
        help="Length of the warranty the company gives on the equipment it commissions. 0 gives none.",
    )
