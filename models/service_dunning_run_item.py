from odoo import api, fields, models

from ..helpers.dunning import item_charges


class ServiceDunningRunItem(models.Model):
    _name = "service.dunning.run.item"
    _description = "Dunning Run Invoice"
    _inherit = ["service.protected.fields.mixin"]
    _order = "line_id, days_late desc, id"

    line_id = fields.Many2one("service.dunning.run.line", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    invoice_date = fields.Date(related="move_id.invoice_date")
    date_due = fields.Date(string="Due Date", required=True)
    days_late = fields.Integer(required=True)
    amount_residual = fields.Monetary(string="Amount Due")
    previous_level_id = fields.Many2one("service.dunning.level")
    level_id = fields.Many2one("service.dunning.level", string="Level Reached")
    escalated = fields.Boolean(
        string="New Level",
        help="The invoice reaches a new level in this run; the others are only recalled on the letter.",
    )
    interest_from = fields.Date(required=True)
    is_charge = fields.Boolean(string="Dunning Charge Invoice")
    effective_level_id = fields.Many2one(
        "service.dunning.level",
        compute="_compute_effective_level_id",
        store=True,
        string="Level Applied",
        help="The level reached, capped at the level the controller chose for the customer.",
    )
    interest_days = fields.Integer(compute="_compute_charges", store=True)
    interest_amount = fields.Monetary(string="Interest", compute="_compute_charges", store=True)
    indemnity_amount = fields.Monetary(string="Indemnity", compute="_compute_charges", store=True)

    # what the run's computation found: nobody changes it by hand
    _service_protected_fields = (
        "line_id",
        "move_id",
        "date_due",
        "days_late",
        "amount_residual",
        "previous_level_id",
        "level_id",
        "escalated",
        "interest_from",
        "is_charge",
        "effective_level_id",
        "interest_days",
        "interest_amount",
        "indemnity_amount",
    )

    _sql_constraints = [
        ("line_move_unique", "UNIQUE(line_id, move_id)", "An invoice appears once per customer in a run."),
    ]

    @api.depends("level_id", "escalated", "line_id.level_id")
    def _compute_effective_level_id(self):
        for item in self:
            level, cap = item.level_id, item.line_id.level_id
            if not item.escalated or not level:
                item.effective_level_id = False
            elif cap and (cap.sequence, cap.days) < (level.sequence, level.days):
                item.effective_level_id = cap
            else:
                item.effective_level_id = level

    @api.depends("effective_level_id", "amount_residual", "interest_from", "line_id.run_id.date", "is_charge")
    def _compute_charges(self):
        for item in self:
            level = item.effective_level_id
            company = item.line_id.company_id
            chargeable = bool(level) and not item.is_charge
            item.interest_days, item.interest_amount, item.indemnity_amount = item_charges(
                chargeable,
                level.apply_interest,
                level.apply_indemnity,
                (item.line_id.run_id.date - item.interest_from).days if chargeable else 0,
                item.amount_residual,
                company.dunning_interest_rate,
                0.0 if item.move_id.dunning_indemnity_charged else company.dunning_indemnity_amount,
            )
