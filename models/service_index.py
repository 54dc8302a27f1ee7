from odoo import api, fields, models


class ServiceIndex(models.Model):
    _name = "service.index"
    _description = "Price Index"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="e.g. SYNTEC, BT47")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the index between all companies.")
    description = fields.Text(translate=True)
    value_ids = fields.One2many("service.index.value", "index_id", string="Values")
    last_value = fields.Float(compute="_compute_last_value", digits=(16, 4))
    last_value_date = fields.Date(compute="_compute_last_value")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "An index code must be unique.")]

    @api.depends("value_ids.value", "value_ids.date")
    def _compute_last_value(self):
        for index in self:
            last = index.value_ids.sorted("date")[-1:]
            index.last_value = last.value
            index.last_value_date = last.date

    def _get_value_for_month(self, month):
        """The value published for the month of ``month``, or ``None``."""
        self.ensure_one()
        start = month.replace(day=1)
        value = self.env["service.index.value"].search([("index_id", "=", self.id), ("date", "=", start)], limit=1)
        return value.value if value else None
