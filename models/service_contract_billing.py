import logging
from collections import defaultdict

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from odoo.addons.service_management.helpers import billing
from odoo.addons.service_management.models.service_protected_fields_mixin import BILLING_GROUPS, with_code_write

_logger = logging.getLogger(__name__)

BILLABLE_STATES = ("running", "expiring", "expired", "terminated")
PERIODIC_RULES = ("advance", "arrears")


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "service.billing.lock.mixin"]

    billing_start_date = fields.Date(
        string="Bill From",
        copy=False,
        tracking=True,
        help="Periods before this day are not billed (e.g. they were billed before the contract was recorded "
        "here). Empty: from the start date.",
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
        copy=False,
        help="The day the next period of a periodic contract is due for billing.",
    )
    billing_error = fields.Text(readonly=True, copy=False, help="Why the last billing run could not bill it.")
    billing_error_date = fields.Datetime(readonly=True, copy=False)
    invoice_ids = fields.One2many("account.move", "service_contract_id", string="Invoices", readonly=True)
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    billing_period_ids = fields.One2many(
        "service.billing.period", "contract_id", string="Billed Periods", groups=BILLING_GROUPS
    )

    @api.depends(
        "state",
        "billing_rule",
        "date_start",
        "billing_start_date",
        "date_end",
        "termination_date",
        "line_ids.billed_until",
        "line_ids.recurring_rule_type",
        "line_ids.recurring_interval",
    )
    def _compute_next_invoice_date(self):
        for contract in self:
            dates = []
            if contract.state in BILLABLE_STATES and contract.billing_rule in PERIODIC_RULES:
                dates = [day for day in (line._get_next_due_date() for line in contract.line_ids) if day]
            contract.next_invoice_date = min(dates, default=False)

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("service_contract_id", "in", self.ids)], ["service_contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.invoice_count = counts.get(contract, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_bill_now(self):
        """Bill the periods and interventions of the selected contracts that are due today."""
        return self._action_bill(force_backlog=False)

    def action_bill_backlog(self):
        """Bill the due periods of the selected contracts even when they go back further than the company's limit."""
        if not (self.env.su or self.env.user.has_group("service_management.group_service_manager")):
            raise AccessError(self.env._("Only service managers can bill a backlog older than the company's limit."))
        return self._action_bill(force_backlog=True)

    def _action_bill(self, force_backlog):
        self._check_billing_access()
        self.check_access("read")
        today = fields.Date.context_today(self)
        # the flag comes from the button only, never from the caller's context
        moves = self.sudo().with_context(service_force_backlog=force_backlog)._bill(today)
        errors = self.filtered("billing_error")
        if errors:
            message = (
                errors.billing_error
                if len(self) == 1
                else self.env._("%(count)s contracts could not be billed: see their errors.", count=len(errors))
            )
            return self._billing_notification(message, "danger")
        if not moves:
            return self._billing_notification(self.env._("Nothing is due for billing today."), "info")
        return moves.with_env(self.env)._get_service_invoices_action()

    @api.model
    def _billing_notification(self, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "message": message, "sticky": kind == "danger"},
        }

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_service_invoices_action()

    # ------------------------------------------------------------------
    # Billing runs
    # ------------------------------------------------------------------
    @api.model
    def _check_billing_access(self):
        user = self.env.user
        if (
            self.env.su
            or user.has_group("account.group_account_invoice")
            or user.has_group("service_management.group_service_manager")
        ):
            return
        raise AccessError(self.env._("Only billing clerks and service managers can run the billing."))

    @api.model
    def _get_billing_due_domain(self, today):
        return [
            ("state", "in", BILLABLE_STATES),
            ("billing_rule", "in", PERIODIC_RULES),
            ("next_invoice_date", "!=", False),
            ("next_invoice_date", "<=", today),
        ]

    @api.model
    def _cron_bill_contracts(self, batch_size=100):
        """Bill what is due, one company and one batch at a time; the scheduler calls again while some remain.

        Contracts are locked while they are billed (``FOR UPDATE SKIP LOCKED``) and
        every billed period and intervention is unique in the database, so a second
        worker, a second run or a run restarted after a crash bills nothing twice.
        """
        today = fields.Date.context_today(self)
        # the job bills every company, whichever companies its user works in
        Contract = self.sudo()
        Intervention = Contract.env["service.intervention"]
        for company in Contract.env["res.company"].search([]):
            domain = [("company_id", "=", company.id), *Contract._get_billing_due_domain(today)]
            failed = Contract._get_failed_today_domain(today)
            contracts = Contract.search(domain + failed, limit=batch_size, order="next_invoice_date, id")
            interventions = Intervention.browse()
            if len(contracts) < batch_size:
                interventions = Intervention.search(
                    [("company_id", "=", company.id), *Intervention._get_billing_due_domain(today), *failed],
                    limit=(batch_size - len(contracts)) * 4,
                    order="id",
                )
            if not contracts and not interventions:
                continue
            contracts.with_company(company)._bill_periodic(today)
            if interventions:
                interventions.with_company(company)._bill_interventions(today)
            remaining = Contract.search_count(
                Contract._get_billing_due_domain(today) + failed
            ) + Intervention.search_count(Intervention._get_billing_due_domain(today) + failed)
            self.env["ir.cron"]._notify_progress(done=len(contracts) + len(interventions), remaining=remaining)
            return
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)

    @api.model
    def _get_failed_today_domain(self, today):
        """Leave out the contracts that already failed today, so that a batch of errors does not loop."""
        start = fields.Datetime.to_datetime(today)
        return ["|", ("billing_error_date", "=", False), ("billing_error_date", "<", start)]

    def _bill(self, today):
        """Bill these contracts' due periods and due interventions; return the invoices."""
        moves = self.env["account.move"]
        Intervention = self.env["service.intervention"]
        for company, contracts in self.grouped("company_id").items():
            contracts = contracts.with_company(company)
            moves |= contracts._bill_periodic(today)
            interventions = Intervention.search(
                [("contract_id", "in", contracts.ids), *Intervention._get_billing_due_domain(today)]
            )
            moves |= interventions.with_company(company)._bill_interventions(today)
        return moves

    def _bill_periodic(self, today):
        """Create one invoice per contract for all its periods due on ``today``; return the invoices."""
        contracts = self.filtered(lambda c: c.billing_rule in PERIODIC_RULES and c.state in BILLABLE_STATES)
        contracts = contracts._lock_for_billing()
        if not contracts:
            return self.env["account.move"]
        changes = contracts.line_ids._get_price_changes()
        plans, errors, cache = [], {}, {}
        for contract in contracts:
            try:
                plan = contract._prepare_billing_plan(today, changes, cache)
            except UserError as error:
                errors[contract] = str(error)
                continue
            if plan:
                plans.append(plan)
        moves = self.env["account.move"]._service_create_invoices(plans, errors)
        contracts._record_billing_errors(errors)
        return moves

    def _record_billing_errors(self, errors):
        """Write each contract's error (or clear it after a success); keep an audit line in the log."""
        now = fields.Datetime.now()
        for contract, message in errors.items():
            _logger.info("Billing of contract %s failed: %s", contract.name, message)
            with_code_write(contract).write({"billing_error": message, "billing_error_date": now})
        cleared = self.filtered(lambda c: c.billing_error and c not in errors)
        if cleared:
            with_code_write(cleared).write({"billing_error": False, "billing_error_date": False})

    def _prepare_billing_plan(self, today, changes, cache=None):
        """What billing this contract on ``today`` creates: the invoice values and the periods it bills."""
        self.ensure_one()
        periods = []
        line_vals = []
        for line in self.line_ids:
            for period in line._get_periods_to_bill(today):
                vals_list = self._prepare_period_line_vals(line, period, today, changes.get(line, {}), cache)
                line_vals.extend(vals_list)
                periods.append((line, period))
        if not periods:
            return None
        self._check_billing_backlog([period for _line, period in periods], today)
        invoice_vals = self._prepare_invoice_vals(today, cache=cache)
        invoice_vals["invoice_line_ids"] = [fields.Command.create(vals) for vals in line_vals]
        return {
            "record": self,
            "invoice_vals": invoice_vals,
            "periods": periods,
        }

    def _check_billing_backlog(self, periods, today):
        """Refuse to bill periods that started longer ago than the company's limit, unless a manager forces it."""
        self.ensure_one()
        months = self.company_id.service_billing_backlog_months
        if not months or self.env.context.get("service_force_backlog"):
            return
        oldest = min(date_from for _start, _end, date_from, _to in periods)
        if oldest < today - relativedelta(months=months):
            raise UserError(
                self.env._(
                    "%(contract)s has periods due since %(date)s, more than %(months)s months ago. Check its start "
                    "date and its Bill From date; a service manager can then bill them with Bill the Backlog.",
                    contract=self.name,
                    date=oldest,
                    months=months,
                )
            )

    def _prepare_invoice_vals(self, invoice_date, partner=None, cache=None):
        """The header of an invoice of this contract (or of a customer without contract, ``self`` empty).

        ``cache`` caches the sales journal of each company during one run.
        """
        partner = partner or self.partner_invoice_id
        company = self.company_id or self.env.company
        cache = {} if cache is None else cache
        if company not in cache:
            cache[company] = self.env["account.move"]._service_get_sale_journal(company)
        vals = {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": partner.id,
            "journal_id": cache[company].id,
            "invoice_date": invoice_date,
            "service_billing": True,
        }
        if self:
            vals.update(
                {
                    "currency_id": self.currency_id.id,
                    "invoice_origin": self.name,
                    "service_contract_id": self.id,
                    "fiscal_position_id": self.fiscal_position_id.id,
                    "invoice_user_id": (self.salesperson_id or self.user_id).id,
                }
            )
            if self.payment_term_id:
                vals["invoice_payment_term_id"] = self.payment_term_id.id
        if "invoice_payment_term_id" not in vals and not partner.property_payment_term_id:
            vals["invoice_date_due"] = invoice_date  # due on receipt, not on the day it is created
        return vals

    def _get_analytic_distribution(self):
        self.ensure_one()
        return {str(self.analytic_account_id.id): 100.0} if self.analytic_account_id else False

    def _prepare_period_line_vals(self, line, period, invoice_date, line_changes, cache=None):
        """Invoice lines of one period of ``line``: one per price in force during the period."""
        self.ensure_one()
        period_start, period_end, date_from, date_to = period
        change_dates = [change.date for changes in line_changes.values() for change in changes]
        ranges = billing.split_at(date_from, date_to, change_dates) if change_dates else [(date_from, date_to)]
        lang = self.partner_invoice_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        cache = {} if cache is None else cache
        account = self.env["account.move"]._service_get_product_accounting(
            line.product_id, self.fiscal_position_id, self.company_id, cache
        )[0]
        vals_list = []
        for range_from, range_to in ranges:
            values = line._get_price_values_at(range_from, line_changes)
            days, total_days = billing.day_fraction(range_from, range_to, period_start, period_end)
            price = values["price_unit"]
            description = env._(
                "%(description)s\nFrom %(start)s to %(end)s",
                description=line.name,
                start=self._format_billing_date(env, range_from, lang, cache),
                end=self._format_billing_date(env, range_to, lang, cache),
            )
            if days != total_days:
                price = self.currency_id.round(price * days / total_days)
                description += env._(" (pro rata %(days)s/%(total)s days)", days=days, total=total_days)
            vals = {
                "product_id": line.product_id.id,
                "name": description,
                "quantity": values["quantity"],
                "product_uom_id": line.product_uom_id.id,
                "price_unit": price,
                "discount": values["discount"],
                "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                "analytic_distribution": self._get_analytic_distribution(),
                "service_contract_line_id": line.id,
                "service_period_start": range_from,
                "service_period_end": range_to,
            }
            if account:
                vals["account_id"] = account.id
            # each range is recognised over its own days (a range ending by the invoice's month is not deferred)
            vals.update(self._get_deferral_values(line, range_from, range_to, invoice_date))
            vals_list.append(vals)
        return vals_list

    @api.model
    def _format_billing_date(self, env, date, lang, cache):
        """``date`` in ``lang``, formatted once per run: the lines of a run share a few period bounds."""
        key = ("format_date", lang, date)
        if key not in cache:
            cache[key] = format_date(env, date, lang_code=lang)
        return cache[key]

    def _get_deferral_values(self, line, date_from, date_to, invoice_date):
        """Account and recognition dates of a line whose service runs past the invoice's month, else ``{}``.

        The line's whole service is recognised over its days: the months already served at the invoice
        date are recognised at once, on the invoice date, the later ones month by month.
        """
        self.ensure_one()
        deferred_account = self.company_id.service_deferred_revenue_account_id
        month_end = invoice_date + relativedelta(day=31)
        if not deferred_account or date_to <= month_end:
            return {}
        accounts = line.product_id.product_tmpl_id.with_company(self.company_id).get_product_accounts(
            self.fiscal_position_id
        )
        income = accounts["income"]
        if not income:
            raise UserError(
                self.env._(
                    "%(contract)s: the product %(product)s has no income account to recognise its deferred revenue.",
                    contract=self.name,
                    product=line.product_id.display_name,
                )
            )
        return {
            "account_id": deferred_account.id,
            "service_income_account_id": income.id,
            "service_deferred_start": date_from,
            "service_deferred_end": date_to,
        }

    def _after_billing(self, plan, move):
        """Record the periods ``plan`` billed on ``move`` (the unique index refuses a period billed twice)."""
        vals_list = []
        for line, (period_start, period_end, date_from, date_to) in plan["periods"]:
            vals_list.append(
                {
                    "contract_line_id": line.id,
                    "contract_id": line.contract_id.id,
                    "company_id": line.company_id.id,
                    "period_start": period_start,
                    "period_end": period_end,
                    "date_from": date_from,
                    "date_to": date_to,
                    "move_id": move.id,
                }
            )
        return vals_list

    @api.model
    def _update_billed_until(self, plans):
        """Move each billed line's ``billed_until`` forward, with one write per distinct date."""
        by_date = defaultdict(list)
        for plan in plans:
            last = {}
            for line, period in plan["periods"]:
                last[line] = max(last.get(line, period[3]), period[3])
            for line, day in last.items():
                by_date[day].append(line.id)
        Line = self.env["service.contract.line"]
        for day, line_ids in by_date.items():
            Line.browse(line_ids).write({"billed_until": day})

    @api.model
    def _is_retryable_error(self, error):
        return isinstance(error, psycopg2.OperationalError)

    @api.model
    def _service_demo_bill(self, company_id):
        """Demo: bill the company's contracts and interventions four months ago, two months ago and today,
        then register the payment of part of the oldest posted invoices; the others stay due or overdue."""
        company = self.env["res.company"].browse(company_id)
        env = self.with_company(company).with_context(allowed_company_ids=company.ids).env
        today = fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(months=4)
        contracts = env["service.contract"].search([("company_id", "=", company.id), ("state", "in", BILLABLE_STATES)])
        contracts.write({"billing_start_date": start})
        Intervention = env["service.intervention"]
        for months in (4, 2, 0):
            day = today - relativedelta(months=months)
            contracts._bill_periodic(day)
            # an invoice bills only work done by its date
            Intervention.search(
                [
                    ("company_id", "=", company.id),
                    ("actual_end", "<", fields.Datetime.to_datetime(day + relativedelta(days=1))),
                    *Intervention._get_billing_due_domain(day),
                ]
            )._bill_interventions(day)
        invoices = env["account.move"].search(
            [("company_id", "=", company.id), ("service_billing", "=", True), ("state", "=", "posted")],
            order="invoice_date, id",
        )
        # no e-mail leaves the demo database by itself
        invoices.sending_data = False
        to_pay = invoices.filtered(lambda m: m.invoice_date <= today - relativedelta(months=2))[::2]
        for invoice in to_pay:
            env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
                {"payment_date": invoice.invoice_date_due}
            )._create_payments()
