from odoo import api, fields, models
from odoo.exceptions import ValidationError

MANUAL_RECURRENCES = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]


class ServiceForecastManual(models.Model):
    """A cash flow the CFO knows of and no document carries yet: rent, salaries, a loan, a tax payment."""

    _name = "service.forecast.manual"
    _description = "Manual Cash Forecast Line"
    _order = "date_start, id"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    direction = fields.Selection([("in", "Inflow"), ("out", "Outflow")], required=True, default="out")
    amount = fields.Monetary(required=True, help="The amount of each occurrence, positive.")
    date_start = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    recurrence = fields.Selection(MANUAL_RECURRENCES, help="Leave empty for a one-off flow.")
    date_end = fields.Date(string="Until", help="Last date of a recurring flow; empty repeats it over the horizon.")
    active = fields.Boolean(default=True)
    note = fields.Char()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount of a manual forecast line must be positive."),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for line in self:
            if line.date_end and line.date_end < line.date_start:
                raise ValidationError(
                    self.env._("%(line)s: the end date cannot be before the start date.", line=line.name)
                )

    def unlink(self):
        # the forecast table has no foreign keys: forget the flows of deleted lines at once
        self.env.cr.execute("DELETE FROM service_forecast_line WHERE manual_id = ANY(%s)", [self.ids])
        return super().unlink()

    def _get_signed_amount(self):
        self.ensure_one()
        return self.amount if self.direction == "in" else -self.amount
