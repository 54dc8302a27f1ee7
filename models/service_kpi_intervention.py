from odoo import fields, models, tools

AGE_BUCKETS = [("0_7", "0-7 days"), ("8_30", "8-30 days"), ("31_90", "31-90 days"), ("90_plus", "Over 90 days")]


class ServiceKpiIntervention(models.Model):
    """Interventions with their steering figures: backlog and its age, SLA compliance, first-time fix,
    time to resolve and work done but not billed.

    First-time fix: a finished intervention on an equipment counts as fixed the first time when no
    other corrective intervention was called on the same equipment within 30 days after it ended.
    """

    _name = "service.kpi.intervention"
    _description = "Intervention Analysis"
    _auto = False
    _order = "call_date desc"
    _depends = {
        "service.intervention": [
            "company_id", "zone_id", "user_id", "partner_id", "equipment_id", "intervention_type", "state",
            "call_date", "actual_end", "resolution_deadline", "sla_breached", "invoice_state", "actual_duration",
        ],
    }  # fmt: skip

    intervention_id = fields.Many2one("service.intervention", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    zone_id = fields.Many2one("service.zone", readonly=True)
    user_id = fields.Many2one("res.users", string="Lead Technician", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    equipment_id = fields.Many2one("service.equipment", readonly=True)
    intervention_type = fields.Selection(
        [
            ("preventive", "Preventive"),
            ("corrective", "Corrective"),
            ("installation", "Installation"),
            ("inspection", "Inspection"),
        ],
        readonly=True,
    )
    call_date = fields.Datetime(string="Received On", readonly=True)
    date_done = fields.Datetime(string="Finished On", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    open_count = fields.Integer(string="Open Interventions", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="avg")
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    sla_on_time = fields.Float(
        string="SLA On Time (%)", readonly=True, aggregator="avg",
        help="Share of finished interventions with a resolution deadline that were not late.",
    )  # fmt: skip
    sla_late_now = fields.Integer(
        string="Late Now", readonly=True, help="Open interventions past their resolution deadline."
    )
    first_time_fix = fields.Float(string="First-Time Fix (%)", readonly=True, aggregator="avg")
    resolve_hours = fields.Float(string="Time to Resolve (h)", readonly=True, aggregator="avg")
    unbilled_count = fields.Integer(string="Done, Not Billed", readonly=True)
    unbilled_hours = fields.Float(string="Hours Not Billed", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT i.id, i.id AS intervention_id, i.company_id, i.zone_id, i.user_id, i.partner_id,
                       i.equipment_id, i.intervention_type, i.call_date, i.actual_end AS date_done,
                       o.is_open, o.is_open::int AS open_count,
                       CASE WHEN o.is_open THEN GREATEST(CURRENT_DATE - i.call_date::date, 0) END AS age_days,
                       CASE WHEN NOT o.is_open THEN NULL
                            WHEN CURRENT_DATE - i.call_date::date <= 7 THEN '0_7'
                            WHEN CURRENT_DATE - i.call_date::date <= 30 THEN '8_30'
                            WHEN CURRENT_DATE - i.call_date::date <= 90 THEN '31_90'
                            ELSE '90_plus' END AS age_bucket,
                       CASE WHEN i.state = 'done' AND i.resolution_deadline IS NOT NULL
                            THEN CASE WHEN i.sla_breached THEN 0.0 ELSE 100.0 END END AS sla_on_time,
                       (o.is_open AND i.resolution_deadline < NOW() AT TIME ZONE 'UTC')::int AS sla_late_now,
                       CASE WHEN i.state = 'done' AND i.equipment_id IS NOT NULL AND i.actual_end IS NOT NULL
                            THEN CASE WHEN EXISTS (
                                SELECT 1 FROM service_intervention n
                                 WHERE n.equipment_id = i.equipment_id AND n.id != i.id
                                   AND n.intervention_type = 'corrective' AND n.state != 'cancelled'
                                   AND n.call_date >= i.actual_end
                                   AND n.call_date < i.actual_end + INTERVAL '30 days')
                                 THEN 0.0 ELSE 100.0 END END AS first_time_fix,
                       CASE WHEN i.state = 'done' AND i.actual_end IS NOT NULL
                            THEN EXTRACT(EPOCH FROM i.actual_end - i.call_date) / 3600.0 END AS resolve_hours,
                       (i.invoice_state = 'to_invoice')::int AS unbilled_count,
                       CASE WHEN i.invoice_state = 'to_invoice' THEN i.actual_duration ELSE 0 END AS unbilled_hours
                  FROM service_intervention i
                  CROSS JOIN LATERAL (SELECT i.state IN ('new', 'planned', 'in_progress') AS is_open) o
                 WHERE i.state != 'cancelled'
            )
            """
        )
