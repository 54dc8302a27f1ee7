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
        return self._get_values_by_month({(self.id, start)}).get((self.id, start))

    @api.model
    def _get_values_by_month(self, keys):
        """``{(index id, month's first day): value}`` of the values published for ``keys`` (pairs of the same),
        read in one query."""
        if not keys:
            return {}
        values = self.env["service.index.value"].search_fetch(
            [
                ("index_id", "in", list({index_id for index_id, __ in keys})),
                ("date", "in", list({month for __, month in keys})),
            ],
            ["index_id", "date", "value"],
        )
        return {(value.index_id.id, value.date): value.value for value in values}
