from odoo import fields, models


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

    def init(self):
        # The recovery indemnity is due once per invoice, whatever the concurrent runs.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS service_dunning_history_indemnity_once
                ON service_dunning_history (move_id) WHERE indemnity_amount > 0
            """
        )
