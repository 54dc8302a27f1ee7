from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

# what a technician writes on an intervention assigned to them; Start and Finish go through their buttons
TECHNICIAN_FIELDS = (
    "description",
    "work_done",
    "checklist_line_ids",
    "part_ids",
    "photo_ids",
    "signature",
    "signed_by",
)
CLOSED_STATES = ("done", "cancelled")
# money-relevant values only the application writes
PROTECTED_FIELDS = (
    "state",
    "coverage",
    "coverage_reason",
    "response_deadline",
    "resolution_deadline",
    "sla_breached",
    "planned_end",
    "actual_duration",
    "collected_amount",
    "payment_count",
    "payment_ids",
    "invoice_state",
    "invoice_id",
    "invoice_line_ids",
    "service_amount_invoiced",
    "service_amount_paid",
    "service_amount_unpaid",
    # states and flags only the application's jobs and buttons set
    "sla_late",
    "sla_late_notified",
    "report_state",
    "coverage_reason_code",
    "coverage_warranty_id",
    "contract_line_id",
    "preventive_slot",
    "portal_requested",
    "billing_error",
    "billing_error_date",
)
# set by the Start and Finish buttons and the signature; a service manager may correct them, traced in the chatter
DOOR_FIELDS = ("actual_start", "actual_end", "signed_on")


class ServiceIntervention(models.Model):
    """Who may change what on an intervention, whatever the door (form, kanban, import, RPC)."""

    _inherit = "service.intervention"

    _service_protected_fields = (*PROTECTED_FIELDS, "partner_payer_grade")

    @api.constrains("actual_start", "actual_end")
    def _check_actual_times(self):
        for intervention in self:
            if (
                intervention.actual_start
                and intervention.actual_end
                and intervention.actual_end < intervention.actual_start
            ):
                raise ValidationError(self.env._("%(name)s cannot end before it starts.", name=intervention.name))

    @api.constrains("user_id", "helper_ids")
    def _check_lead_not_helper(self):
        for intervention in self:
            if intervention.user_id and intervention.user_id in intervention.helper_ids:
                raise ValidationError(
                    self.env._(
                        "%(technician)s leads %(name)s and cannot also be one of its helpers.",
                        technician=intervention.user_id.name,
                        name=intervention.name,
                    )
                )

    @api.constrains("dispatcher_id", "company_id")
    def _check_dispatcher(self):
        """The dispatcher warned of a late intervention is a dispatcher (or manager) working for its company:
        a dispatcher may take it over or hand it to a colleague, never to a technician or another company."""
        if self.env.su:
            return  # the application's own work (the preventive job, data): its default dispatcher stands
        group = self.env.ref("service_management.group_service_user")
        for intervention in self.filtered("dispatcher_id"):
            dispatcher = intervention.dispatcher_id.sudo()
            if (
                dispatcher._is_superuser()
                or group not in dispatcher.groups_id
                or intervention.company_id not in dispatcher.company_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a dispatcher of %(company)s and cannot follow %(name)s.",
                        user=dispatcher.name,
                        company=intervention.company_id.name,
                        name=intervention.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_code_write():
            for vals in vals_list:
                self._check_door_fields(vals)
                self._check_photos(vals.get("photo_ids"))
            states = set(
                self.env["service.intervention.stage"]
                .browse({vals["stage_id"] for vals in vals_list if vals.get("stage_id")})
                .mapped("state")
            )
            if states & set(CLOSED_STATES):
                raise UserError(
                    self.env._("An intervention is created to be done: it cannot be created finished or cancelled.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if self._is_code_write():
            return super().write(vals)
        if self._is_technician_only():
            self._check_open_for_technician()
            self._check_technician_fields(vals, TECHNICIAN_FIELDS)
        self._check_partner_change(vals)
        self._check_company_change(vals)
        if "name" in vals:
            raise AccessError(self.env._("The reference of an intervention is given by its numbering."))
        self._check_photos(vals.get("photo_ids"))
        corrections = self._check_door_fields(vals) and self._prepare_door_corrections(vals)
        if "stage_id" in vals:
            res = self._write_stage(vals)
        else:
            res = super().write(vals)
        self._log_door_corrections(corrections)
        return res

    def unlink(self):
        billed = self._get_billed()
        if billed:
            raise UserError(
                self.env._(
                    "%(names)s is billed on %(invoices)s and cannot be deleted.",
                    names=", ".join(billed.mapped("name")),
                    invoices=", ".join(billed.sudo().invoice_id.mapped("display_name")),
                )
            )
        return super().unlink()

    def action_cancel(self):
        if self._is_technician_only():
            raise AccessError(self.env._("Only a dispatcher may cancel an intervention."))
        billed = self._get_billed()
        if billed:
            raise UserError(
                self.env._(
                    "%(names)s is billed on %(invoices)s and cannot be cancelled.",
                    names=", ".join(billed.mapped("name")),
                    invoices=", ".join(billed.sudo().invoice_id.mapped("display_name")),
                )
            )
        return super().action_cancel()

    def action_reopen(self):
        """Open a finished or cancelled intervention again; a dispatcher's decision, traced in the chatter."""
        if not self.env.su and not self.env.user.has_group("service_management.group_service_user"):
            raise AccessError(self.env._("Only a dispatcher may reopen an intervention."))
        if any(intervention.state not in CLOSED_STATES for intervention in self):
            raise UserError(self.env._("Only a finished or cancelled intervention can be reopened."))
        billed = self._get_billed()
        if billed:
            raise UserError(
                self.env._(
                    "%(names)s is billed on %(invoices)s and cannot be reopened.",
                    names=", ".join(billed.mapped("name")),
                    invoices=", ".join(billed.sudo().invoice_id.mapped("display_name")),
                )
            )
        self.check_access("write")
        for state, interventions in self.grouped(lambda i: i._get_reopen_state()).items():
            interventions._with_code_write().write({"stage_id": self._get_stage(state).id, "actual_end": False})
        for intervention in self:
            intervention.message_post(
                body=self.env._("Reopened by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _can_read_prices(self):
        """Whether prices may be shown to who renders this intervention (the report sent to the customer is
        rendered by the application; a technician printing it does not see them)."""
        return self.env["service.intervention.part"]._fields["price_unit"].is_accessible(self.env)

    def _get_reopen_state(self):
        """The state a closed intervention goes back to: in progress once started, else planned or new."""
        self.ensure_one()
        if self.actual_start:
            return "in_progress"
        return "planned" if self.planned_start and self.user_id else "new"

    def _get_billed(self):
        """The interventions of ``self`` on an invoice that is not cancelled."""
        return self.filtered(lambda i: i.sudo().invoice_state == "invoiced")

    def _check_open_for_technician(self):
        """A technician does not change a finished or cancelled intervention: a dispatcher reopens it first."""
        closed = self.filtered(lambda i: i.state in CLOSED_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%(names)s is finished or cancelled: ask a dispatcher to reopen it.",
                    names=", ".join(closed.mapped("name")),
                )
            )

    @api.model
    def _check_door_fields(self, vals):
        """Actual start and end and the signing time are set by Start, Finish and the signature; only a service
        manager corrects them by hand. Returns whether ``vals`` names any of them."""
        named = [name for name in DOOR_FIELDS if name in vals]
        if named and not self.env.user.has_group("service_management.group_service_manager"):
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s are set by the Start and Finish buttons and the signature; "
                    "only a service manager may correct them.",
                    fields=self._describe_fields(named),
                    model=self._description,
                )
            )
        return bool(named)

    def _prepare_door_corrections(self, vals):
        """``{intervention: [(field, old value)]}`` of the times a manager is about to correct."""
        return {
            intervention: [(name, intervention[name]) for name in DOOR_FIELDS if name in vals] for intervention in self
        }

    def _log_door_corrections(self, corrections):
        """Trace in the chatter, with the old and new values, the times a service manager corrected."""
        for intervention, changes in (corrections or {}).items():
            lines = [
                self.env._(
                    "%(field)s: %(old)s → %(new)s",
                    field=self._describe_fields([name]),
                    old=format_datetime(self.env, old) if old else "-",
                    new=format_datetime(self.env, intervention[name]) if intervention[name] else "-",
                )
                for name, old in changes
                if old != intervention[name]
            ]
            if lines:
                intervention.message_post(
                    body=self.env._(
                        "Corrected by %(user)s: %(changes)s.", user=self.env.user.name, changes="; ".join(lines)
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _check_photos(self, commands):
        """A photo linked to an intervention is an attachment the user may read, of this intervention or of none
        yet, and of its company: not a document of another record or company found by its id."""
        if not commands or self._is_code_write():
            return
        ids = set()
        for command in commands:
            if isinstance(command, (list, tuple)) and command[0] == Command.LINK:
                ids.add(command[1])
            elif isinstance(command, (list, tuple)) and command[0] == Command.SET:
                ids.update(command[2] or [])
            elif isinstance(command, int):
                ids.add(command)
        new_ids = ids - set(self.sudo().photo_ids.ids)
        if not new_ids:
            return
        attachments = self.env["ir.attachment"].browse(sorted(new_ids))
        if len(attachments.sudo().exists()) != len(new_ids):
            raise UserError(self.env._("A photo to link no longer exists."))
        # the attachment rules of Odoo: the creator of an unattached file, else who reads its document
        attachments.check("read")
        companies = self.company_id or self.env.companies
        foreign = attachments.sudo().filtered(
            lambda a: (
                (a.res_id and (a.res_model != self._name or a.res_id not in self.ids))
                or (a.res_model and a.res_model != self._name)
                or (a.company_id and a.company_id not in companies)
            )
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "%(files)s belong to another document or company and cannot be linked as photos.",
                    files=", ".join(foreign.mapped("name")),
                )
            )

    def _check_partner_change(self, vals):
        """The customer of an intervention is fixed once the work has started (what is collected is theirs)."""
        if "partner_id" not in vals:
            return
        started = self.filtered(lambda i: i.state not in ("new", "planned") and i.partner_id.id != vals["partner_id"])
        if started:
            raise UserError(
                self.env._(
                    "The customer of %(names)s cannot change once the work has started.",
                    names=", ".join(started.mapped("name")),
                )
            )

    def _check_company_change(self, vals):
        """The company of an intervention is the one it was created in: its reference, its stock of work and its
        invoice belong to that company's books."""
        if "company_id" in vals and any(intervention.company_id.id != vals["company_id"] for intervention in self):
            raise UserError(
                self.env._(
                    "The company of an intervention is set when it is created: create the intervention again in "
                    "the other company."
                )
            )

    def _write_stage(self, vals):
        """A stage change has one door per closed state: Finish for done, Cancel for cancelled, Reopen to leave them.

        A kanban drag, the status bar, an import or RPC to a done or cancelled stage runs the same checks and
        side effects as the button, or is refused with its message."""
        stage = self.env["service.intervention.stage"].browse(vals["stage_id"])
        leaving = self.filtered(lambda i: i.state in CLOSED_STATES and i.stage_id != stage)
        if leaving:
            raise UserError(
                self.env._(
                    "%(names)s is finished or cancelled: reopen it to work on it again.",
                    names=", ".join(leaving.mapped("name")),
                )
            )
        if stage.state not in CLOSED_STATES:
            return super().write(vals)
        others = {name: value for name, value in vals.items() if name != "stage_id"}
        if others:
            super().write(others)
        to_close = self.filtered(lambda i: i.stage_id != stage)
        if to_close:
            if stage.state == "done":
                to_close.action_done()
            else:
                to_close.action_cancel()
        return True
