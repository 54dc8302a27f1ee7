from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import escape_psql

from odoo.addons.service_management.helpers import text
from odoo.addons.service_management.helpers import warranty as warranty_helper

TEXT_FIELDS = ("name", "serial_no", "brand")
# the status and its dates change through the Out of Order, In Service and Decommission buttons only
STATUS_FIELDS = ("state", "out_of_order_date", "decommission_date")


class ServiceEquipment(models.Model):
    _name = "service.equipment"
    _description = "Equipment"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.protected.fields.mixin"]
    _order = "partner_id, site_id, name, id"
    _check_company_auto = True

    # the warranty status the daily job keeps current
    _service_protected_fields = ("warranty_state", "warranty_date_start", "warranty_date_end")

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
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
        help="The customer who owns the equipment.",
    )
    site_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="Where the equipment is installed: an address of the customer, or the customer itself.",
    )
    site_city = fields.Char(related="site_id.city", string="City")
    serial_no = fields.Char(string="Serial Number", tracking=True, copy=False, index="btree_not_null")
    product_id = fields.Many2one(
        "product.product",
        string="Model",
        check_company=True,
        tracking=True,
        help="The brand and model of the equipment.",
    )
    brand = fields.Char(help="Manufacturer's brand, e.g. Otis, Schindler, Viessmann.")
    category_id = fields.Many2one("service.equipment.category", tracking=True, check_company=True)
    installation_date = fields.Date(tracking=True)
    commissioning_date = fields.Date(tracking=True, help="Date the equipment was put into service.")
    state = fields.Selection(
        [
            ("in_service", "In Service"),
            ("out_of_order", "Out of Order"),
            ("decommissioned", "Decommissioned"),
        ],
        string="Status",
        required=True,
        default="in_service",
        readonly=True,
        tracking=True,
        copy=False,
    )
    out_of_order_date = fields.Date(string="Out of Order Since", readonly=True, copy=False, tracking=True)
    decommission_date = fields.Date(string="Decommissioned On", readonly=True, copy=False, tracking=True)
    parent_id = fields.Many2one(
        "service.equipment",
        string="Parent Equipment",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        tracking=True,
    )
    child_ids = fields.One2many("service.equipment", "parent_id", string="Components")
    child_count = fields.Integer(compute="_compute_child_count", string="Component Count")
    note = fields.Html(string="Notes")
    image_128 = fields.Image(related="product_id.image_128")
    warranty_ids = fields.One2many("service.equipment.warranty", "equipment_id", string="Warranties")
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty",
        search="_search_under_warranty",
        help="Covered by a warranty today, or on the date given as 'warranty_date' in the context.",
    )
    warranty_state = fields.Selection(
        [
            (warranty_helper.NONE, "No Warranty"),
            (warranty_helper.FUTURE, "Not Started"),
            (warranty_helper.ACTIVE, "Under Warranty"),
            (warranty_helper.EXPIRED, "Expired"),
        ],
        compute="_compute_warranty_state",
        store=True,
        string="Warranty",
        help="Warranty status today; a daily scheduled action keeps it current.",
    )
    warranty_date_start = fields.Date(compute="_compute_warranty_state", store=True, string="Warranty Start")
    warranty_date_end = fields.Date(compute="_compute_warranty_state", store=True, string="Warranty End")

    contract_line_ids = fields.Many2many(
        "service.contract.line",
        "service_contract_line_service_equipment_rel",
        "service_equipment_id",
        "service_contract_line_id",
        string="Contract Lines",
        readonly=True,
    )
    contract_ids = fields.Many2many("service.contract", string="Contracts", compute="_compute_contract_ids")
    contract_count = fields.Integer(compute="_compute_contract_ids")
    intervention_ids = fields.One2many("service.intervention", "equipment_id", string="Interventions")
    intervention_count = fields.Integer(compute="_compute_intervention_stats")
    next_visit = fields.Datetime(
        compute="_compute_intervention_stats", help="Start of the next planned intervention on this equipment."
    )

    _sql_constraints = [
        (
            "serial_company_uniq",
            "unique(serial_no, company_id)",
            "This serial number is already used by another equipment of this company.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_site_id(self):
        for equipment in self.filtered("partner_id"):
            equipment.site_id = equipment.partner_id._get_service_site(equipment.site_id)

    @api.depends("contract_line_ids.contract_id")
    def _compute_contract_ids(self):
        for equipment in self:
            equipment.contract_ids = equipment.contract_line_ids.contract_id
            equipment.contract_count = len(equipment.contract_ids)

    @api.depends("intervention_ids.state", "intervention_ids.planned_start")
    def _compute_intervention_stats(self):
        Intervention = self.env["service.intervention"]
        counts = dict(Intervention._read_group([("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]))
        next_visits = dict(
            Intervention._read_group(
                [
                    ("equipment_id", "in", self.ids),
                    ("state", "in", ("new", "planned")),
                    ("planned_start", ">=", fields.Datetime.now()),
                ],
                ["equipment_id"],
                ["planned_start:min"],
            )
        )
        for equipment in self:
            equipment.intervention_count = counts.get(equipment, 0)
            equipment.next_visit = next_visits.get(equipment, False)

    def action_view_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_intervention_action")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    def action_new_intervention(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Intervention"),
            "res_model": "service.intervention",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_equipment_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_site_id": self.site_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_contract_action")
        action["domain"] = [("id", "in", self.contract_ids.ids)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    @api.depends("child_ids")
    def _compute_child_count(self):
        counts = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for equipment in self:
            equipment.child_count = counts.get(equipment, 0)

    @api.depends("warranty_ids.date_start", "warranty_ids.date_end")
    @api.depends_context("warranty_date")
    def _compute_under_warranty(self):
        on_date = self._get_warranty_date()
        for equipment in self:
            equipment.under_warranty = bool(equipment._get_warranties_at(on_date))

    def _search_under_warranty(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        on_date = self._get_warranty_date()
        covering = [("warranty_ids", "any", [("date_start", "<=", on_date), ("date_end", ">=", on_date)])]
        if (operator == "=") == value:
            return covering
        return [("warranty_ids", "not any", [("date_start", "<=", on_date), ("date_end", ">=", on_date)])]

    @api.depends("warranty_ids.date_start", "warranty_ids.date_end")
    def _compute_warranty_state(self):
        today = fields.Date.context_today(self)
        for equipment in self:
            periods = [(w.date_start, w.date_end) for w in equipment.warranty_ids if w.date_start and w.date_end]
            equipment.warranty_state = warranty_helper.warranty_state(periods, today)
            equipment.warranty_date_start = min((start for start, _end in periods), default=False)
            equipment.warranty_date_end = max((end for _start, end in periods), default=False)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An equipment cannot be a component of itself or of its own components."))

    @api.constrains("partner_id", "site_id")
    def _check_site_id(self):
        for equipment in self:
            if equipment.site_id.commercial_partner_id != equipment.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The site %(site)s of %(equipment)s is not an address of the customer %(customer)s.",
                        site=equipment.site_id.display_name,
                        equipment=equipment.name,
                        customer=equipment.partner_id.display_name,
                    )
                )

    @api.constrains("installation_date", "commissioning_date", "out_of_order_date", "decommission_date")
    def _check_dates(self):
        labels = {
            "commissioning_date": self.env._("commissioned"),
            "out_of_order_date": self.env._("out of order"),
            "decommission_date": self.env._("decommissioned"),
        }
        for equipment in self:
            installed = equipment.installation_date
            if not installed:
                continue
            for field_name, label in labels.items():
                if equipment[field_name] and equipment[field_name] < installed:
                    raise ValidationError(
                        self.env._(
                            "%(equipment)s cannot be %(event)s (%(date)s) before it was installed (%(installed)s).",
                            equipment=equipment.name,
                            event=label,
                            date=equipment[field_name],
                            installed=installed,
                        )
                    )

    @api.depends("name", "serial_no")
    def _compute_display_name(self):
        for equipment in self:
            if equipment.serial_no:
                equipment.display_name = f"{equipment.name} ({equipment.serial_no})"
            else:
                equipment.display_name = equipment.name

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "not ilike", "=", "!=") and value:
            positive = operator in ("ilike", "=")
            domain = ["|", ("name", operator, value), ("serial_no", operator, value)]
            return domain if positive else ["&", ("name", operator, value), ("serial_no", operator, value)]
        return super()._search_display_name(operator, value)

    def init(self):
        # one serial number per company, whatever its case: the last guard when two users save at once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS service_equipment_serial_no_ci_uniq
                ON service_equipment (lower(btrim(serial_no)), company_id)
             WHERE serial_no IS NOT NULL
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_text_vals(vals) for vals in vals_list]
        if not self._is_code_write():
            for vals in vals_list:
                # a new equipment is in service, the default; its status then changes through the buttons
                if (
                    vals.get("state", "in_service") != "in_service"
                    or vals.get("out_of_order_date")
                    or vals.get("decommission_date")
                ):
                    self._check_status_fields(vals)
        self._check_serial_no_free(
            [(vals.get("serial_no"), vals.get("company_id") or self.env.company.id, None) for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        if self._is_technician_only():
            # a technician reports the status through its buttons and writes notes; the rest is the office's
            self._check_technician_fields(vals, ("note",))
        if not self._is_code_write():
            self._check_status_fields(vals)
        vals = self._clean_text_vals(vals)
        if "serial_no" in vals or "company_id" in vals:
            self._check_serial_no_free(
                [
                    (
                        vals.get("serial_no", equipment.serial_no),
                        vals.get("company_id", equipment.company_id.id),
                        equipment.id,
                    )
                    for equipment in self
                ]
            )
        return super().write(vals)

    @api.model
    def _check_status_fields(self, vals):
        named = [name for name in STATUS_FIELDS if name in vals]
        if named:
            raise UserError(
                self.env._(
                    "%(fields)s of an equipment change through its Out of Order, In Service and Decommission "
                    "buttons only.",
                    fields=self._describe_fields(named),
                )
            )

    @api.model
    def _check_serial_no_free(self, entries):
        """Refuse serial numbers used twice in a company, ignoring case, before the database index refuses them.

        :param entries: ``[(serial_no, company_id, equipment_id or None)]`` of the equipment being saved
        """
        keys = [((serial or "").strip().lower(), company_id, record_id) for serial, company_id, record_id in entries]
        keys = [key for key in keys if key[0]]
        if not keys:
            return
        seen = {}
        for serial, company_id, _record_id in keys:
            if (serial, company_id) in seen:
                self._raise_serial_no_used(serial, company_id)
            seen[(serial, company_id)] = True
        self.flush_model(["serial_no", "company_id"])
        self.env.cr.execute(
            """
            SELECT lower(btrim(serial_no)), company_id
              FROM service_equipment
             WHERE (lower(btrim(serial_no)), company_id) IN %s AND NOT id = ANY(%s)
             LIMIT 1
            """,
            [tuple(seen), [record_id for _serial, _company, record_id in keys if record_id]],
        )
        row = self.env.cr.fetchone()
        if row:
            self._raise_serial_no_used(*row)

    @api.model
    def _raise_serial_no_used(self, serial, company_id):
        other = (
            self.sudo()
            .with_context(active_test=False)
            .search([("serial_no", "=ilike", escape_psql(serial)), ("company_id", "=", company_id)], limit=1)
        )
        raise ValidationError(
            self.env._(
                "The serial number %(serial)s is already used by %(other)s in %(company)s; "
                "serial numbers are compared without case and surrounding spaces.",
                serial=other.serial_no or serial,
                other=other.name or self.env._("another equipment being saved"),
                company=self.env["res.company"].sudo().browse(company_id).name,
            )
        )

    @api.model
    def _clean_text_vals(self, vals):
        vals = text.clean_vals(vals, TEXT_FIELDS)
        if "name" in vals and not vals["name"]:
            raise ValidationError(self.env._("Give the equipment a name."))
        return vals

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [dict(vals, name=self.env._("%s (copy)", equipment.name)) for equipment, vals in zip(self, vals_list)]

    def action_commission(self):
        """Put the equipment into service today and start the company's own warranty."""
        today = fields.Date.context_today(self)
        to_commission = self.filtered(lambda e: not e.commissioning_date)
        if not to_commission:
            raise UserError(self.env._("These equipment are already commissioned."))
        warranty_vals = []
        for equipment in to_commission:
            equipment.write(equipment._prepare_commission_vals(today))
            vals = equipment._prepare_own_warranty_vals(today)
            if vals:
                warranty_vals.append(vals)
        self.env["service.equipment.warranty"].create(warranty_vals)
        return True

    def action_set_out_of_order(self):
        self._check_not_decommissioned()
        self._with_code_write().write({"state": "out_of_order", "out_of_order_date": fields.Date.context_today(self)})
        return True

    def action_set_in_service(self):
        self._check_not_decommissioned()
        self._with_code_write().write({"state": "in_service", "out_of_order_date": False})
        return True

    def action_decommission(self):
        if self._is_technician_only():
            raise AccessError(self.env._("Only a dispatcher may decommission an equipment."))
        self._check_not_decommissioned()
        self._with_code_write().write({"state": "decommissioned", "decommission_date": fields.Date.context_today(self)})
        return True

    def action_view_components(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_equipment_action")
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {
            "default_parent_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_site_id": self.site_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_print_label(self):
        return self.env.ref("service_management.action_report_service_equipment_label").report_action(self)

    def _check_not_decommissioned(self):
        decommissioned = self.filtered(lambda e: e.state == "decommissioned")
        if decommissioned:
            raise UserError(
                self.env._(
                    "%(equipment)s is decommissioned: its status can no longer change.",
                    equipment=", ".join(decommissioned.mapped("display_name")),
                )
            )

    def _prepare_commission_vals(self, on_date):
        vals = {"commissioning_date": on_date}
        if not self.installation_date:
            vals["installation_date"] = on_date
        return vals

    def _prepare_own_warranty_vals(self, on_date):
        """Values of the company's own warranty starting ``on_date``, or ``{}`` when it gives none."""
        self.ensure_one()
        months = self.company_id.service_own_warranty_months
        if months <= 0:
            return {}
        return {
            "equipment_id": self.id,
            "warranty_type": "own",
            "provider_id": self.company_id.partner_id.id,
            "date_start": on_date,
            "date_end": on_date + relativedelta(months=months, days=-1),
            "cover_labour": True,
            "cover_parts": True,
            "cover_travel": True,
        }

    def _get_label_url(self):
        """The address of the label's QR code: the back-office form for an employee, the portal page for a customer."""
        self.ensure_one()
        return f"{self.get_base_url()}/service/equipment/{self.id}"

    @api.model
    def _get_warranty_date(self):
        """The day warranties are judged on: ``warranty_date`` from the context, else today."""
        return fields.Date.to_date(self.env.context.get("warranty_date")) or fields.Date.context_today(self)

    def _get_warranties_at(self, on_date):
        """The warranties of this equipment in force on ``on_date``."""
        self.ensure_one()
        return self.warranty_ids.filtered(
            lambda w: w.date_start and w.date_end and warranty_helper.covers(w.date_start, w.date_end, on_date)
        )

    def _get_running_contracts(self):
        """``{equipment id: contract}``: a running or expiring contract covering each equipment, in one search."""
        if not self:
            return {}
        lines = self.env["service.contract.line"].search(
            [("equipment_ids", "in", self.ids), ("contract_id.state", "in", ("running", "expiring"))]
        )
        contracts = {}
        for line in lines:
            for equipment in line.equipment_ids & self:
                contracts.setdefault(equipment.id, line.contract_id)
        return contracts

    def _get_warranty_coverage(self, on_date):
        """What the warranties in force on ``on_date`` pay for: a set of ``labour``, ``parts``, ``travel``."""
        coverage = set()
        for warranty in self._get_warranties_at(on_date):
            coverage |= warranty._get_coverage()
        return coverage

    @api.model
    def _get_stale_warranty_state_domain(self, today):
        """Equipment whose stored warranty state is no longer true today (a boundary date passed)."""
        in_force = [("date_start", "<=", today), ("date_end", ">=", today)]
        return [
            "|",
            "|",
            "&",
            ("warranty_state", "=", warranty_helper.ACTIVE),
            ("warranty_ids", "not any", in_force),
            "&",
            ("warranty_state", "in", [warranty_helper.FUTURE, warranty_helper.EXPIRED]),
            ("warranty_ids", "any", in_force),
            "&",
            ("warranty_state", "=", warranty_helper.FUTURE),
            ("warranty_date_start", "<=", today),
        ]

    @api.model
    def _cron_update_warranty_state(self, batch_size=1000):
        """Refresh the stored warranty state of equipment whose warranties started or ended.

        Works in batches and reports progress; a second run finds nothing left to do.
        """
        today = fields.Date.context_today(self)
        domain = self._get_stale_warranty_state_domain(today)
        equipment = self.with_context(active_test=False).search(domain, limit=batch_size)
        for fname in ("warranty_state", "warranty_date_start", "warranty_date_end"):
            self.env.add_to_compute(self._fields[fname], equipment)
        equipment.flush_recordset()
        remaining = self.with_context(active_test=False).search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(equipment), remaining=remaining)
        return len(equipment)
