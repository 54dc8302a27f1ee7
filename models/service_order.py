from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_management.helpers import text


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = ["mail.thread", "service.protected.fields.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # whether all its visits are done, which lets the billing invoice it: computed only
    _service_protected_fields = ("is_done",)

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, check_company=True, domain="[('parent_id', '=', False)]"
    )
    contract_id = fields.Many2one("service.contract", check_company=True, domain="[('partner_id', '=', partner_id)]")
    intervention_ids = fields.One2many("service.intervention", "service_order_id", string="Interventions")
    intervention_count = fields.Integer(compute="_compute_counts")
    done_count = fields.Integer(compute="_compute_counts")
    is_done = fields.Boolean(
        compute="_compute_is_done",
        store=True,
        string="All Done",
        help="At least one intervention is done and none is left to do (cancelled ones do not count).",
    )

    @api.depends("intervention_ids.state")
    def _compute_counts(self):
        for order in self:
            order.intervention_count = len(order.intervention_ids)
            order.done_count = len(order.intervention_ids.filtered(lambda i: i.state == "done"))

    @api.depends("intervention_ids.state")
    def _compute_is_done(self):
        for order in self:
            states = set(order.intervention_ids.mapped("state"))
            order.is_done = "done" in states and states <= {"done", "cancelled"}

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._clean_text_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._clean_text_vals(vals))

    @api.model
    def _clean_text_vals(self, vals):
        vals = text.clean_vals(vals, ("name",))
        if "name" in vals and not vals["name"]:
            raise ValidationError(self.env._("Give the service order a name."))
        return vals
