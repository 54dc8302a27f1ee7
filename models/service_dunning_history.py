from odoo import api, fields, models
from odoo.exceptions import AccessError


class ServiceDunningHistory(models.Model):
    _name = "service.dunning.history"
    _description = "Dunning History"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    run_id = fields.Many2one("service.dunning.run", string="Dunning Run", ondelete="set null", index="btree_not_null")
    level_id = fields.Many2one("service.dunning.level", required=True, ondelete="restrict")
    date = fields.Date(required=True)
    days_late = fields.Integer()
    amount_residual = fields.Monetary(string="Amount Due")
    interest_amount = fields.Monetary(string="Interest")
    indemnity_amount = fields.Monetary(string="Indemnity")
    channels = fields.Char()
    charge_move_id = fields.Many2one("account.move", string="Charge Invoice", ondelete="set null")

    _sql_constraints = [
        ("move_level_unique", "UNIQUE(move_id, level_id)", "An invoice reaches each dunning level only once."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_code()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_code()
        return super().write(vals)

    def unlink(self):
        self._check_written_by_code()
        return super().unlink()

    def _check_written_by_code(self):
        """The history is what was sent to the customers: only the dunning run records it, nobody edits it."""
        if not self.env.su:
            raise AccessError(self.env._("The dunning history records what was sent: it cannot be changed."))

    def init(self):
        # The recovery indemnity is due once per invoice, whatever the concurrent runs.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS service_dunning_history_indemnity_once
                ON service_dunning_history (move_id) WHERE indemnity_amount > 0
            """
        )
