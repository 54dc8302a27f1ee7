from datetime import timedelta
from urllib.parse import quote_plus

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, format_datetime, format_time

from odoo.addons.service_management.helpers.report import render_per_record
from odoo.addons.service_management.models.service_contract_sla import PRIORITIES
from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS

INTERVENTION_TYPES = [
    ("preventive", "Preventive"),
    ("corrective", "Corrective"),
    ("installation", "Installation"),
    ("inspection", "Inspection"),
]


class ServiceIntervention(models.Model):
    _name = "service.intervention"
    _description = "Intervention"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "service.company.sequence.mixin",
        "service.protected.fields.mixin",
    ]
    _order = "priority desc, planned_start, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    intervention_type = fields.Selection(
        INTERVENTION_TYPES, string="Type", required=True, default="corrective", tracking=True
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
    site_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        check_company=True,
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    contract_id = fields.Many2one(
        "service.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id), ('state', 'in', ('running', 'expiring'))]",
    )
    zone_id = fields.Many2one(
        "service.zone",
        compute="_compute_zone_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    service_order_id = fields.Many2one("service.order", index=True, check_company=True)
    contract_line_id = fields.Many2one(
        "service.contract.line", string="Preventive Plan", index="btree_not_null", readonly=True, copy=False
    )
    preventive_slot = fields.Date(
        readonly=True, copy=False, help="The visit of the contract's preventive plan this intervention carries out."
    )
    priority = fields.Selection(PRIORITIES, default="1", required=True, tracking=True)
    description = fields.Html(string="Customer's Complaint")
    work_done = fields.Html(help="What the technician did, printed on the intervention report.")
    stage_id = fields.Many2one(
        "service.intervention.stage",
        default=lambda self: self._get_stage("new"),
        required=True,
        tracking=True,
        group_expand="_read_group_stage_ids",
        index=True,
        copy=False,
    )
    state = fields.Selection(related="stage_id.state", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Lead Technician", tracking=True, index=True, check_company=True)
    helper_ids = fields.Many2many("res.users", string="Helpers", check_company=True)
    planned_start = fields.Datetime(tracking=True, copy=False)
    planned_duration = fields.Float(string="Planned Duration (h)", default=1.0)
    planned_end = fields.Datetime(compute="_compute_planned_end", store=True)
    actual_start = fields.Datetime(readonly=True, copy=False)
    actual_end = fields.Datetime(readonly=True, copy=False)
    actual_duration = fields.Float(string="Time Spent (h)", compute="_compute_actual_duration", store=True)
    call_date = fields.Datetime(string="Received On", default=fields.Datetime.now, required=True)
    response_deadline = fields.Datetime(compute="_compute_sla", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_sla", store=True)
    sla_breached = fields.Boolean(compute="_compute_sla_breached", store=True, string="SLA Breached")
    coverage = fields.Selection(
        [("warranty", "Covered by a Warranty"), ("contract", "Covered by the Contract"), ("billable", "Billable")],
        compute="_compute_coverage",
        store=True,
        help="Whether the labour of this intervention is charged, decided from the contract and the warranties.",
    )
    coverage_reason_code = fields.Selection(
        [
            ("warranty", "Warranty"),
            ("preventive", "Preventive Visit of the Contract"),
            ("contract_labour", "Labour Included in the Contract"),
            ("contract_billable", "Billable under the Contract"),
            ("none", "No Contract or Warranty"),
        ],
        compute="_compute_coverage",
        store=True,
        string="Coverage Rule",
    )
    coverage_warranty_id = fields.Many2one(
        "service.equipment.warranty", compute="_compute_coverage", store=True, string="Covering Warranty"
    )
    coverage_reason = fields.Char(
        compute="_compute_coverage_reason", help="Why the labour is covered or billable, in the reader's language."
    )
    part_ids = fields.One2many("service.intervention.part", "intervention_id", string="Parts Used")
    can_edit_prices = fields.Boolean(compute="_compute_can_edit_prices")
    # on site: checklist, photos, signature, payments, report
    checklist_line_ids = fields.One2many("service.intervention.checklist.line", "intervention_id", string="Checklist")
    photo_ids = fields.Many2many(
        "ir.attachment",
        "service_intervention_photo_rel",
        "intervention_id",
        "attachment_id",
        string="Photos",
        copy=False,
    )
    photo_count = fields.Integer(compute="_compute_photo_count")
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024, help="The customer's signature."
    )
    signed_by = fields.Char(copy=False, help="Name of the person who signed for the customer.")
    signed_on = fields.Datetime(copy=False, readonly=True)
    site_address = fields.Char(compute="_compute_site_map_url")
    site_map_url = fields.Char(string="Map", compute="_compute_site_map_url")
    planned_time = fields.Char(
        string="Time", compute="_compute_planned_time", help="The planned start time, in the user's timezone."
    )
    site_phone = fields.Char(
        compute="_compute_site_phone", help="The site's phone number, else the customer's, to call before coming."
    )
    equipment_history = fields.Html(string="Last Interventions", compute="_compute_equipment_history", sanitize=False)
    payment_ids = fields.One2many(
        "account.payment", "service_intervention_id", string="Payments", readonly=True, groups=PRICE_GROUPS
    )
    payment_count = fields.Integer(compute="_compute_collected_amount")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    collected_amount = fields.Monetary(
        string="Collected", compute="_compute_collected_amount", currency_field="company_currency_id"
    )
    report_state = fields.Selection(
        [("pending", "Report Pending"), ("sent", "Report Attached")],
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Finishing queues the intervention report: a background job renders it, attaches it and e-mails it.",
    )

    def init(self):
        # one preventive intervention per plan line, equipment and visit date, even with concurrent workers
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS service_intervention_preventive_slot_uniq
                ON service_intervention (contract_line_id, COALESCE(equipment_id, 0), preventive_slot)
             WHERE preventive_slot IS NOT NULL
            """
        )

    @api.depends("partner_id", "equipment_id")
    def _compute_site_id(self):
        for intervention in self:
            if intervention.equipment_id.site_id:
                intervention.site_id = intervention.equipment_id.site_id
                continue
            if intervention.partner_id:
                intervention.site_id = intervention.partner_id._get_service_site(intervention.site_id)

    @api.depends("equipment_id", "partner_id")
    def _compute_contract_id(self):
        to_propose = self.filtered(lambda i: i.equipment_id or i.contract_id.partner_id != i.partner_id)
        contract_by_equipment = to_propose.equipment_id._get_running_contracts()
        for intervention in to_propose:
            intervention.contract_id = contract_by_equipment.get(intervention.equipment_id.id, False)

    @api.depends("site_id", "equipment_id")
    def _compute_zone_id(self):
        for intervention in self:
            intervention.zone_id = (intervention.equipment_id.site_id or intervention.site_id).service_zone_id

    @api.depends_context("uid")
    def _compute_can_edit_prices(self):
        self.can_edit_prices = self.env["service.intervention.part"]._can_set_prices()

    @api.depends("planned_start", "planned_duration")
    def _compute_planned_end(self):
        for intervention in self:
            intervention.planned_end = intervention.planned_start and intervention.planned_start + timedelta(
                hours=intervention.planned_duration
            )

    @api.depends("actual_start", "actual_end")
    def _compute_actual_duration(self):
        for intervention in self:
            if intervention.actual_start and intervention.actual_end:
                seconds = (intervention.actual_end - intervention.actual_start).total_seconds()
                intervention.actual_duration = round(seconds / 3600.0, 2)
            else:
                intervention.actual_duration = 0.0

    @api.depends("contract_id", "priority", "call_date", "intervention_type")
    def _compute_sla(self):
        """A contract's service level binds the repair of a breakdown from its call; planned work (preventive
        visits, inspections, installations) keeps its own date and has no deadline."""
        for intervention in self:
            bound = intervention.intervention_type == "corrective" and intervention.contract_id
            if not bound or not intervention.call_date:
                intervention.response_deadline = intervention.resolution_deadline = False
                continue
            response, resolution = intervention.contract_id._get_sla_deadlines(
                intervention.priority, intervention.call_date
            )
            intervention.response_deadline = response
            intervention.resolution_deadline = resolution

    @api.depends("response_deadline", "resolution_deadline", "actual_start", "actual_end")
    def _compute_sla_breached(self):
        for intervention in self:
            late_start = (
                intervention.response_deadline
                and intervention.actual_start
                and (intervention.actual_start > intervention.response_deadline)
            )
            late_end = (
                intervention.resolution_deadline
                and intervention.actual_end
                and (intervention.actual_end > intervention.resolution_deadline)
            )
            intervention.sla_breached = bool(late_start or late_end)

    @api.depends(
        "equipment_id.warranty_ids",
        "contract_id.line_ids.cover_labour",
        "intervention_type",
        "actual_start",
        "planned_start",
        "call_date",
    )
    def _compute_coverage(self):
        for intervention in self:
            decision = intervention._get_coverage_decision()
            intervention.coverage = decision["coverage"]
            intervention.coverage_reason_code = decision["code"]
            intervention.coverage_warranty_id = decision.get("warranty")

    @api.depends("coverage_reason_code", "coverage_warranty_id", "contract_id", "equipment_id")
    @api.depends_context("lang")
    def _compute_coverage_reason(self):
        for intervention in self:
            intervention.coverage_reason = intervention._get_coverage_reason_label()

    def _get_coverage_decision(self):
        """``{'coverage', 'code', 'warranty'}``: a warranty in force, then the contract's lines, else billable.

        Only the code is decided here; the reason is worded when displayed, in the reader's language.
        """
        self.ensure_one()
        warranty = self._get_warranties_in_force().filtered("cover_labour")[:1]
        if warranty:
            return {"coverage": "warranty", "code": "warranty", "warranty": warranty.id}
        lines = self.contract_id.line_ids
        if self.equipment_id:
            lines = lines.filtered(lambda line: self.equipment_id in line.equipment_ids)
        if self.intervention_type == "preventive" and lines.filtered("visits_per_year"):
            return {"coverage": "contract", "code": "preventive"}
        if lines.filtered(lambda line: line.cover_labour == "included"):
            return {"coverage": "contract", "code": "contract_labour"}
        if self.contract_id:
            return {"coverage": "billable", "code": "contract_billable"}
        return {"coverage": "billable", "code": "none"}

    def _get_coverage_reason_label(self):
        """The coverage reason worded from its code, in the language of the environment."""
        self.ensure_one()
        code = self.coverage_reason_code
        contract = self.contract_id.name
        if code == "warranty":
            return self.env._(
                "%(warranty)s of %(equipment)s",
                warranty=self.coverage_warranty_id.display_name,
                equipment=self.equipment_id.name,
            )
        if code == "preventive":
            return self.env._("Preventive visit planned by %(contract)s", contract=contract)
        if code == "contract_labour":
            return self.env._("Labour included in %(contract)s", contract=contract)
        if code == "contract_billable":
            return self.env._("Labour is billable under %(contract)s", contract=contract)
        if code == "none":
            return self.env._("No contract or warranty covers this work")
        return False

    def _get_warranties_in_force(self):
        """Warranties of the equipment on the day of the work (actual, else planned, else call date)."""
        self.ensure_one()
        if not self.equipment_id:
            return self.env["service.equipment.warranty"]
        moment = self.actual_start or self.planned_start or self.call_date
        on_date = moment.date() if moment else fields.Date.context_today(self)
        return self.equipment_id._get_warranties_at(on_date)

    def _are_parts_covered(self):
        """Parts are free under a warranty covering parts or a contract line including them."""
        self.ensure_one()
        if self._get_warranties_in_force().filtered("cover_parts"):
            return True
        lines = self.contract_id.line_ids
        if self.equipment_id:
            lines = lines.filtered(lambda line: self.equipment_id in line.equipment_ids)
        return any(line.cover_parts == "included" for line in lines)

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for intervention in self:
            intervention.photo_count = len(intervention.photo_ids)

    @api.depends("site_id.street", "site_id.street2", "site_id.zip", "site_id.city", "site_id.country_id")
    def _compute_site_map_url(self):
        for intervention in self:
            site = intervention.site_id
            parts = [site.street, site.street2, site.zip, site.city, site.country_id.name]
            address = ", ".join(part for part in parts if part)
            intervention.site_address = address
            intervention.site_map_url = (
                f"https://www.openstreetmap.org/search?query={quote_plus(address)}" if address else False
            )

    @api.depends("planned_start")
    @api.depends_context("tz", "lang")
    def _compute_planned_time(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        for intervention in self:
            intervention.planned_time = intervention.planned_start and format_time(
                self.env, intervention.planned_start, tz=tz, time_format="short"
            )

    @api.depends("site_id.phone", "partner_id.phone")
    def _compute_site_phone(self):
        for intervention in self:
            intervention.site_phone = intervention.site_id.phone or intervention.partner_id.phone

    @api.depends("equipment_id")
    def _compute_equipment_history(self):
        history = self._get_equipment_history()
        types = dict(self._fields["intervention_type"]._description_selection(self.env))
        # one pass over all the shown interventions at once, so that their technicians are read together
        rows = {
            done.id: self._get_equipment_history_row(done, types)
            for done in self.sudo().browse().union(*history.values())
        }
        for intervention in self:
            shown = history.get(intervention.equipment_id.id, self.browse())
            done_ids = [done_id for done_id in shown.ids if done_id != intervention._origin.id]
            intervention.equipment_history = (
                self.env["ir.qweb"]._render(
                    "service_management.service_intervention_equipment_history",
                    {"rows": [rows[done_id] for done_id in done_ids[:5]]},
                )
                if done_ids
                else False
            )

    def _get_equipment_history_row(self, intervention, types):
        """The texts of one line of the equipment history, formatted here rather than by one field widget per cell
        (the history is shown on every opening of the form)."""
        return {
            "date": format_date(self.env, intervention.actual_end) if intervention.actual_end else "",
            "name": intervention.name,
            "type": types.get(intervention.intervention_type, ""),
            "technician": intervention.user_id.display_name or "",
        }

    def _get_equipment_history(self, limit=6):
        """``{equipment_id: interventions}``: the last ``limit`` done interventions of each equipment of ``self``,
        in one query, whoever did them (a technician needs the history of the equipment they work on)."""
        equipment_ids = tuple(self.equipment_id.ids)
        if not equipment_ids:
            return {}
        self.env["service.intervention"].flush_model(["equipment_id", "state", "actual_end"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM (
                    SELECT id, ROW_NUMBER() OVER (
                               PARTITION BY equipment_id ORDER BY actual_end DESC NULLS LAST, id DESC) AS row_number
                      FROM service_intervention
                     WHERE equipment_id IN %s AND state = 'done'
                ) AS ranked
                 WHERE row_number <= %s
                """,
                equipment_ids,
                limit,
            )
        )
        done = (
            self.sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
            .sorted(lambda i: (i.actual_end or fields.Datetime.now(), i.id), reverse=True)
        )
        history = {}
        for intervention in done:
            history.setdefault(intervention.equipment_id.id, []).append(intervention.id)
        return {
            equipment_id: done.browse(ids).with_prefetch(done._prefetch_ids) for equipment_id, ids in history.items()
        }

    @api.depends("payment_ids.amount", "payment_ids.state")
    def _compute_collected_amount(self):
        # sudo: a technician sees what they collected without being an accountant
        groups = (
            self.env["account.payment"]
            .sudo()
            ._read_group(
                [("service_intervention_id", "in", self.ids), ("state", "in", ("in_process", "paid"))],
                ["service_intervention_id"],
                ["amount:sum", "__count"],
            )
        )
        totals = {intervention.id: (amount, count) for intervention, amount, count in groups}
        for intervention in self:
            intervention.collected_amount, intervention.payment_count = totals.get(intervention.id, (0.0, 0))

    @api.constrains("signature", "signed_by")
    def _check_signature(self):
        for intervention in self:
            if intervention.signature and not (intervention.signed_by or "").strip():
                raise ValidationError(
                    self.env._("Enter the name of the person who signs %(name)s.", name=intervention.name)
                )

    @api.constrains("user_id", "helper_ids", "planned_start", "planned_duration", "stage_id")
    def _check_double_booking(self):
        conflicts = self._get_booking_conflicts()
        for intervention in self:
            conflict = conflicts.get(intervention.id)
            if conflict:
                raise ValidationError(
                    self.env._(
                        "%(technician)s is already booked on %(other)s from %(start)s to %(end)s.",
                        technician=(intervention._get_technicians() & conflict._get_technicians())[:1].name,
                        other=conflict.name,
                        start=format_datetime(self.env, conflict.planned_start, dt_format="short"),
                        end=format_datetime(self.env, conflict.planned_end, dt_format="short"),
                    )
                )

    @api.constrains("planned_duration")
    def _check_planned_duration(self):
        if any(intervention.planned_duration <= 0 for intervention in self):
            raise ValidationError(self.env._("The planned duration must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        stages = {}  # the default stages, looked up once for the whole batch
        for vals in vals_list:
            planned = vals.get("planned_start") and vals.get("user_id")
            if "stage_id" not in vals and (planned or "default_stage_id" not in self.env.context):
                state = "planned" if planned else "new"
                if state not in stages:
                    stages[state] = self._get_stage(state)
                vals["stage_id"] = stages[state].id
            if vals.get("signature"):
                vals["signed_on"] = fields.Datetime.now()
        interventions = super().create(vals_list)
        interventions._fill_checklist_lines()
        return interventions

    def write(self, vals):
        if "signature" in vals:
            vals = dict(vals, signed_on=vals["signature"] and fields.Datetime.now())
        to_refill = (
            self.filtered(lambda i: i.state in ("new", "planned") and i.intervention_type != vals["intervention_type"])
            if vals.get("intervention_type")
            else self.browse()
        )
        res = super().write(vals)
        if to_refill:
            to_refill._fill_checklist_lines()
        if vals.get("planned_start") or vals.get("user_id"):
            to_plan = self.filtered(lambda i: i.state == "new" and i.planned_start and i.user_id)
            if to_plan:
                to_plan.write({"stage_id": self._get_stage("planned").id})
        return res

    def action_start(self):
        for intervention in self:
            if intervention.state not in ("new", "planned"):
                raise UserError(self.env._("%(name)s is already started or closed.", name=intervention.name))
        self._with_code_write().write(
            {"actual_start": fields.Datetime.now(), "stage_id": self._get_stage("in_progress").id}
        )
        return True

    def action_done(self):
        if any(intervention.state != "in_progress" for intervention in self):
            raise UserError(self.env._("Only an intervention in progress can be finished."))
        self._check_checklist_complete()
        self._with_code_write().write(
            {"actual_end": fields.Datetime.now(), "stage_id": self._get_stage("done").id, "report_state": "pending"}
        )
        cron = self.env.ref("service_management.ir_cron_service_intervention_report", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        return True

    def action_cancel(self):
        if any(intervention.state == "done" for intervention in self):
            raise UserError(self.env._("A finished intervention cannot be cancelled."))
        self._with_code_write().write({"stage_id": self._get_stage("cancelled").id})
        return True

    def action_collect_payment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collect Payment"),
            "res_model": "service.intervention.payment.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_intervention_id": self.id},
        }

    def action_view_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.account_payment_action_collected")
        action["domain"] = [("service_intervention_id", "=", self.id)]
        action["context"] = {"default_service_intervention_id": self.id, "create": False}
        return action

    def action_view_photos(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Photos"),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", self.photo_ids.ids)],
            "context": {"create": False},
        }

    def _fill_checklist_lines(self):
        """Replace the checklist of each intervention of ``self`` by its company's template for its type."""
        if not self:
            return
        # sudo: the checklist follows the type, whoever may change the type (a technician cannot delete lines)
        self.sudo().checklist_line_ids.unlink()
        templates = (
            self.env["service.checklist.template"]
            .sudo()
            ._get_templates_by_key(
                {(intervention.company_id.id, intervention.intervention_type) for intervention in self}
            )
        )
        vals_list = []
        for intervention in self:
            template = templates.get((intervention.company_id.id, intervention.intervention_type))
            vals_list += (
                [item._prepare_checklist_line_vals(intervention) for item in template.item_ids] if template else []
            )
        self.env["service.intervention.checklist.line"].sudo().create(vals_list)

    def _check_checklist_complete(self):
        missing = self.checklist_line_ids.filtered(lambda line: line.required and not line.answered)
        if missing:
            raise UserError(
                self.env._(
                    "Answer the required checklist items before finishing:\n%(items)s",
                    items="\n".join(
                        f"{intervention.name}: {', '.join(lines.mapped('question'))}"
                        for intervention, lines in missing.grouped("intervention_id").items()
                    ),
                )
            )

    def _get_amount_due(self):
        """What the customer owes on site: the parts not covered, taxes included, less what was already collected.
        Labour is invoiced later."""
        self.ensure_one()
        return max(self.company_currency_id.round(self._get_parts_total() - self.collected_amount), 0.0)

    def _get_amount_collectable(self):
        """The most a technician may collect: the parts not covered and, when billable, the labour at the rate of
        the intervention's type, taxes included, less what was already collected; once invoiced, what its invoice
        still waits for."""
        self.ensure_one()
        if self.sudo().invoice_id.state == "posted":
            return max(self.sudo().service_amount_unpaid, 0.0)
        total = self._get_parts_total() + self._get_labour_total()
        return max(self.company_currency_id.round(total - self.collected_amount), 0.0)

    def _get_parts_total(self):
        """The parts not covered, taxes included, in the company's currency."""
        self.ensure_one()
        # sudo: prices are computed for a technician who may not read them
        intervention = self.sudo()
        return sum(
            intervention._get_total_included(part.product_id, part.price_unit, part.quantity)
            for part in intervention.part_ids.filtered(lambda part: not part.covered)
        )

    def _get_labour_total(self):
        """The billable labour so far (its time, or the time since it started), taxes included."""
        self.ensure_one()
        intervention = self.sudo()
        if intervention.coverage != "billable" or not intervention.actual_start:
            return 0.0
        hours = intervention.actual_duration or round(
            (fields.Datetime.now() - intervention.actual_start).total_seconds() / 3600.0, 2
        )
        if hours <= 0:
            return 0.0
        product = intervention._get_labour_product()
        price = intervention._get_billing_price(product, hours, product.uom_id, intervention.company_currency_id)
        return intervention._get_total_included(product, price, hours)

    def _get_total_included(self, product, price_unit, quantity):
        self.ensure_one()
        taxes = product.taxes_id._filter_taxes_by_company(self.company_id)
        return taxes.compute_all(
            price_unit,
            currency=self.company_currency_id,
            quantity=quantity,
            product=product,
            partner=self.partner_id,
        )["total_included"]

    def _get_report_mail_template(self):
        return self.env.ref("service_management.mail_template_service_intervention_report", raise_if_not_found=False)

    @api.model
    def _cron_send_intervention_reports(self, batch_size=20):
        """Render, attach and e-mail the reports of finished interventions, one batch per call.

        Each batch is one transaction (the cron commits it after reporting progress): a run stopped halfway leaves
        its batch pending and the next run does it again, so no report is attached or e-mailed twice.
        """
        domain = [("report_state", "=", "pending")]
        interventions = self.search(domain, order="actual_end, id", limit=batch_size)
        # sudo: the customer's copy shows the prices, whoever finished the work
        interventions.sudo()._send_intervention_report()
        self.env["ir.cron"]._notify_progress(done=len(interventions), remaining=self.search_count(domain))
        return True

    def _send_intervention_report(self):
        """Attach the report to each intervention and e-mail it to customers who have an address; the e-mails
        are queued. The reports are rendered in one call per language."""
        if not self:
            return
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": intervention._get_report_filename(),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": intervention.id,
                }
                for intervention, content in self._render_report_pdfs().items()
            ]
        )
        attachment_by_intervention = {attachment.res_id: attachment for attachment in attachments}
        template = self._get_report_mail_template()
        to_mail = self.filtered(lambda i: i.partner_id.email) if template else self.browse()
        for intervention in to_mail:
            intervention.with_context(mail_notify_force_send=False).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=attachment_by_intervention[intervention.id].ids,
            )
        for intervention in self - to_mail:
            intervention.message_post(
                body=self.env._(
                    "%(customer)s has no e-mail address: the intervention report was not sent.",
                    customer=intervention.partner_id.display_name,
                ),
                attachment_ids=attachment_by_intervention[intervention.id].ids,
            )
        self._with_code_write().write({"report_state": "sent"})

    def _render_report_pdfs(self):
        """``{intervention: pdf bytes}``: one wkhtmltopdf call per customer language for the whole of ``self``,
        the resulting PDF split per intervention; an intervention the split could not isolate is rendered alone."""
        # the customer's copy is a PDF whatever the context, under Odoo's tests too
        report = self.env.ref("service_management.action_report_service_intervention").with_context(
            force_report_rendering=True
        )
        contents = {}
        for lang, interventions in self.grouped(lambda i: i.partner_id.lang or self.env.lang).items():
            pdfs, _format = render_per_record(report.with_context(lang=lang), interventions.ids)
            contents.update({intervention: pdfs[intervention.id] for intervention in interventions})
        return contents

    def _get_report_filename(self):
        self.ensure_one()
        return self.env._("Intervention Report - %(name)s.pdf", name=self.name).replace("/", "-")

    def _get_technicians(self):
        self.ensure_one()
        return self.user_id | self.helper_ids

    def _get_booking_conflicts(self):
        """``{intervention id: first other open intervention sharing a technician at overlapping times}``.

        One query for the whole batch: each intervention's lead and helpers are joined to the open
        interventions of the same technicians whose planned times overlap, the batch included.
        """
        booked = self.filtered(
            lambda i: (
                i.planned_start and i.planned_end and i.state not in ("done", "cancelled") and i._get_technicians()
            )
        )
        if not booked:
            return {}
        # sudo: a technician must not be booked twice even where they cannot read the other work
        Intervention = self.sudo()
        Intervention.flush_model(["user_id", "helper_ids", "planned_start", "planned_end", "stage_id", "state"])
        helpers = self._fields["helper_ids"]
        overlap = SQL(
            """
                other.id != mine.id
            AND other.state NOT IN ('done', 'cancelled')
            AND other.planned_start < mine.planned_end
            AND other.planned_end > mine.planned_start
            """
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH mine AS (
                    SELECT i.id, i.planned_start, i.planned_end, i.user_id AS technician_id
                      FROM service_intervention i
                     WHERE i.id IN %(ids)s AND i.user_id IS NOT NULL
                     UNION
                    SELECT i.id, i.planned_start, i.planned_end, rel.%(technician)s
                      FROM service_intervention i
                      JOIN %(relation)s rel ON rel.%(intervention)s = i.id
                     WHERE i.id IN %(ids)s
                ), conflict AS (
                    SELECT mine.id AS mine_id, other.id AS other_id, other.planned_start
                      FROM mine
                      JOIN service_intervention other ON other.user_id = mine.technician_id
                     WHERE %(overlap)s
                     UNION ALL
                    SELECT mine.id, other.id, other.planned_start
                      FROM mine
                      JOIN %(relation)s rel ON rel.%(technician)s = mine.technician_id
                      JOIN service_intervention other ON other.id = rel.%(intervention)s
                     WHERE %(overlap)s
                )
                SELECT DISTINCT ON (mine_id) mine_id, other_id
                  FROM conflict
              ORDER BY mine_id, planned_start, other_id
                """,
                ids=tuple(booked.ids),
                overlap=overlap,
                technician=SQL.identifier(helpers.column2),
                relation=SQL.identifier(helpers.relation),
                intervention=SQL.identifier(helpers.column1),
            )
        )
        return {intervention_id: Intervention.browse(other_id) for intervention_id, other_id in rows}

    @api.model
    def _get_stage(self, state):
        return self.env["service.intervention.stage"].search([("state", "=", state)], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.model
    def _prepare_company_sequence_vals(self, company):
        return {
            "name": self.env._("Interventions of %(company)s", company=company.name),
            "prefix": "INT/%(range_year)s/",
        }
