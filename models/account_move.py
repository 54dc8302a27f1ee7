from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.service_management.helpers import billing
from odoo.addons.service_management.models.service_protected_fields_mixin import with_code_write

# what the service billing and its revenue recognition write on the invoices and entries they make
BILLING_MOVE_FIELDS = (
    "service_contract_id",
    "service_billing",
    "service_deferral_invoice_id",
    "service_deferral_month",
    "service_deferral_next_date",
)


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "service.protected.fields.mixin"]

    _service_protected_fields = BILLING_MOVE_FIELDS

    service_contract_id = fields.Many2one("service.contract", index="btree_not_null", readonly=True, copy=False)
    service_billing = fields.Boolean(
        string="From Service Billing", readonly=True, copy=False, index=True, help="Created by the service billing run."
    )
    service_deferral_invoice_id = fields.Many2one(
        "account.move",
        string="Deferred Revenue Of",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The invoice whose deferred revenue this entry recognises.",
    )
    service_deferral_month = fields.Date(string="Recognised Month", readonly=True, copy=False)
    service_deferral_entry_ids = fields.One2many(
        "account.move", "service_deferral_invoice_id", string="Revenue Recognition Entries", readonly=True
    )
    service_deferral_entry_count = fields.Integer(compute="_compute_service_deferral_entry_count")
    service_deferral_next_date = fields.Date(
        string="Next Revenue Recognition",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="End of the next month whose share of the deferred revenue is still to be recognised.",
    )

    service_source = fields.Selection(
        [("contract", "Contract Periods"), ("interventions", "Interventions")],
        string="Source",
        compute="_compute_service_billing_summary",
        help="What the service billing run invoiced: contract periods or finished interventions.",
    )
    service_period_label = fields.Char(
        string="Period",
        compute="_compute_service_billing_summary",
        help="The service periods this invoice bills, in the reader's date format.",
    )

    def init(self):
        # one recognition entry per invoice and month, even with two workers
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_service_deferral_month_uniq
                ON account_move (service_deferral_invoice_id, service_deferral_month)
             WHERE service_deferral_invoice_id IS NOT NULL
            """
        )

    def _compute_service_deferral_entry_count(self):
        counts = dict(
            self._read_group(
                [("service_deferral_invoice_id", "in", self.ids)], ["service_deferral_invoice_id"], ["__count"]
            )
        )
        for move in self:
            move.service_deferral_entry_count = counts.get(move, 0)

    @api.depends(
        "service_billing",
        "invoice_line_ids.service_period_start",
        "invoice_line_ids.service_period_end",
        "invoice_line_ids.service_intervention_id.actual_end",
    )
    @api.depends_context("lang", "tz")
    def _compute_service_billing_summary(self):
        for move in self:
            lines = move.invoice_line_ids.filtered("service_period_start")
            # work billed per intervention: the days it was done
            work_days = [
                fields.Datetime.context_timestamp(move, end).date()
                for end in move.invoice_line_ids.service_intervention_id.mapped("actual_end")
                if end
            ]
            if lines:
                move.service_period_label = move._service_format_period(
                    min(lines.mapped("service_period_start")), max(lines.mapped("service_period_end"))
                )
            elif work_days:
                move.service_period_label = move._service_format_period(min(work_days), max(work_days))
            else:
                move.service_period_label = False
            if not move.service_billing:
                move.service_source = False
            elif move.invoice_line_ids.service_intervention_id:
                move.service_source = "interventions"
            else:
                move.service_source = "contract" if move.service_contract_id else False

    def _service_format_period(self, date_from, date_to):
        """``date_from - date_to`` in the reader's date format (one date when they are the same day)."""
        start = format_date(self.env, date_from)
        if not date_to or date_to == date_from:
            return start
        return self.env._("%(start)s to %(end)s", start=start, end=format_date(self.env, date_to))

    def unlink(self):
        # posted invoices cannot be deleted: Odoo refuses them below, and their periods stay billed
        self.filtered(lambda move: move.state != "posted")._service_release_billed_periods()
        return super().unlink()

    def button_cancel(self):
        res = super().button_cancel()
        self.filtered(lambda move: move.state == "cancel")._service_release_billed_periods()
        return True if res is None else res

    def action_service_post_send(self):
        """Post the selected draft invoices and queue them for e-mail with their PDF.

        An invoice whose e-invoice (Factur-X, UBL) cannot be made stays a draft, and the
        message names it with the reasons; the others are posted and sent.
        """
        self.env["service.contract"]._check_billing_access()
        if any(move.state != "draft" or not move.is_sale_document() for move in self):
            raise UserError(self.env._("Only draft customer invoices can be posted and sent."))
        edi_errors = self._service_get_edi_errors()
        to_send = self.filtered(lambda move: move not in edi_errors)
        to_send.action_post()
        to_send._service_queue_sending()
        if not edi_errors:
            if len(to_send) == 1:
                message = self.env._("%(invoice)s posted; its e-mail is being sent.", invoice=to_send.name)
            else:
                message = self.env._("%(count)s invoices posted; their e-mails are being sent.", count=len(to_send))
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"type": "success", "message": message, "next": {"type": "ir.actions.act_window_close"}},
            }
        reasons = "\n".join(
            self.env._(
                "%(invoice)s (%(customer)s), %(format)s: %(errors)s",
                invoice=move.display_name,
                customer=move.partner_id.display_name,
                format=edi_format,
                errors="; ".join(errors),
            )
            for move, (edi_format, errors) in edi_errors.items()
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "sticky": True,
                "title": self.env._("No e-invoice could be made"),
                "message": self.env._(
                    "%(reasons)s\nThese invoices stay drafts: complete what is missing and post them again. "
                    "%(count)s other invoices posted; their e-mails are being sent.",
                    reasons=reasons,
                    count=len(to_send),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _service_get_edi_errors(self):
        """``{invoice: (format name, [reasons])}`` of the invoices whose e-invoice cannot be made.

        The format is the customer's (Factur-X for a French customer); the reasons are those of
        Odoo's e-invoicing, which would otherwise send the PDF without its XML.
        """
        errors_by_move = {}
        ubl_formats = self.env["res.partner"]._get_ubl_cii_formats()
        for move in self:
            partner = move.partner_id.commercial_partner_id.with_company(move.company_id)
            edi_format = partner.invoice_edi_format
            if edi_format not in ubl_formats:
                continue
            builder = partner._get_edi_builder(edi_format)  # an empty model, or None for an unknown format
            if builder is None:
                continue
            errors = builder._export_invoice(move)[1]
            if errors:
                errors_by_move[move] = (builder._description, [str(error) for error in errors])
        return errors_by_move

    def action_view_service_deferral_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_journal_line")
        action["domain"] = [("service_deferral_invoice_id", "=", self.id)]
        action["context"] = {"default_move_type": "entry"}
        return action

    def _service_queue_sending(self):
        """Queue the invoices for Odoo's sending job, which renders the PDF and e-mails it."""
        if not self:
            return
        self.sending_data = self._service_get_sending_data()
        self.env.ref("account.ir_cron_account_move_send")._trigger()

    @api.model
    def _service_get_sending_data(self):
        """What Odoo's sending job needs on an invoice to render its PDF and e-mail it, in the current user's name."""
        return {
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }

    def _get_service_deferral_lines(self):
        return self.invoice_line_ids.filtered(
            lambda line: line.service_deferred_start and line.service_income_account_id
        )

    @api.model
    def _service_get_sale_journal(self, company):
        """The company's first sales journal."""
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company %(company)s has no sales journal.", company=company.name))
        return journal

    @api.model
    def _service_get_product_accounting(self, product, fiscal_position, company, cache):
        """``(income account, taxes)`` of ``product`` on a customer invoice, as Odoo would compute them.

        Given explicitly in the invoice values, they spare the ledger a computation
        per line; ``cache`` keeps them for the run.
        """
        key = ("accounting", product.id, fiscal_position.id, company.id)
        if key not in cache:
            account = product.product_tmpl_id.with_company(company).get_product_accounts(fiscal_pos=fiscal_position)[
                "income"
            ]
            taxes = product.taxes_id.filtered_domain(self.env["account.tax"]._check_company_domain(company))
            taxes = taxes or account.tax_ids.filtered(lambda tax: tax.type_tax_use == "sale")
            taxes = taxes._filter_taxes_by_company(company)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            cache[key] = (account, taxes)
        return cache[key]

    def _get_service_invoices_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        if len(self) == 1:
            action.update({"res_id": self.id, "views": [(False, "form")], "view_mode": "form"})
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    @api.model
    def _service_create_invoices(self, plans, errors):
        """Create the invoices of ``plans`` (all in one go, one by one when one of them fails).

        A plan is a dict with ``record`` (what is billed: a contract or interventions),
        ``invoice_vals``, ``policy`` and the ``periods`` or ``interventions`` it bills.
        The error of a plan that cannot be billed goes to ``errors[record]``; the
        others are billed. Database errors that a retry may fix (serialization,
        lock) are raised: the run stops and the next one takes over.
        """
        if not plans:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self._service_create_from_plans(plans)
        except Exception as error:  # noqa: BLE001 - isolated below, plan by plan
            if self.env["service.contract"]._is_retryable_error(error):
                raise
            if len(plans) == 1:
                errors[plans[0]["record"]] = self._service_error_message(error)
                return self.browse()
        moves = self.browse()
        for plan in plans:
            try:
                with self.env.cr.savepoint():
                    moves |= self._service_create_from_plans([plan])
            except Exception as error:  # noqa: BLE001 - recorded on what failed, the others go on
                if self.env["service.contract"]._is_retryable_error(error):
                    raise
                errors[plan["record"]] = self._service_error_message(error)
        return moves

    @api.model
    def _service_error_message(self, error):
        if isinstance(error, UserError):
            return error.args[0]
        return self.env._("Unexpected error: %(error)s", error=str(error))

    @api.model
    def _service_create_from_plans(self, plans):
        """Create, post and queue for sending the invoices of ``plans`` in one batch.

        The invoices to post and send are created with their sending data (posted in the same
        transaction, they reach the sending job posted): posted invoices are not written again.
        """
        sending_data = self._service_get_sending_data()
        to_send = [(plan.get("policy") or plan["record"].invoice_policy) == "post_send" for plan in plans]
        # the billing links each line to what it bills (intervention, contract line, period): nobody else does
        moves = with_code_write(self).create(
            [
                dict(plan["invoice_vals"], sending_data=sending_data) if send else plan["invoice_vals"]
                for plan, send in zip(plans, to_send, strict=True)
            ]
        ).with_env(self.env)
        period_vals = []
        to_post = self.browse()
        for plan, move, send in zip(plans, moves, to_send, strict=True):
            if plan.get("periods"):
                period_vals += plan["record"]._after_billing(plan, move)
            if send:
                to_post |= move
        if period_vals:
            self.env["service.billing.period"].create(period_vals)
            self.env["service.contract"]._update_billed_until([plan for plan in plans if plan.get("periods")])
        if to_post:
            to_post.action_post()
            self.env.ref("account.ir_cron_account_move_send")._trigger()
        return moves

    def _service_release_billed_periods(self):
        """Make the contract periods these invoices billed billable again, as if they had never been billed.

        Interventions need nothing: an intervention is invoiced while one of its invoice lines is on an
        invoice that is not cancelled. A credit note does not release anything: the periods it credits
        stay billed.
        """
        Period = self.env["service.billing.period"].sudo()
        periods = Period.search([("move_id", "in", self.ids)])
        if not periods:
            return
        lines = periods.contract_line_id
        first_released = {}
        for period in periods:
            line = period.contract_line_id
            first_released[line] = min(first_released.get(line, period.period_start), period.period_start)
        later = Period.search([("contract_line_id", "in", lines.ids), ("move_id", "not in", self.ids)]).filtered(
            lambda period: period.period_start > first_released[period.contract_line_id]
        )
        if later:
            raise UserError(
                self.env._(
                    "%(contract)s has later periods billed on %(invoices)s: cancel or delete those invoices first, "
                    "so that no period is left unbilled in between.",
                    contract=later.contract_id[:1].name,
                    invoices=", ".join(sorted(set(later.move_id.mapped("display_name")))),
                )
            )
        periods.unlink()
        lines._restore_billed_until()

    # ------------------------------------------------------------------
    # Deferred revenue
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft)
        served = self.browse()
        for move in posted.filtered(lambda m: m.service_billing and not m.service_deferral_next_date):
            schedule = move._service_get_recognition_schedule()
            if schedule:
                with_code_write(move).service_deferral_next_date = move._service_get_recognition_date(min(schedule))
                if move.service_deferral_next_date <= move.invoice_date:
                    served |= move
        # the months already served when the invoice is dated are revenue at once
        for invoice_date, moves in served.grouped("invoice_date").items():
            moves._service_recognize_revenue(invoice_date)
        return posted

    def button_draft(self):
        if self.service_deferral_entry_ids.filtered(lambda e: e.state == "posted" and not e.reversal_move_ids):
            raise UserError(
                self.env._(
                    "This invoice's revenue is partly recognised: reverse its revenue recognition entries first."
                )
            )
        res = super().button_draft()
        return True if res is None else res

    @api.model
    def _cron_service_recognize_revenue(self, batch_size=200):
        """Move each month's share of deferred revenue to the income accounts, once per invoice and month."""
        today = fields.Date.context_today(self)
        domain = [("state", "=", "posted"), ("service_deferral_next_date", "<=", today)]
        invoices = self.search(domain, limit=batch_size, order="service_deferral_next_date, id")
        invoices._service_recognize_revenue(today)
        self.env["ir.cron"]._notify_progress(done=len(invoices), remaining=self.search_count(domain))

    def _service_get_recognition_schedule(self):
        """``{month: {(deferred account, income account, analytic): amount}}`` in company currency.

        Each line's revenue is spread over the months of its service by days; the months served
        before the invoice's month are grouped on the month before it (recognised on the invoice
        date); the last month takes the rounding remainder, so that the months add up to the line.
        """
        self.ensure_one()
        digits = self.company_id.currency_id.decimal_places
        schedule = defaultdict(lambda: defaultdict(float))
        for line in self._get_service_deferral_lines():
            key = (
                line.account_id,
                line.service_income_account_id,
                frozenset((line.analytic_distribution or {}).items()),
            )
            for month, amount in billing.recognition_schedule(
                -line.balance, line.service_deferred_start, line.service_deferred_end, self.invoice_date, digits
            ):
                schedule[month][key] += amount
        return schedule

    def _service_get_recognition_date(self, month):
        """Date of the recognition entry of ``month``: the invoice date for the months already served, else its end."""
        self.ensure_one()
        if month < self.invoice_date.replace(day=1):
            return self.invoice_date
        return month + relativedelta(day=31)

    def _service_recognize_revenue(self, today):
        """Create and post the recognition entries of the months ended by ``today`` not recognised yet."""
        existing = {
            (invoice.id, month)
            for invoice, month in self._read_group(
                [("service_deferral_invoice_id", "in", self.ids)],
                ["service_deferral_invoice_id", "service_deferral_month:day"],
            )
        }
        vals_list = []
        next_dates = {}
        journals = {}
        for invoice in self:
            company = invoice.company_id
            if company not in journals:
                journals[company] = self.env["account.journal"].search(
                    [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "general")], limit=1
                )
            journal = journals[company]
            schedule = invoice._service_get_recognition_schedule()
            next_dates[invoice] = False
            for month in sorted(schedule):
                recognition_date = invoice._service_get_recognition_date(month)
                if recognition_date > today:
                    next_dates[invoice] = recognition_date
                    break
                if (invoice.id, month) in existing:
                    continue
                vals_list.append(invoice._service_prepare_recognition_vals(journal, month, schedule[month]))
        entries = with_code_write(self).create(vals_list).with_env(self.env)
        entries.action_post()
        for invoice, next_date in next_dates.items():
            with_code_write(invoice).service_deferral_next_date = next_date
        return entries

    def _service_prepare_recognition_vals(self, journal, month, amounts):
        self.ensure_one()
        recognition_date = self._service_get_recognition_date(month)
        if recognition_date == self.invoice_date and month < self.invoice_date.replace(day=1):
            label = self.env._(
                "Revenue served up to %(month)s from %(invoice)s", month=month.strftime("%m/%Y"), invoice=self.name
            )
        else:
            label = self.env._(
                "Revenue of %(month)s from %(invoice)s", month=month.strftime("%m/%Y"), invoice=self.name
            )
        line_vals = []
        for (deferred, income, analytic), amount in amounts.items():
            if self.company_id.currency_id.is_zero(amount):
                continue
            line_vals += [
                fields.Command.create(
                    {"account_id": deferred.id, "name": label, "balance": amount, "partner_id": self.partner_id.id}
                ),
                fields.Command.create(
                    {
                        "account_id": income.id,
                        "name": label,
                        "balance": -amount,
                        "partner_id": self.partner_id.id,
                        "analytic_distribution": dict(analytic) or False,
                    }
                ),
            ]
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": recognition_date,
            "ref": label,
            "service_deferral_invoice_id": self.id,
            "service_deferral_month": month,
            "line_ids": line_vals,
        }
