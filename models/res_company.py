from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_own_warranty_months = fields.Integer(
        string="Own Warranty (months)",
        default=12,
        help="Length of the warranty the company gives on the equipment it commissions. 0 gives none.",
    )
    service_preventive_horizon_days = fields.Integer(
        string="Preventive Horizon (days)",
        default=60,
        help="How far ahead the preventive visits of contracts are created as interventions.",
    )
