from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_management.models.service_contract_sla import PRIORITIES

INTERVENTION_TYPES = [
    ("preventive", "Preventive"),
    ("corrective", "Corrective"),
    ("installation", "Installation"),
    ("inspection", "Inspection"),
]


class ServiceIntervention(models.Model):
    _name = "service.intervention"
    _description = "Intervention"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.company.sequence.mixin"]
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
    description = fields.Html()
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
    user_id = fields.Many2one("res.users", string="Lead Technician", tracking=True, index=True)
    helper_ids = fields.Many2many("res.users", string="Helpers")
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
    coverage_reason = fields.Char(compute="_compute_coverage", store=True)
    part_ids = fields.One2many("service.intervention.part", "intervention_id", string="Parts Used")
    can_edit_prices = fields.Boolean(compute="_compute_can_edit_prices")

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
            partner = intervention.partner_id
            if partner and intervention.site_id.commercial_partner_id != partner:
                intervention.site_id = partner.address_get(["delivery"])["delivery"]

    @api.depends("equipment_id", "partner_id")
    def _compute_contract_id(self):
        Line = self.env["service.contract.line"]
        for intervention in self:
            if intervention.contract_id.partner_id == intervention.partner_id and not intervention.equipment_id:
                continue
            lines = (
                Line.search(
                    [
                        ("equipment_ids", "in", intervention.equipment_id.ids),
                        ("contract_id.state", "in", ("running", "expiring")),
                    ],
                    limit=1,
                )
                if intervention.equipment_id
                else Line
            )
            intervention.contract_id = lines.contract_id

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

    @api.depends("contract_id", "priority", "call_date")
    def _compute_sla(self):
        for intervention in self:
            if not intervention.contract_id or not intervention.call_date:
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
            intervention.coverage, intervention.coverage_reason = intervention._get_coverage_decision()

    def _get_coverage_decision(self):
        """``(coverage, reason)``: a warranty in force, then the contract's lines, else billable."""
        self.ensure_one()
        warranty = self._get_warranties_in_force().filtered("cover_labour")[:1]
        if warranty:
            return "warranty", self.env._(
                "%(warranty)s of %(equipment)s", warranty=warranty.display_name, equipment=self.equipment_id.name
            )
        lines = self.contract_id.line_ids
        if self.equipment_id:
            lines = lines.filtered(lambda line: self.equipment_id in line.equipment_ids)
        if self.intervention_type == "preventive" and lines.filtered("visits_per_year"):
            return "contract", self.env._("Preventive visit planned by %(contract)s", contract=self.contract_id.name)
        if lines.filtered(lambda line: line.cover_labour == "included"):
            return "contract", self.env._("Labour included in %(contract)s", contract=self.contract_id.name)
        if self.contract_id:
            return "billable", self.env._("Labour is billable under %(contract)s", contract=self.contract_id.name)
        return "billable", self.env._("No contract or warranty covers this work")

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

    @api.constrains("user_id", "helper_ids", "planned_start", "planned_duration", "stage_id")
    def _check_double_booking(self):
        for intervention in self:
            conflict = intervention._get_booking_conflicts()[:1]
            if conflict:
                raise ValidationError(
                    self.env._(
                        "%(technician)s is already booked on %(other)s from %(start)s to %(end)s.",
                        technician=(intervention._get_technicians() & conflict._get_technicians())[:1].name,
                        other=conflict.name,
                        start=fields.Datetime.to_string(conflict.planned_start),
                        end=fields.Datetime.to_string(conflict.planned_end),
                    )
                )

    @api.constrains("planned_duration")
    def _check_planned_duration(self):
        if any(intervention.planned_duration <= 0 for intervention in self):
            raise ValidationError(self.env._("The planned duration must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("planned_start") and vals.get("user_id") and "stage_id" not in vals:
                vals["stage_id"] = self._get_stage("planned").id
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("planned_start") or vals.get("user_id"):
            to_plan = self.filtered(lambda i: i.state == "new" and i.planned_start and i.user_id)
            if to_plan:
                to_plan.write({"stage_id": self._get_stage("planned").id})
        return res

    def action_start(self):
        for intervention in self:
            if intervention.state not in ("new", "planned"):
                raise UserError(self.env._("%(name)s is already started or closed.", name=intervention.name))
        self.write({"actual_start": fields.Datetime.now(), "stage_id": self._get_stage("in_progress").id})
        return True

    def action_done(self):
        if any(intervention.state != "in_progress" for intervention in self):
            raise UserError(self.env._("Only an intervention in progress can be finished."))
        self.write({"actual_end": fields.Datetime.now(), "stage_id": self._get_stage("done").id})
        return True

    def action_cancel(self):
        if any(intervention.state == "done" for intervention in self):
            raise UserError(self.env._("A finished intervention cannot be cancelled."))
        self.write({"stage_id": self._get_stage("cancelled").id})
        return True

    def _get_technicians(self):
        self.ensure_one()
        return self.user_id | self.helper_ids

    def _get_booking_conflicts(self):
        """Other open interventions of the same technicians whose planned times overlap this one's."""
        self.ensure_one()
        technicians = self._get_technicians()
        if not (technicians and self.planned_start and self.planned_end) or self.state in ("done", "cancelled"):
            return self.browse()
        # sudo: a technician must not be booked twice even where they cannot read the other work
        return self.sudo().search(
            [
                ("id", "!=", self.id),
                ("state", "not in", ("done", "cancelled")),
                ("planned_start", "<", self.planned_end),
                ("planned_end", ">", self.planned_start),
                "|",
                ("user_id", "in", technicians.ids),
                ("helper_ids", "in", technicians.ids),
            ]
        )

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
