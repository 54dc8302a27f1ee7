from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class ServiceDunningPolicy(models.Model):
    _name = "service.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, is_default desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_default = fields.Boolean(
        string="Default Policy",
        help="Applies to the company's customers that have no policy of their own.",
    )
    level_ids = fields.One2many("service.dunning.level", "policy_id", string="Levels", copy=True)
    auto_execute = fields.Boolean(
        string="Execute Automatically",
        help="When set on the company's default policy, the daily dunning job executes the run it computes; "
        "otherwise the run waits for a credit controller's review.",
    )
    amount_medium = fields.Monetary(
        string="Medium Amount From",
        default=1000.0,
        help="Customers owing at least this amount are in the medium segment.",
    )
    amount_large = fields.Monetary(
        string="Large Amount From",
        default=10000.0,
        help="Customers owing at least this amount are in the large segment.",
    )
    allow_skip_levels = fields.Boolean(
        string="Allow Skipping Levels",
        help="Propose the highest level an invoice's delay has reached, even if the earlier levels were never sent. "
        "Otherwise an invoice goes through the levels one after the other.",
    )
    min_days_between_levels = fields.Integer(
        string="Days Between Two Levels",
        default=7,
        help="An invoice reaches its next level only this many days after its last dunning, however late it is.",
    )
    dun_charge_invoices = fields.Boolean(
        help="Remind the customers of the invoices charging dunning fees, interest and indemnities too. "
        "Otherwise these invoices are never dunned and stay out of the reminder calendar.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _sql_constraints = [
        (
            "amount_thresholds",
            "CHECK(amount_large >= amount_medium)",
            "The large amount must not be below the medium one.",
        ),
        (
            "min_days_between_levels_positive",
            "CHECK(min_days_between_levels >= 0)",
            "The days between two dunning levels cannot be negative.",
        ),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("dunning_policy_id", "in", self.ids)], ["dunning_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.partner_count = counts.get(policy, 0)

    @api.constrains("is_default", "company_id", "active")
    def _check_single_default(self):
        for company in self.filtered("is_default").company_id:
            defaults = self.search_count([("company_id", "=", company.id), ("is_default", "=", True)])
            if defaults > 1:
                raise ValidationError(
                    self.env._("The company %(company)s already has a default dunning policy.", company=company.name)
                )

    def write(self, vals):
        res = super().write(vals)
        if {"min_days_between_levels", "dun_charge_invoices", "is_default", "active"} & set(vals):
            self._recompute_dunning_next_dates()
        return res

    def _recompute_dunning_next_dates(self):
        """Refresh the reminder dates of the open invoices of these policies' companies."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
        )
        self.env.add_to_compute(self.env["account.move"]._fields["dunning_next_date"], moves)

    def _get_sorted_levels(self):
        """The policy's levels from the first to the last."""
        self.ensure_one()
        return self.level_ids.sorted(lambda level: (level.sequence, level.days, level.id))

    @api.model
    def _get_default_policies(self, companies):
        """``{company: default policy}`` for ``companies``."""
        policies = self.search([("company_id", "in", companies.ids), ("is_default", "=", True)])
        return {policy.company_id: policy for policy in policies}

    # Demo data ----------------------------------------------------------------------------------

    @api.model
    def _create_demo_receivables(self, company, invoice_specs):
        """Give ``company`` dunning income accounts and posted, partly paid, overdue invoices.

        ``invoice_specs``: ``[(partner xmlid, product xmlid, amount, days_past_due, paid_amount,
        payment_days_past_due)]``;
        an invoice is paid ``paid_amount`` (-1: in full) on its due date plus ``payment_days_past_due`` days.
        """
        company = company.with_company(company)
        env = self.with_company(company).env
        accounts = env["account.account"].create(
            [
                {"code": "708800", "name": "Dunning fees", "account_type": "income_other"},
                {"code": "763100", "name": "Late-payment interest", "account_type": "income_other"},
                {"code": "758100", "name": "Recovery indemnities", "account_type": "income_other"},
            ]
        )
        for kind, account in zip(("fee", "interest", "indemnity"), accounts, strict=True):
            product = env.ref(f"service_management.product_dunning_{kind}").with_company(company)
            product.property_account_income_id = account
            company[f"dunning_{kind}_product_id"] = product
        today = fields.Date.context_today(self)
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": env.ref(partner).id,
                    "invoice_date": today - timedelta(days=days + 30),
                    "invoice_date_due": today - timedelta(days=days),
                    "invoice_line_ids": [Command.create({"product_id": env.ref(product).id, "price_unit": amount})],
                }
                for partner, product, amount, days, _paid, _paid_days in invoice_specs
            ]
        )
        moves.action_post()
        for move, (_partner, _product, _amount, _days, paid, paid_days) in zip(moves, invoice_specs, strict=True):
            if paid:
                env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
                    {
                        "amount": move.amount_total if paid < 0 else paid,
                        "payment_date": move.invoice_date_due + timedelta(days=paid_days),
                    }
                )._create_payments()
        moves.commercial_partner_id._compute_payer_score()
        return moves
