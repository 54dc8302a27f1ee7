from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round, format_amount

from ..helpers.dunning import PAYER_GRADES, age_bucket, payer_grade
from .service_protected_fields_mixin import check_protected_fields

STATEMENT_AGE_KEYS = ("not_due", "0_30", "31_60", "61_90", "90_plus")
# the payer score is the application's judgement from the ledger, never typed in
PROTECTED_FIELDS = (
    "payer_grade",
    "payer_days_late",
    "payer_late_share",
    "payer_overdue_amount",
    "payer_score_date",
    "service_total_invoiced",
    "service_total_paid",
    "service_total_unpaid",
    "service_total_overdue",
)
# the payer score, written by ``_compute_payer_score`` only
PAYER_SCORE_FIELDS = ("payer_grade", "payer_days_late", "payer_late_share", "payer_overdue_amount", "payer_score_date")


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "service.dunning.policy",
        help="Policy of this customer; empty: the default policy of the invoice's company.",
    )
    dunning_blocked = fields.Boolean(string="Blocked from Dunning", tracking=True)
    dunning_block_reason = fields.Char(string="Block Reason", tracking=True)
    dunning_blocked_by_id = fields.Many2one("res.users", string="Blocked By", readonly=True)
    dunning_blocked_date = fields.Date(string="Blocked On", readonly=True)
    dunning_paused_until = fields.Date(
        string="Dunning Postponed Until",
        tracking=True,
        help="No dunning of this customer before this date.",
    )
    dunning_agency_partner_id = fields.Many2one(
        "res.partner",
        string="Handed Off To",
        readonly=True,
        tracking=True,
    )
    dunning_agency_date = fields.Date(string="Handed Off On", readonly=True)
    dunning_promise_ids = fields.One2many("service.dunning.promise", "partner_id", string="Promises to Pay")

    payer_grade = fields.Selection(PAYER_GRADES, readonly=True, help="Computed from the customer's payment history.")
    payer_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        help="Average delay of payment after the due date of the settled invoices, weighted by amount.",
    )
    payer_late_share = fields.Float(
        string="Paid Late (%)",
        digits=(16, 1),
        readonly=True,
        help="Share of the settled invoices paid after their due date.",
    )
    payer_overdue_amount = fields.Float(
        string="Overdue Amount",
        digits="Account",
        readonly=True,
        help="Amount of the invoices past their due date when the score was computed.",
    )
    payer_score_date = fields.Date(string="Score Computed On", readonly=True)

    service_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_service_receivable_totals",
        string="Receivable Currency",
        help="The currency of the customer's invoices; with several, the company's currency.",
    )
    service_total_invoiced = fields.Monetary(
        compute="_compute_service_receivable_totals",
        currency_field="service_currency_id",
        string="Invoiced",
        help="Posted customer invoices less credit notes, taxes included, in the receivable currency.",
    )
    service_total_paid = fields.Monetary(
        compute="_compute_service_receivable_totals", currency_field="service_currency_id", string="Paid"
    )
    service_total_unpaid = fields.Monetary(
        compute="_compute_service_receivable_totals", currency_field="service_currency_id", string="Unpaid"
    )
    service_total_overdue = fields.Monetary(
        compute="_compute_service_receivable_totals",
        currency_field="service_currency_id",
        string="Overdue",
        help="What is still due on the invoices past their due date.",
    )
    service_receivable_multi_currency = fields.Boolean(
        compute="_compute_service_receivable_totals", string="Several Receivable Currencies"
    )
    service_receivable_summary = fields.Html(
        compute="_compute_service_receivable_totals",
        string="Receivables per Currency",
        sanitize=False,
        help="Invoiced, paid, unpaid and overdue amounts in each currency of the customer's invoices.",
    )

    def _compute_service_receivable_totals(self):
        """Every figure of the customer form comes from ``_get_service_receivable_figures``, per currency."""
        figures = self.commercial_partner_id._get_service_receivable_figures()
        company_currency = self.env.company.currency_id
        for partner in self:
            by_currency = figures.get(partner.commercial_partner_id.id, {})
            currency = next(iter(by_currency)) if len(by_currency) == 1 else company_currency
            values = by_currency.get(currency, {})
            partner.service_currency_id = currency
            partner.service_total_invoiced = values.get("invoiced", 0.0)
            partner.service_total_paid = values.get("paid", 0.0)
            partner.service_total_unpaid = values.get("unpaid", 0.0)
            partner.service_total_overdue = values.get("overdue", 0.0)
            partner.service_receivable_multi_currency = len(by_currency) > 1
            partner.service_receivable_summary = (
                partner._render_service_receivable_summary(by_currency) if len(by_currency) > 1 else False
            )

    def _get_service_receivable_figures(self, today=None):
        """``{commercial partner id: {currency: {invoiced, paid, unpaid, overdue}}}`` of these customers.

        One query over their posted customer invoices and credit notes in the allowed companies (record
        rules applied), amounts in each document's currency, never added across currencies: invoiced is
        the total less credit notes, unpaid what is still open (credit notes deducted), paid the
        difference, overdue what is still open on the invoices past their due date.
        """
        today = today or fields.Date.context_today(self)
        Move = self.env["account.move"]
        Move.flush_model(
            ["commercial_partner_id", "currency_id", "move_type", "state", "company_id", "amount_residual"]
        )
        query = Move._search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
        query.order = None
        table = SQL.identifier(query.table)
        sign = SQL("CASE WHEN %s.move_type = 'out_refund' THEN -1 ELSE 1 END", table)
        query.groupby = SQL("%s.commercial_partner_id, %s.currency_id", table, table)
        self.env.cr.execute(
            query.select(
                SQL("%s.commercial_partner_id", table),
                SQL("%s.currency_id", table),
                SQL("SUM(%s * %s.amount_total)", sign, table),
                SQL("SUM(%s * %s.amount_residual)", sign, table),
                SQL(
                    "SUM(%s.amount_residual) FILTER (WHERE %s.move_type = 'out_invoice' AND %s.invoice_date_due < %s)",
                    table,
                    table,
                    table,
                    today,
                ),
            )
        )
        figures = {}
        for partner_id, currency_id, invoiced, unpaid, overdue in self.env.cr.fetchall():
            currency = self.env["res.currency"].browse(currency_id)
            figures.setdefault(partner_id, {})[currency] = {
                "invoiced": currency.round(invoiced or 0.0),
                "paid": currency.round((invoiced or 0.0) - (unpaid or 0.0)),
                "unpaid": currency.round(unpaid or 0.0),
                "overdue": currency.round(overdue or 0.0),
            }
        return figures

    def _render_service_receivable_summary(self, by_currency):
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "service_management.res_partner_receivable_summary",
            {
                "rows": sorted(by_currency.items(), key=lambda item: item[0].name),
                "format_amount": lambda amount, currency: format_amount(self.env, amount, currency),
            },
        )

    @api.constrains("dunning_blocked", "dunning_block_reason")
    def _check_dunning_block_reason(self):
        for partner in self:
            if partner.dunning_blocked and not partner.dunning_block_reason:
                raise ValidationError(
                    self.env._("Give the reason why %(customer)s is blocked from dunning.", customer=partner.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_protected_fields(self, vals, PROTECTED_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_protected_fields(self, vals, PROTECTED_FIELDS)
        if "dunning_blocked" in vals:
            if vals["dunning_blocked"]:
                vals.update(dunning_blocked_by_id=self.env.uid, dunning_blocked_date=fields.Date.context_today(self))
            else:
                vals.update(dunning_blocked_by_id=False, dunning_blocked_date=False, dunning_block_reason=False)
        return super().write(vals)

    def _get_dunning_policy(self, company, default_policies=None):
        """The dunning policy of this customer for ``company``: its own when of that company, else the default."""
        self.ensure_one()
        # sudo: a shared customer may carry the policy of another company, which this user does not read
        own = self.sudo().dunning_policy_id
        if own and own.company_id == company:
            return own.sudo(self.env.su)
        if default_policies is None:
            default_policies = self.env["service.dunning.policy"]._get_default_policies(company)
        return default_policies.get(company, self.env["service.dunning.policy"])

    # Payer score ---------------------------------------------------------------------------------

    def _get_payer_statistics(self, today):
        """``{partner_id: (invoice_count, avg_days_late, late_share, overdue, oldest_overdue_days)}``, in one query.

        The average delay and the share paid late both come from the settled invoices, each with its
        delay at its last payment (reconciliation) date: the average is weighted by the invoices'
        amounts, the share counts the invoices paid after their due date. Open invoices give the
        overdue amount and the delay of the oldest one.
        """
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            """
            WITH inv AS (
                SELECT m.id, m.commercial_partner_id AS partner_id, m.invoice_date_due AS due,
                       ABS(m.amount_total_signed) AS amount, m.amount_residual_signed AS residual,
                       m.payment_state IN ('paid', 'in_payment', 'reversed') AS settled
                  FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.commercial_partner_id = ANY(%(partners)s) AND m.company_id = ANY(%(companies)s)
                   AND m.invoice_date_due IS NOT NULL
            ), paid AS (
                SELECT l.move_id, MAX(p.max_date) AS paid_date
                  FROM account_move_line l
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE l.move_id IN (SELECT id FROM inv) AND l.display_type = 'payment_term'
                 GROUP BY l.move_id
            ), delays AS (
                SELECT inv.partner_id, inv.amount, inv.settled, inv.residual, inv.due,
                       GREATEST(CASE WHEN inv.settled THEN COALESCE(paid.paid_date, inv.due)
                                     ELSE %(today)s::date END - inv.due, 0) AS days_late
                  FROM inv LEFT JOIN paid ON paid.move_id = inv.id
            )
            SELECT partner_id, COUNT(*),
                   COALESCE(SUM(amount * days_late) FILTER (WHERE settled)
                            / NULLIF(SUM(amount) FILTER (WHERE settled), 0), 0),
                   COALESCE(COUNT(*) FILTER (WHERE settled AND days_late > 0)::float
                            / NULLIF(COUNT(*) FILTER (WHERE settled), 0), 0),
                   COALESCE(SUM(residual) FILTER (WHERE NOT settled AND due < %(today)s), 0),
                   COALESCE(MAX(days_late) FILTER (WHERE NOT settled AND residual > 0), 0)
              FROM delays
             GROUP BY partner_id
            """,
            {"partners": self.ids, "companies": self.env.companies.ids, "today": today},
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _compute_payer_score(self):
        """Store the payer score and grade of these customers: one query reads their history, one UPDATE writes
        them all (the scores are the application's, never tracked nor propagated: no write per customer)."""
        if not self:
            return
        self.check_access("write")
        today = fields.Date.context_today(self)
        statistics = self._get_payer_statistics(today)
        # rounded to the fields' digits, as a write would
        days_digits, share_digits, overdue_digits = (
            self._fields[fname].get_digits(self.env)[1]
            for fname in ("payer_days_late", "payer_late_share", "payer_overdue_amount")
        )
        rows = []
        for partner_id in self.ids:
            count, avg_days, late_share, overdue, oldest = statistics.get(partner_id, (0, 0.0, 0.0, 0.0, 0))
            rows.append(
                SQL(
                    "(%s, %s::varchar, %s::numeric, %s::numeric, %s::numeric)",
                    partner_id,
                    # no grade yet is NULL, as a write of False stores it
                    payer_grade(count, avg_days, late_share, oldest) or None,
                    float_round(avg_days, precision_digits=days_digits),
                    float_round(late_share * 100.0, precision_digits=share_digits),
                    float_round(overdue, precision_digits=overdue_digits),
                )
            )
        self.flush_recordset(PAYER_SCORE_FIELDS)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET payer_grade = v.grade, payer_days_late = v.days_late, payer_late_share = v.late_share,
                       payer_overdue_amount = v.overdue, payer_score_date = %s,
                       write_uid = %s, write_date = (now() at time zone 'UTC')
                  FROM (VALUES %s) AS v(id, grade, days_late, late_share, overdue)
                 WHERE p.id = v.id
                """,
                today,
                self.env.uid,
                SQL(", ").join(rows),
            )
        )
        self.invalidate_recordset([*PAYER_SCORE_FIELDS, "write_uid", "write_date"])
        self.modified(PAYER_SCORE_FIELDS)

    def action_compute_payer_score(self):
        self.commercial_partner_id._compute_payer_score()
        return True

    @api.model
    def _cron_compute_payer_scores(self, batch_size=5000):
        """Recompute the payer score of every customer with invoices, in batches, oldest score first.

        A customer scored today is done: each batch is committed by the scheduler, so a run interrupted or
        started again goes on with the customers left.
        """
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model(["commercial_partner_id", "move_type", "state"])
        self.flush_model(["payer_score_date"])
        self.env.cr.execute(
            """
            SELECT p.id, COUNT(*) OVER ()
              FROM res_partner p
             WHERE p.payer_score_date IS DISTINCT FROM %(today)s
               AND EXISTS (SELECT 1 FROM account_move m
                            WHERE m.commercial_partner_id = p.id
                              AND m.move_type = 'out_invoice' AND m.state = 'posted')
             ORDER BY p.payer_score_date NULLS FIRST, p.id
             LIMIT %(limit)s
            """,
            {"today": today, "limit": batch_size},
        )
        rows = self.env.cr.fetchall()
        batch = self.browse([row[0] for row in rows])
        batch._compute_payer_score()
        total = rows[0][1] if rows else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=total - len(batch))
        return len(batch)

    # Statement ----------------------------------------------------------------------------------

    def _get_dunning_statement_period(self):
        """``(date_from, date_to)`` of the payments and credits a statement lists: the last three months
        to today, unless the context gives ``statement_date_from`` / ``statement_date_to``."""
        date_to = fields.Date.to_date(self.env.context.get("statement_date_to")) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(self.env.context.get("statement_date_from")) or (
            date_to - relativedelta(months=3, day=1)
        )
        return date_from, date_to

    def _get_dunning_statement_line_domain(self):
        self.ensure_one()
        return [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ]

    def _get_dunning_statement_items(self):
        """Open receivable items of this customer in the current company (invoices, credit notes, payments
        not matched yet), oldest due first."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [*self._get_dunning_statement_line_domain(), ("reconciled", "=", False), ("amount_residual", "!=", 0.0)],
            order="date_maturity, date, id",
        )

    def _get_dunning_statement_credits(self, date_from, date_to):
        """Payments and credit notes of this customer booked between ``date_from`` and ``date_to``."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                *self._get_dunning_statement_line_domain(),
                ("balance", "<", 0.0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, id",
        )

    def _get_dunning_statement_sections(self):
        """One section per currency of this customer's statement, the company's currency first: its open
        items, its payments and credits of the period, its balance and its aging, all in that currency."""
        self.ensure_one()
        date_from, date_to = self._get_dunning_statement_period()
        items = self._get_dunning_statement_items()
        credits = self._get_dunning_statement_credits(date_from, date_to)
        company_currency = self.env.company.currency_id
        currencies = (items.currency_id | credits.currency_id).sorted(lambda c: (c != company_currency, c.name))
        sections = []
        for currency in currencies:
            open_items = items.filtered(lambda line, c=currency: line.currency_id == c)
            balance = currency.round(sum(open_items.mapped("amount_residual_currency")))
            aging = dict.fromkeys(STATEMENT_AGE_KEYS, 0.0)
            for line in open_items:
                days_late = (date_to - (line.date_maturity or line.date)).days
                aging[age_bucket(days_late)] += line.amount_residual_currency
            sections.append(
                {
                    "currency": currency,
                    "items": open_items,
                    "credits": credits.filtered(lambda line, c=currency: line.currency_id == c),
                    "balance": balance,
                    "aging": [(key, currency.round(aging[key])) for key in STATEMENT_AGE_KEYS],
                    "words": self._get_amount_in_words(abs(balance), currency),
                }
            )
        return sections

    def _get_dunning_statement_balances(self):
        """``{currency: balance}`` of this customer's open items, never added across currencies."""
        self.ensure_one()
        balances = {}
        for line in self._get_dunning_statement_items():
            balances[line.currency_id] = balances.get(line.currency_id, 0.0) + line.amount_residual_currency
        return {currency: currency.round(amount) for currency, amount in balances.items()}

    def _get_dunning_statement_balance(self, currency=None):
        """The balance of this customer's open items in ``currency`` (the company's by default)."""
        self.ensure_one()
        return self._get_dunning_statement_balances().get(currency or self.env.company.currency_id, 0.0)

    def _get_dunning_statement_balance_text(self):
        """The balances of the statement, one per currency, for the e-mail: ``1,234.50 €, $ 415.20``."""
        self.ensure_one()
        balances = self._get_dunning_statement_balances() or {self.env.company.currency_id: 0.0}
        return ", ".join(
            format_amount(self.env, amount, currency)
            for currency, amount in sorted(balances.items(), key=lambda item: item[0].name)
        )

    def _get_amount_in_words(self, amount, currency=None):
        """``amount`` in words in this customer's language."""
        self.ensure_one()
        currency = currency or self.env.company.currency_id
        return currency.with_context(lang=self.lang or "en_US").amount_to_text(amount)

    def action_print_dunning_statement(self):
        customers = self.commercial_partner_id
        return self.env.ref("service_management.action_report_service_customer_statement").report_action(customers)

    def action_send_dunning_statement(self):
        """Queue the statement of each of these customers by e-mail, with the PDF attached."""
        customers = self.commercial_partner_id
        without_email = customers.filtered(lambda p: not p.email)
        if without_email:
            raise UserError(
                self.env._(
                    "These customers have no e-mail address: %(customers)s",
                    customers=", ".join(without_email.mapped("display_name")),
                )
            )
        template = self.env.ref("service_management.mail_template_service_customer_statement")
        for customer in customers:
            customer.with_context(lang=customer.lang).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
        return True
