from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_forecast_horizon_months = fields.Integer(
        related="company_id.service_forecast_horizon_months",
        readonly=False,
    )
