import psycopg2
from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_management.helpers import indexation, recurrence, rpc, text, wording
from odoo.addons.service_management.models.service_protected_fields_mixin import (
    PRICE_GROUPS,
    check_protected_fields,
    with_code_write,
)

RECURRENCE_UNITS = [
    ("daily", "Days"),
    ("weekly", "Weeks"),
    ("monthly", "Months"),
    ("quarterly", "Quarters"),
    ("yearly", "Years"),
]
DURATION_UNITS = [("monthly", "Months"), ("yearly", "Years")]
BILLING_RULES = [
    ("advance", "Periodic, in Advance"),
    ("arrears", "Periodic, in Arrears"),
    ("intervention", "Per Intervention"),
    ("service_order", "Per Service Order"),
    ("month_end", "Grouped at Month End"),
]
INVOICE_POLICIES = [("draft", "Draft for Review"), ("post_send", "Post and E-mail")]
# what the renewal job changes and shows in the chatter with its notes
TRACKED_RENEWAL_FIELDS = ("state", "date_end")
# what may stop the revision of one contract without stopping the others: a refused value or a duplicate
REVISION_ERRORS = (UserError, psycopg2.IntegrityError)
INDEXATION_METHODS = [("none", "None"), ("index", "Index Formula"), ("percentage", "Fixed Percentage")]
# written by Terminate, the renewal job and the billing only
CODE_FIELDS = (
    "termination_reason_id",
    "termination_date",
    "termination_note",
    "expiry_alert_done",
    "notice_alert_done",
    "billing_error",
    "billing_error_date",
)


class ServiceContract(models.Model):
    _name = "service.contract"
    _description = "Service Contract"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "service.company.sequence.mixin",
        "service.mail.batch.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _sequence_date_field = "date_start"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", tracking=True)
    title = fields.Char(help="What the contract is about, e.g. 'Lift maintenance - full cover'.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    partner_invoice_id = fields.Many2one(
        "res.partner",
        string="Invoice Address",
        compute="_compute_partner_invoice_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    site_ids = fields.Many2many(
        "res.partner",
        "service_contract_site_rel",
        "contract_id",
        "partner_id",
        string="Sites",
        check_company=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    template_id = fields.Many2one("service.contract.template", check_company=True)
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
    )
    pricelist_id = fields.Many2one("product.pricelist", check_company=True, tracking=True)
    payment_term_id = fields.Many2one("account.payment.term", string="Payment Terms", check_company=True)
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    analytic_account_id = fields.Many2one("account.analytic.account", check_company=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True, index=True
    )
    salesperson_id = fields.Many2one("res.users", tracking=True)
    deal_reference = fields.Char(help="The opportunity or quotation this contract comes from.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,
    )
    date_start = fields.Date(string="Start Date", required=True, default=fields.Date.context_today, tracking=True)
    duration_value = fields.Integer(string="Duration", default=1)
    duration_unit = fields.Selection(DURATION_UNITS, default="yearly", required=True)
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        copy=False,
        help="Leave empty for an open-ended contract.",
    )
    billing_rule = fields.Selection(BILLING_RULES, required=True, default="advance", tracking=True)
    recurring_interval = fields.Integer(string="Invoice Every", default=1, required=True)
    recurring_rule_type = fields.Selection(RECURRENCE_UNITS, string="Recurrence", default="monthly", required=True)
    invoice_policy = fields.Selection(INVOICE_POLICIES, default="draft", required=True, tracking=True)
    auto_renew = fields.Boolean(string="Tacit Renewal", default=True, tracking=True)
    renewal_value = fields.Integer(string="Renew For", default=1)
    renewal_unit = fields.Selection(DURATION_UNITS, default="yearly", required=True)
    notice_period_days = fields.Integer(
        string="Notice Period (days)",
        default=90,
        help="Days before the end date by which either party can give notice.",
    )
    notice_deadline = fields.Date(compute="_compute_alert_dates", store=True)
    expiry_alert_days = fields.Integer(string="Expiry Alert (days)", default=60)
    notice_alert_days = fields.Integer(string="Notice Alert (days)", default=30)
    expiry_alert_date = fields.Date(compute="_compute_alert_dates", store=True)
    notice_alert_date = fields.Date(compute="_compute_alert_dates", store=True)
    expiry_alert_done = fields.Boolean(copy=False, readonly=True)
    notice_alert_done = fields.Boolean(copy=False, readonly=True)
    termination_reason_id = fields.Many2one("service.contract.termination.reason", readonly=True, copy=False)
    termination_date = fields.Date(readonly=True, copy=False, tracking=True)
    termination_note = fields.Text(readonly=True, copy=False)
    line_ids = fields.One2many("service.contract.line", "contract_id", string="Lines", copy=True)
    sla_ids = fields.One2many("service.contract.sla", "contract_id", string="SLA by Priority", copy=True)
    sla_response_hours = fields.Float(
        string="Response Time (h)", help="Default time to reach the site after a breakdown call."
    )
    sla_resolution_hours = fields.Float(
        string="Resolution Time (h)", help="Default time to repair a breakdown after its call."
    )
    amendment_ids = fields.One2many("service.contract.amendment", "contract_id", string="Amendments", readonly=True)
    amendment_count = fields.Integer(compute="_compute_amendment_count")
    intervention_count = fields.Integer(compute="_compute_intervention_count")
    equipment_ids = fields.Many2many(
        "service.equipment",
        compute="_compute_equipment_ids",
        string="Covered Equipment",
        search="_search_equipment_ids",
    )
    equipment_count = fields.Integer(compute="_compute_equipment_ids")
    indexation_method = fields.Selection(INDEXATION_METHODS, default="none", required=True, tracking=True)
    index_id = fields.Many2one("service.index", check_company=True)
    index_fixed_part = fields.Float(string="Fixed Part (a)", default=0.15, digits=(4, 4))
    index_variable_part = fields.Float(string="Indexed Part (b)", default=0.85, digits=(4, 4))
    index_base_value = fields.Float(string="Base Index (I0)", digits=(16, 4), help="Index value the prices refer to.")
    index_lag_months = fields.Integer(
        string="Index Lag (months)", default=0, help="The revision uses the index published this many months earlier."
    )
    indexation_percentage = fields.Float(string="Yearly Increase (%)")
    next_revision_date = fields.Date(string="Next Revision", tracking=True, copy=False)
    amount_untaxed = fields.Monetary(
        compute="_compute_amounts", store=True, string="Amount per Period", groups=PRICE_GROUPS
    )
    recurring_amount_yearly = fields.Monetary(
        compute="_compute_amounts", store=True, string="Yearly Amount", groups=PRICE_GROUPS
    )
    recurring_amount_monthly = fields.Monetary(
        compute="_compute_amounts", store=True, string="Monthly Amount", groups=PRICE_GROUPS
    )
    note = fields.Html(string="Terms and Conditions")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A contract reference must be unique per company."),
        ("recurring_interval_positive", "CHECK(recurring_interval > 0)", "The invoicing interval must be positive."),
    ]

    @api.depends("partner_id")
    def _compute_partner_invoice_id(self):
        for contract in self:
            partner = contract.partner_id
            if partner and contract.partner_invoice_id.commercial_partner_id != partner:
                contract.partner_invoice_id = partner.address_get(["invoice"])["invoice"]

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        for contract in self:
            contract.currency_id = contract.pricelist_id.currency_id or contract.company_id.currency_id

    @api.depends("partner_id", "company_id")
    def _compute_fiscal_position_id(self):
        for contract in self:
            if not contract.partner_id:
                contract.fiscal_position_id = False
                continue
            contract.fiscal_position_id = (
                self.env["account.fiscal.position"]
                .with_company(contract.company_id)
                ._get_fiscal_position(contract.partner_invoice_id or contract.partner_id)
            )

    @api.depends("date_start", "duration_value", "duration_unit")
    def _compute_date_end(self):
        for contract in self:
            if contract.date_start and contract.duration_value > 0:
                contract.date_end = recurrence.add_duration(
                    contract.date_start, contract.duration_unit, contract.duration_value
                )

    @api.depends("date_end", "notice_period_days", "expiry_alert_days", "notice_alert_days", "auto_renew")
    def _compute_alert_dates(self):
        for contract in self:
            end = contract.date_end
            if not end:
                contract.notice_deadline = contract.expiry_alert_date = contract.notice_alert_date = False
                continue
            contract.notice_deadline = end - relativedelta(days=contract.notice_period_days)
            contract.expiry_alert_date = end - relativedelta(days=contract.expiry_alert_days)
            contract.notice_alert_date = contract.auto_renew and contract.notice_deadline - relativedelta(
                days=contract.notice_alert_days
            )

    @api.depends("amendment_ids")
    def _compute_amendment_count(self):
        counts = dict(
            self.env["service.contract.amendment"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.amendment_count = counts.get(contract, 0)

    def _compute_intervention_count(self):
        counts = dict(
            self.env["service.intervention"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.intervention_count = counts.get(contract, 0)

    @api.depends("line_ids.equipment_ids")
    def _compute_equipment_ids(self):
        for contract in self:
            contract.equipment_ids = contract.line_ids.equipment_ids
            contract.equipment_count = len(contract.equipment_ids)

    def _search_equipment_ids(self, operator, value):
        return [("line_ids.equipment_ids", operator, value)]

    @api.depends(
        "line_ids.price_subtotal",
        "line_ids.recurring_rule_type",
        "line_ids.recurring_interval",
        "recurring_rule_type",
        "recurring_interval",
    )
    def _compute_amounts(self):
        for contract in self:
            contract.amount_untaxed = sum(contract.line_ids.mapped("price_subtotal"))
            yearly = sum(line.price_subtotal * line._get_yearly_factor() for line in contract.line_ids)
            contract.recurring_amount_yearly = yearly
            contract.recurring_amount_monthly = contract.currency_id.round(yearly / 12)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "The contract %(contract)s cannot end (%(end)s) before it starts (%(start)s).",
                        contract=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("indexation_method", "index_id", "index_fixed_part", "index_variable_part", "index_base_value")
    def _check_indexation(self):
        for contract in self.filtered(lambda c: c.indexation_method == "index"):
            if not contract.index_id or contract.index_base_value <= 0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: an index formula needs an index and a positive base value (I0).",
                        contract=contract.name,
                    )
                )
            if abs(contract.index_fixed_part + contract.index_variable_part - 1) > 0.00001:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the fixed part (a) and the indexed part (b) must add up to 1.",
                        contract=contract.name,
                    )
                )

    @api.constrains("partner_id", "site_ids", "partner_invoice_id")
    def _check_addresses(self):
        for contract in self:
            customer = contract.partner_id.commercial_partner_id
            addresses = contract.site_ids | contract.partner_invoice_id
            foreign = addresses.filtered(lambda p, customer=customer: p.commercial_partner_id != customer)
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(addresses)s: not an address of the customer %(customer)s.",
                        addresses=", ".join(foreign.mapped("display_name")),
                        customer=contract.partner_id.display_name,
                    )
                )

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if not self.template_id:
            return
        self.update(self.template_id._prepare_contract_vals(self))
        # the catalog price computed for the new lines must not override the template's prices
        for line, template_line in zip(self.line_ids, self.template_id.line_ids):
            if template_line.price_unit:
                line.price_unit = template_line.price_unit

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_protected_fields(self, vals, CODE_FIELDS)
        if not self.env.su and any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(self.env._("A contract starts as a draft; its status changes through its buttons only."))
        return super().create([text.clean_vals(vals, ("title", "deal_reference")) for vals in vals_list])

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(self.env._("The status of a contract changes through its buttons only."))
        check_protected_fields(self, vals, ("name", *CODE_FIELDS))
        return super().write(text.clean_vals(vals, ("title", "deal_reference")))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(contract.state not in ("draft", "cancelled") for contract in self):
            raise UserError(self.env._("Only draft or cancelled contracts can be deleted; terminate the others."))

    def action_start(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("Only a draft contract can start."))
            if not contract.line_ids:
                raise UserError(
                    self.env._("Add at least one line to %(contract)s before starting it.", contract=contract.name)
                )
        self._set_state("running")
        for contract in self.filtered(lambda c: c.indexation_method != "none" and not c.next_revision_date):
            contract.next_revision_date = contract.date_start + relativedelta(years=1)
        return True

    def action_cancel(self):
        if any(contract.state != "draft" for contract in self):
            raise UserError(self.env._("Only a draft contract can be cancelled; terminate a running one."))
        self._set_state("cancelled")
        return True

    def action_draft(self):
        if any(contract.state != "cancelled" for contract in self):
            raise UserError(self.env._("Only a cancelled contract can be set back to draft."))
        self._set_state("draft")
        return True

    def action_open_terminate_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Terminate Contract"),
            "res_model": "service.contract.terminate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_open_amend_wizard(self):
        self.ensure_one()
        if self.state not in ("draft", "running", "expiring"):
            raise UserError(self.env._("Only a draft, running or expiring contract can be amended."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amend Contract"),
            "res_model": "service.contract.amend.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_open_revise_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revise Prices"),
            "res_model": "service.contract.revise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_ids": self.ids},
        }

    def action_view_amendments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_contract_amendment_action")
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_view_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_intervention_action")
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_equipment_action")
        action["domain"] = [("id", "in", self.equipment_ids.ids)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    def terminate(self, reason, effective_date, note=False):
        """End running contracts on ``effective_date`` for ``reason`` (a termination reason or its id)."""
        effective_date = rpc.to_date(self.env, effective_date, self.env._("The termination date"))
        if not isinstance(reason, models.BaseModel):
            reason = self.env["service.contract.termination.reason"].browse(
                rpc.to_ids(self.env, reason, self.env._("The termination reason"))[:1]
            )
        if len(reason) != 1 or reason._name != "service.contract.termination.reason" or not reason.exists():
            raise UserError(self.env._("Choose the reason of the termination."))
        if note and not isinstance(note, str):
            raise UserError(self.env._("The termination note must be a text."))
        for contract in self:
            if contract.state not in ("running", "expiring"):
                raise UserError(self.env._("Only a running contract can be terminated."))
            if effective_date < contract.date_start:
                raise UserError(
                    self.env._(
                        "%(contract)s cannot end (%(date)s) before it starts (%(start)s).",
                        contract=contract.name,
                        date=effective_date,
                        start=contract.date_start,
                    )
                )
        with_code_write(self).write(
            {
                "termination_reason_id": reason.id,
                "termination_date": effective_date,
                "termination_note": note,
                "date_end": effective_date,
            }
        )
        self._set_state("terminated")
        self._cancel_work_after(effective_date)
        for contract in self:
            contract.message_post(
                body=self.env._("Terminated on %(date)s: %(reason)s", date=effective_date, reason=reason.display_name)
            )
        return True

    def _cancel_work_after(self, end_date):
        """Cancel the preventive interventions planned after ``end_date`` and not started."""
        work = self.env["service.intervention"].search(
            [
                ("contract_id", "in", self.ids),
                ("preventive_slot", ">", end_date),
                ("state", "in", ("new", "planned")),
            ]
        )
        if work:
            work.action_cancel()

    def _set_state(self, state):
        """The one door to a contract's status: the caller has checked the transition, the user's rights apply."""
        self.check_access("write")
        self.sudo().write({"state": state})

    @api.model
    def _prepare_company_sequence_vals(self, company):
        return {
            "name": self.env._("Service Contracts of %(company)s", company=company.name),
            "prefix": "CT/%(range_year)s/",
        }

    def _get_sla_hours(self, priority):
        """``(response, resolution)`` hours the contract promises for an intervention of ``priority``."""
        self.ensure_one()
        sla = self.sla_ids.filtered(lambda s: s.priority == priority)[:1]
        if sla:
            return sla.response_hours, sla.resolution_hours
        return self.sla_response_hours, self.sla_resolution_hours

    def _get_sla_deadlines(self, priority, start):
        """``(response, resolution)`` deadlines (datetimes, or False) for a call received at ``start``."""
        response, resolution = self._get_sla_hours(priority)
        return (
            response and start + relativedelta(hours=response),
            resolution and start + relativedelta(hours=resolution),
        )

    # ------------------------------------------------------------------
    # Renewals and alerts
    # ------------------------------------------------------------------
    @api.model
    def _get_renewal_domain(self, today):
        """Contracts the daily job has something to do with on ``today``."""
        return [
            ("state", "in", ("running", "expiring")),
            ("date_end", "!=", False),
            "|",
            "|",
            "|",
            ("date_end", "<", today),
            "&",
            ("auto_renew", "=", True),
            ("notice_deadline", "<", today),
            "&",
            ("expiry_alert_done", "=", False),
            ("expiry_alert_date", "<=", today),
            "&",
            ("notice_alert_done", "=", False),
            ("notice_alert_date", "<=", today),
        ]

    @api.model
    def _cron_renew_contracts(self, batch_size=500):
        """Renew, expire and alert, in batches. Run twice on the same day, it does nothing more.

        Each batch is written whole (states, dates, flags, activities, e-mails and notes together) and
        committed by the scheduler after each call: an interrupted run leaves either all of a contract's
        work of the day or none of it, and the next run only finds what is left.
        """
        today = fields.Date.context_today(self)
        contracts = self.search(self._get_renewal_domain(today), limit=batch_size, order="date_end, id")
        done = contracts._process_renewal(today)
        remaining = self.search_count(self._get_renewal_domain(today))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _process_renewal(self, today):
        """Process each contract once for ``today``, all of them together; return how many changed."""
        tracked = (*TRACKED_RENEWAL_FIELDS, "expiry_alert_done", "notice_alert_done")
        before = {contract.id: tuple(contract[fname] for fname in tracked) for contract in self}
        # the changes of status and end date are written without the per-record tracking messages and
        # logged by ``_log_notes_with_changes``, with the notes of the day, in one create
        contracts = self.with_context(mail_notrack=True)
        notes = contracts._renew_or_expire(today)
        notes += contracts._send_alerts(today)
        initial_values = {
            contract_id: dict(zip(TRACKED_RENEWAL_FIELDS, values, strict=False))
            for contract_id, values in before.items()
        }
        self._log_notes_with_changes(notes, initial_values, TRACKED_RENEWAL_FIELDS)
        return sum(before[contract.id] != tuple(contract[fname] for fname in tracked) for contract in self)

    def _get_renewed_end(self):
        """The end date of this contract once tacitly renewed."""
        self.ensure_one()
        return recurrence.add_duration(self.date_end + relativedelta(days=1), self.renewal_unit, self.renewal_value)

    def _renew_or_expire(self, today):
        """Renew the contracts whose notice deadline passed, expire the ended others; ``[(contract, note)]``."""
        to_renew = self.filtered(lambda c: c.auto_renew and c.notice_deadline and c.notice_deadline < today)
        to_expire = (self - to_renew).filtered(lambda c: c.date_end < today)
        notes = []
        for (old_end, new_end), contracts in to_renew.grouped(lambda c: (c.date_end, c._get_renewed_end())).items():
            with_code_write(contracts).write(
                {"date_end": new_end, "expiry_alert_done": False, "notice_alert_done": False}
            )
            note = self.env._("Renewed tacitly: the end date moves from %(old)s to %(new)s.", old=old_end, new=new_end)
            notes += [(contract, note) for contract in contracts]
        to_renew._set_state("running")
        to_expire._set_state("expired")
        notes += [(contract, self.env._("Expired on %(date)s.", date=contract.date_end)) for contract in to_expire]
        return notes

    def _send_alerts(self, today):
        """Alert the responsible of the contracts whose notice or expiry alert date came, once.

        Return ``[(contract, note)]`` to log."""
        open_contracts = self.filtered(lambda c: c.state in ("running", "expiring"))
        expiry = open_contracts.filtered(lambda c: not c.expiry_alert_done and c.expiry_alert_date <= today)
        notice = open_contracts.filtered(
            lambda c: c.auto_renew and not c.notice_alert_done and c.notice_alert_date <= today
        )
        if expiry:
            with_code_write(expiry).write({"expiry_alert_done": True})
            expiry.filtered(lambda c: c.state == "running" and not c.auto_renew)._set_state("expiring")
        if notice:
            with_code_write(notice).write({"notice_alert_done": True})
            notice._set_state("expiring")
        expiry_alerts = {
            contract: (
                self.env._("Contract %(contract)s ends on %(date)s", contract=contract.name, date=contract.date_end),
                contract.date_end,
            )
            for contract in expiry
        }
        notice_alerts = {
            contract: (
                self.env._(
                    "Contract %(contract)s renews unless notice is given by %(date)s",
                    contract=contract.name,
                    date=contract.notice_deadline,
                ),
                contract.notice_deadline,
            )
            for contract in notice
        }
        expiry._alert_responsible("service_management.mail_template_service_contract_expiry", expiry_alerts)
        notice._alert_responsible("service_management.mail_template_service_contract_notice", notice_alerts)
        return [(contract, summary) for contract, (summary, __) in (*expiry_alerts.items(), *notice_alerts.items())]

    def _alert_responsible(self, template_xmlid, alerts):
        """A to-do activity per contract for its responsible and the template's e-mail, each in one batch.

        ``alerts`` gives each contract's ``(summary, deadline)``. The responsible learns of the alert by its
        e-mail: the activity is created without Odoo's assignment e-mail, as Odoo's own contract alerts do.
        """
        if not self:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": alerts[contract][0],
                    "automated": True,
                    "note": activity_type.default_note,
                    "date_deadline": alerts[contract][1],
                    "res_model_id": model_id,
                    "res_id": contract.id,
                    "user_id": (contract.user_id or self.env.user).id,
                }
                for contract in self
            ]
        )
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template:
            self._service_send_template_mails(template, "mail.mail_notification_light")

    def _log_notes_with_changes(self, notes, initial_values, tracked_fields):
        """Post the ``[(contract, note)]`` as notes, the first of each contract with the changes of its
        ``tracked_fields`` since ``initial_values`` (``{id: {field: value}}``): one create of the notes, one of
        their tracked values."""
        if not notes:
            return
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base_values = {
            # as ``_message_log_batch``: a note to no one, its reply-to computed once
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "is_internal": True,
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
        }
        messages = (
            self.env["mail.message"]
            .sudo()
            .create([dict(base_values, res_id=contract.id, body=escape(note)) for contract, note in notes])
        )
        fields_info = self.fields_get(list(tracked_fields), attributes=("string", "type", "selection"))
        Tracking = self.env["mail.tracking.value"]
        tracking_vals = []
        tracked = set()
        for (contract, __), message in zip(notes, messages, strict=True):
            if contract.id in tracked:
                continue
            tracked.add(contract.id)
            for fname, initial in initial_values[contract.id].items():
                if initial != contract[fname]:
                    vals = Tracking._create_tracking_values(
                        initial, contract[fname], fname, fields_info[fname], contract
                    )
                    tracking_vals.append(dict(vals, mail_message_id=message.id))
        Tracking.sudo().create(tracking_vals)

    # ------------------------------------------------------------------
    # Indexation
    # ------------------------------------------------------------------
    def _get_index_month(self, revision_date):
        """The first day of the month whose index value a revision on ``revision_date`` uses."""
        self.ensure_one()
        return (revision_date - relativedelta(months=self.index_lag_months)).replace(day=1)

    def _get_index_values(self, revision_dates):
        """The index values the revisions of these contracts use, on ``revision_dates`` (``{contract: date}``),
        read in one query for ``_get_index_value_for_revision``."""
        return self.env["service.index"]._get_values_by_month(
            {
                (contract.index_id.id, contract._get_index_month(revision_dates[contract]))
                for contract in self
                if contract.indexation_method == "index" and contract.index_id
            }
        )

    def _get_index_value_for_revision(self, revision_date, index_values):
        """The index value a revision on ``revision_date`` uses, from ``index_values`` (read for a batch of
        contracts by ``_get_index_values``); a clear error when it is not known."""
        self.ensure_one()
        month = self._get_index_month(revision_date)
        value = index_values.get((self.index_id.id, month))
        if value is None:
            raise UserError(
                self.env._(
                    "Contract %(contract)s cannot be revised: the value of the index %(index)s for %(month)s "
                    "is missing. Enter it in Service > Configuration > Price Indexes, then revise again.",
                    contract=self.name,
                    index=self.index_id.display_name,
                    month=month.strftime("%m/%Y"),
                )
            )
        return value

    def _prepare_revision(self, revision_date, index_values=None):
        """New prices by line and the index value used, without writing anything.

        ``index_values``: those of ``_get_index_values`` for a batch of contracts, else read for this one."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        index_value = False
        if self.indexation_method == "index":
            if index_values is None:
                index_values = self._get_index_values({self: revision_date})
            index_value = self._get_index_value_for_revision(revision_date, index_values)
            prices = {
                line: indexation.revised_price(
                    line.price_unit,
                    self.index_fixed_part,
                    self.index_variable_part,
                    index_value,
                    self.index_base_value,
                    rounding,
                )
                for line in self.line_ids
            }
        elif self.indexation_method == "percentage":
            prices = {
                line: indexation.price_with_percentage(line.price_unit, self.indexation_percentage, rounding)
                for line in self.line_ids
            }
        else:
            raise UserError(self.env._("Contract %(contract)s has no price revision.", contract=self.name))
        return prices, index_value

    def revise_prices(self, revision_date):
        """Apply the price revision of each contract on ``revision_date`` as an amendment.

        All contracts are checked before anything is written: a missing index
        value stops the whole revision with nothing changed.
        """
        revision_date = rpc.to_date(self.env, revision_date, self.env._("The revision date"))
        index_values = self._get_index_values(dict.fromkeys(self, revision_date))
        self._apply_revisions(
            revision_date, [(contract, *contract._prepare_revision(revision_date, index_values)) for contract in self]
        )
        return True

    def _get_revision_reason(self, index_value):
        self.ensure_one()
        if index_value:
            return self.env._(
                "Indexation: %(index)s %(new)s (base %(base)s)",
                index=self.index_id.display_name,
                new=index_value,
                base=self.index_base_value,
            )
        return self.env._("Indexation: +%(percent)s %%", percent=self.indexation_percentage)

    @api.model
    def _apply_revisions(self, revision_date, revisions):
        """Write the prepared ``[(contract, prices, index_value)]`` on ``revision_date``: the amendments in one
        create, the next revision dates and base values by equal values, the notes (with the change of the next
        revision date) in one create."""
        contracts = self.browse([contract.id for contract, __, __ in revisions])
        initial_values = {contract.id: {"next_revision_date": contract.next_revision_date} for contract in contracts}
        # worded before the base value moves
        reasons = {contract: contract._get_revision_reason(index_value) for contract, __, index_value in revisions}
        amendments = self.env["service.contract.amendment"]._create_amendments(
            revision_date,
            [
                (contract, {line: {"price_unit": price} for line, price in prices.items()}, reasons[contract])
                for contract, prices, __ in revisions
            ],
            amendment_type="indexation",
        )
        next_date = revision_date + relativedelta(years=1)
        by_index_value = {}
        for contract, __, index_value in revisions:
            by_index_value.setdefault(index_value, []).append(contract.id)
        for index_value, contract_ids in by_index_value.items():
            vals = {"next_revision_date": next_date}
            if index_value:
                vals["index_base_value"] = index_value
            self.browse(contract_ids).with_context(mail_notrack=True).write(vals)
        # a revision that changes no price still moves the next revision date: its note says so
        notes = {amendment.contract_id: amendment._get_note() for amendment in amendments}
        contracts._log_notes_with_changes(
            [
                (contract, notes.get(contract) or self.env._("%(reason)s: no price changes.", reason=reasons[contract]))
                for contract, __, __ in revisions
            ],
            initial_values,
            ("next_revision_date",),
        )

    @api.model
    def _get_revision_domain(self, today):
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "service_management.mail_activity_type_revision_blocked"
        )
        return [
            ("state", "in", ("running", "expiring")),
            ("indexation_method", "!=", "none"),
            ("next_revision_date", "<=", today),
            # a contract blocked by a missing index value waits for its responsible
            "!",
            ("activity_ids.activity_type_id", "=", activity_type_id),
        ]

    @api.model
    def _cron_revise_prices(self, batch_size=500):
        """Revise the prices of contracts whose anniversary has come, in batches.

        A contract whose index value is missing is left as it is, with one
        activity for its responsible; the next runs retry it without a second activity.
        A batch is written in one savepoint; should writing it fail, each contract is written in its own, so
        that one contract never holds back the others.
        """
        today = fields.Date.context_today(self)
        contracts = self.search(self._get_revision_domain(today), limit=batch_size, order="next_revision_date, id")
        revisions, errors = contracts._prepare_revisions()
        try:
            with self.env.cr.savepoint():
                for revision_date, date_revisions in revisions.items():
                    self._apply_revisions(revision_date, date_revisions)
        except REVISION_ERRORS:
            for revision_date, date_revisions in revisions.items():
                for revision in date_revisions:
                    try:
                        with self.env.cr.savepoint():
                            self._apply_revisions(revision_date, [revision])
                    except REVISION_ERRORS as error:
                        errors[revision[0]] = error
        self._schedule_revision_blocked(errors)
        # the blocked contracts count as processed: they leave the domain with their activity
        remaining = self.search_count(self._get_revision_domain(today)) if contracts else 0
        self.env["ir.cron"]._notify_progress(done=len(contracts), remaining=remaining)
        return len(contracts) - len(errors)

    @api.model
    def _schedule_revision_blocked(self, errors):
        """One activity for the responsible of each contract of ``errors`` (``{contract: error}``), in one create.

        The activities wait in their responsibles' activity menus without an e-mail each: a missing index value
        blocks every contract on that index at once, and a hundred identical e-mails would hide the one task."""
        if not errors:
            return
        activity_type = self.env.ref("service_management.mail_activity_type_revision_blocked")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Price revision blocked"),
                    "note": str(error),
                    "automated": True,
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": contract.id,
                    "user_id": (contract.user_id or self.env.user).id,
                }
                for contract, error in errors.items()
            ]
        )

    def _prepare_revisions(self):
        """Each contract's revision on its next revision date, by date, and the errors of those that cannot be
        revised, by contract: nothing written."""
        revisions, errors = {}, {}
        index_values = self._get_index_values({contract: contract.next_revision_date for contract in self})
        for contract in self:
            try:
                prepared = contract._prepare_revision(contract.next_revision_date, index_values)
            except UserError as error:
                errors[contract] = error
                continue
            revisions.setdefault(contract.next_revision_date, []).append((contract, *prepared))
        return revisions, errors

    # ------------------------------------------------------------------
    # Wording of the contract document
    # ------------------------------------------------------------------
    def _get_duration_label(self):
        """``5 years``, ``18 mois``: the contract's duration in the language of the environment."""
        self.ensure_one()
        return wording.format_duration(self.duration_value, self.duration_unit, self.env.lang)

    def _get_notice_label(self):
        """``1 day``, ``90 jours``: the notice period."""
        self.ensure_one()
        return wording.format_duration(self.notice_period_days, "daily", self.env.lang)

    def _get_renewal_label(self):
        """``Tacit renewal for 1 year`` or ``No tacit renewal``."""
        self.ensure_one()
        if not self.auto_renew:
            return self.env._("No tacit renewal")
        return self.env._(
            "Tacit renewal for %(duration)s",
            duration=wording.format_duration(self.renewal_value, self.renewal_unit, self.env.lang),
        )

    def _get_recurrence_label(self):
        """``every month``, ``every 3 months``, ``tous les mois``: how often the contract is billed."""
        self.ensure_one()
        count = self.recurring_interval
        unit = self.recurring_rule_type
        if count == 1:
            return {
                "daily": self.env._("every day"),
                "weekly": self.env._("every week"),
                "monthly": self.env._("every month"),
                "quarterly": self.env._("every quarter"),
                "yearly": self.env._("every year"),
            }[unit]
        return {
            "daily": self.env._("every %(count)s days", count=count),
            "weekly": self.env._("every %(count)s weeks", count=count),
            "monthly": self.env._("every %(count)s months", count=count),
            "quarterly": self.env._("every %(count)s quarters", count=count),
            "yearly": self.env._("every %(count)s years", count=count),
        }[unit]
