from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_own_warranty_months = fields.Integer(
        related="company_id.service_own_warranty_months",
        readonly=False,
    )
    service_preventive_horizon_days = fields.Integer(
        related="company_id.service_preventive_horizon_days",
        readonly=False,
    )
