from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    service_forecast_horizon_months = fields.Integer(
        string="Cash Forecast Horizon",
        default=12,
        help="How many months ahead the cash forecast looks.",
    )

    @api.constrains("service_forecast_horizon_months")
    def _check_service_forecast_horizon_months(self):
        for company in self:
            if not 1 <= company.service_forecast_horizon_months <= 60:
                raise ValidationError(self.env._("The cash forecast horizon must be between 1 and 60 months."))
