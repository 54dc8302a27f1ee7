from odoo import api, fields, models
from odoo.tools import format_datetime

from ..helpers import sla


class ServiceIntervention(models.Model):
    _inherit = "service.intervention"

    dispatcher_id = fields.Many2one(
        "res.users",
        default=lambda self: self._default_dispatcher(),
        domain=lambda self: [("groups_id", "in", self.env.ref("service_management.group_service_user").id)],
        tracking=True,
        index="btree_not_null",
        help="Who is warned when this intervention runs late on its service level; empty: the service managers.",
    )
    sla_late = fields.Boolean(
        string="SLA Late",
        compute="_compute_sla_late",
        store=True,
        index=True,
        help="Open and missing its service level: the response deadline passed without a start (or it is planned "
        "after it), or the resolution deadline passed without a finish (or it is planned to end after it).",
    )
    sla_late_notified = fields.Boolean(
        string="SLA Late Notified", readonly=True, copy=False, help="The dispatcher was warned that it runs late."
    )

    @api.model
    def _default_dispatcher(self):
        user = self.env.user
        return user if user.has_group("service_management.group_service_user") else False

    @api.depends(
        "state",
        "response_deadline",
        "resolution_deadline",
        "actual_start",
        "actual_end",
        "planned_start",
        "planned_end",
    )
    def _compute_sla_late(self):
        now = fields.Datetime.now()
        for intervention in self:
            intervention.sla_late = intervention.state in self._get_sla_open_states() and sla.is_late(
                now,
                intervention.response_deadline,
                intervention.resolution_deadline,
                start=intervention.actual_start,
                end=intervention.actual_end,
                planned_start=intervention.planned_start,
                planned_end=intervention.planned_end,
            )

    @api.model
    def _get_sla_open_states(self):
        return ("new", "planned", "in_progress")

    @api.model
    def _get_stale_sla_late_domain(self, now):
        """Open interventions not flagged late whose deadline passed since they were last computed."""
        return [
            ("sla_late", "=", False),
            ("state", "in", self._get_sla_open_states()),
            "|",
            "&",
            ("response_deadline", "<", now),
            ("actual_start", "=", False),
            "&",
            ("resolution_deadline", "<", now),
            ("actual_end", "=", False),
        ]

    @api.model
    def _get_sla_late_to_notify_domain(self):
        return [("sla_late", "=", True), ("sla_late_notified", "=", False)]

    @api.model
    def _cron_refresh_sla_late(self, batch_size=500):
        """Flag the open interventions whose SLA deadline passed, and warn their dispatcher once, in batches."""
        domain = self._get_stale_sla_late_domain(fields.Datetime.now())
        interventions = self.search(domain, limit=batch_size)
        self.env.add_to_compute(self._fields["sla_late"], interventions)
        interventions.flush_recordset(["sla_late"])
        to_notify = self.search(self._get_sla_late_to_notify_domain(), limit=batch_size)
        to_notify._notify_sla_late()
        remaining = self.search_count(domain) + self.search_count(self._get_sla_late_to_notify_domain())
        self.env["ir.cron"]._notify_progress(done=len(interventions) + len(to_notify), remaining=remaining)
        return True

    def _get_sla_late_recipients(self):
        """``{intervention: user}`` warned when it runs late: its dispatcher, else a service manager of its
        company."""
        group = self.env.ref("service_management.group_service_manager")
        managers = {}
        for company in self.filtered(lambda i: not i.dispatcher_id).company_id:
            managers[company] = group.users.filtered(lambda u, c=company: c in u.company_ids and u.active).sorted("id")[
                :1
            ]
        return {
            intervention: intervention.dispatcher_id or managers.get(intervention.company_id) for intervention in self
        }

    def _notify_sla_late(self):
        """One activity per intervention that runs late, never twice."""
        todo = self.filtered(lambda i: i.sla_late and not i.sla_late_notified)
        if not todo:
            return True
        activity_type = self.env.ref("service_management.mail_activity_type_sla_late", raise_if_not_found=False)
        model = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for intervention, user in todo._get_sla_late_recipients().items():
            if not user:
                continue
            deadline = intervention._get_sla_missed_deadline()
            vals_list.append(
                {
                    "res_model_id": model,
                    "res_id": intervention.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "date_deadline": today,
                    "summary": self.env._("SLA late: %(name)s", name=intervention.name),
                    "note": self.env._(
                        "%(name)s for %(customer)s misses its deadline of %(deadline)s.",
                        name=intervention.name,
                        customer=intervention.partner_id.display_name,
                        deadline=format_datetime(self.env, deadline, dt_format="short") if deadline else "",
                    ),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
        todo._with_code_write().sla_late_notified = True
        return True

    def _get_sla_missed_deadline(self):
        self.ensure_one()
        if self.response_deadline and not self.actual_start:
            now = fields.Datetime.now()
            if now > self.response_deadline or (self.planned_start and self.planned_start > self.response_deadline):
                return self.response_deadline
        return self.resolution_deadline or self.response_deadline
