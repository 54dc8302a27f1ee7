from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_management.helpers import rpc


class ServiceIndexValue(models.Model):
    _name = "service.index.value"
    _description = "Price Index Value"
    _order = "index_id, date desc"

    index_id = fields.Many2one("service.index", required=True, ondelete="cascade", index=True)
    date = fields.Date(string="Month", required=True, help="The month the value is for (its first day is kept).")
    value = fields.Float(required=True, digits=(16, 4))

    _sql_constraints = [("index_date_uniq", "unique(index_id, date)", "An index has one value per month.")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date"):
                vals["date"] = rpc.to_date(self.env, vals["date"], self.env._("The month")).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("date"):
            vals = dict(vals, date=rpc.to_date(self.env, vals["date"], self.env._("The month")).replace(day=1))
        return super().write(vals)

    @api.constrains("value")
    def _check_value(self):
        if any(value.value <= 0 for value in self):
            raise ValidationError(self.env._("An index value must be positive."))
