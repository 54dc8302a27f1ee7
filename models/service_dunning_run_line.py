from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..helpers.dunning import AGE_BUCKETS, age_bucket, amount_segment


class ServiceDunningRunLine(models.Model):
    _name = "service.dunning.run.line"
    _description = "Dunning Run Customer"
    _inherit = ["service.protected.fields.mixin", "service.mail.batch.mixin"]
    _order = "max_days_late desc, amount_due desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    # what the run's computation and execution write; the status changes through Exclude, Include and Postpone
    _service_protected_fields = ("run_id", "partner_id", "policy_id", "proposed_level_id", "item_ids", "charge_move_id")

    run_id = fields.Many2one("service.dunning.run", required=True, ondelete="cascade", index=True)
    run_date = fields.Date(related="run_id.date", store=True, string="Run Date")
    run_state = fields.Selection(related="run_id.state", string="Run Status")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    payer_grade = fields.Selection(related="partner_id.payer_grade")
    policy_id = fields.Many2one("service.dunning.policy", required=True, check_company=True)
    proposed_level_id = fields.Many2one("service.dunning.level", readonly=True)
    level_id = fields.Many2one(
        "service.dunning.level",
        required=True,
        domain="[('policy_id', '=', policy_id)]",
        help="Level of the communication sent to the customer; proposed as the highest level reached.",
    )
    state = fields.Selection(
        [("to_do", "To Do"), ("excluded", "Excluded"), ("postponed", "Postponed"), ("done", "Done")],
        default="to_do",
        required=True,
    )
    postpone_date = fields.Date(string="Postpone Until")
    item_ids = fields.One2many("service.dunning.run.item", "line_id", string="Invoices")
    invoice_count = fields.Integer(compute="_compute_amounts", store=True, string="Invoices Count")
    max_days_late = fields.Integer(string="Days Late", compute="_compute_amounts", store=True)
    age_bucket = fields.Selection(AGE_BUCKETS, compute="_compute_amounts", store=True)
    amount_due = fields.Monetary(compute="_compute_amounts", store=True)
    amount_segment = fields.Selection(
        [("small", "Small"), ("medium", "Medium"), ("large", "Large")],
        compute="_compute_amounts",
        store=True,
    )
    interest_amount = fields.Monetary(string="Interest", compute="_compute_amounts", store=True)
    indemnity_amount = fields.Monetary(string="Indemnities", compute="_compute_amounts", store=True)
    fee_amount = fields.Monetary(string="Fee", compute="_compute_amounts", store=True)
    charges_amount = fields.Monetary(string="Charges", compute="_compute_amounts", store=True)
    total_amount = fields.Monetary(string="Total Claimed", compute="_compute_amounts", store=True)
    channels = fields.Char(compute="_compute_channels")
    invoice_summary = fields.Char(
        string="Overdue Invoices",
        compute="_compute_invoice_summary",
        help="The customer's overdue invoices in this run, with their days late.",
    )
    charge_move_id = fields.Many2one("account.move", string="Charge Invoice", readonly=True, check_company=True)
    note = fields.Char()

    _sql_constraints = [
        ("run_partner_unique", "UNIQUE(run_id, partner_id)", "A customer gets one communication per dunning run."),
    ]

    @api.depends(
        "item_ids.amount_residual",
        "item_ids.days_late",
        "item_ids.interest_amount",
        "item_ids.indemnity_amount",
        "level_id",
        "policy_id.amount_medium",
        "policy_id.amount_large",
    )
    def _compute_amounts(self):
        for line in self:
            items = line.item_ids
            line.invoice_count = len(items)
            line.max_days_late = max(items.mapped("days_late"), default=0)
            line.age_bucket = age_bucket(line.max_days_late)
            line.amount_due = sum(items.mapped("amount_residual"))
            line.amount_segment = amount_segment(
                line.amount_due, line.policy_id.amount_medium, line.policy_id.amount_large
            )
            line.interest_amount = sum(items.mapped("interest_amount"))
            line.indemnity_amount = sum(items.mapped("indemnity_amount"))
            line.fee_amount = line.level_id._get_fee_amount() if line.level_id else 0.0
            line.charges_amount = line.fee_amount + line.interest_amount + line.indemnity_amount
            line.total_amount = line.amount_due + line.charges_amount

    @api.depends("level_id")
    def _compute_channels(self):
        for line in self:
            line.channels = ", ".join(line.level_id._get_channel_labels()) if line.level_id else ""

    @api.depends("item_ids.move_id", "item_ids.days_late")
    def _compute_invoice_summary(self):
        for line in self:
            line.invoice_summary = ", ".join(
                self.env._("%(invoice)s (%(days)s d)", invoice=item.move_id.name, days=item.days_late)
                for item in line.item_ids.sorted(lambda item: (-item.days_late, item.id))
            )

    @api.constrains("level_id", "policy_id")
    def _check_level_policy(self):
        for line in self:
            if line.level_id.policy_id != line.policy_id:
                raise ValidationError(
                    self.env._(
                        "%(level)s is not a level of %(policy)s, the dunning policy of %(customer)s.",
                        level=line.level_id.display_name,
                        policy=line.policy_id.display_name,
                        customer=line.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_code_write() and any(vals.get("state", "to_do") != "to_do" for vals in vals_list):
            raise UserError(self.env._("A customer of a dunning run changes status through its buttons only."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self._is_code_write():
            raise UserError(self.env._("A customer of a dunning run changes status through its buttons only."))
        if {"level_id", "state", "postpone_date"} & set(vals) and any(
            line.run_id.state in ("executing", "done") for line in self
        ):
            raise UserError(self.env._("This dunning run is done: its customers cannot change any more."))
        if vals.get("postpone_date") and "state" not in vals:
            vals["state"] = "postponed"
        return super().write(vals)

    def _mark_executed(self):
        """Mark these customers as dunned; only the run's execution does it, while the run is locked for users."""
        return super().write({"state": "done"})

    def action_exclude(self):
        self._with_code_write().write({"state": "excluded"})
        return True

    def action_include(self):
        self._with_code_write().write({"state": "to_do", "postpone_date": False})
        return True

    def action_preview_letter(self):
        """Open this customer's letter, as it will be printed, in the browser."""
        self.ensure_one()
        action = self.env.ref("service_management.action_report_service_dunning_letter").report_action(self)
        action["report_type"] = "qweb-html"
        return action

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def _get_letter_bank_account(self):
        """The company's bank account printed on the letter: its first bank journal's, else its own first one."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", "bank"),
                ("bank_account_id", "!=", False),
            ],
            limit=1,
        )
        return journal.bank_account_id or self.company_id.partner_id.bank_ids[:1]

    def _get_letter_bank_accounts(self):
        """``{company: bank account}`` printed on the letters of these lines, one search per company."""
        return {
            company: self.filtered(lambda line, c=company: line.company_id == c)[:1]._get_letter_bank_account()
            for company in self.company_id
        }

    def _get_letter_payment_reference(self):
        """What the customer writes on his transfer: the invoices' payment references."""
        self.ensure_one()
        moves = self.item_ids.move_id
        return ", ".join(move.payment_reference or move.name for move in moves)

    def _get_letter_salutation(self):
        """``Dear Sir or Madam,`` or ``Dear Mr Martin,`` in the customer's language."""
        self.ensure_one()
        contact = self.partner_id
        if contact.is_company or not contact.title:
            return self.env._("Dear Sir or Madam,")
        return self.env._(
            "Dear %(title)s %(name)s,", title=contact.title.shortcut or contact.title.name, name=contact.name
        )

    def _get_legal_mentions(self):
        """The French legal mentions printed on letters (art. L441-10 of the Code de commerce)."""
        self.ensure_one()
        company = self.company_id
        rate = format(company.dunning_interest_rate, ".2f") + " %"
        return self.env._(
            "In accordance with article L441-10 of the French Commercial Code, any amount not paid by its due date "
            "bears late-payment penalties at the annual rate of %(rate)s, from the day after the due date, "
            "and a fixed indemnity for recovery costs of %(indemnity)s per invoice.",
            rate=rate,
            indemnity=company.currency_id.format(company.dunning_indemnity_amount),
        )
