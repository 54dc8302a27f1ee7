from odoo import fields, models, tools


class ServiceKpiTechnician(models.Model):
    """Each technician's month: hours planned against the working hours of their resource calendar
    (their own or the company's), net of their leaves and of the public holidays of their calendar
    (Odoo's leave rules: ``time_type`` leave, the resource's own or without a resource), and the
    payments they collected on site."""

    _name = "service.kpi.technician"
    _description = "Technician Utilisation"
    _auto = False
    _order = "month desc, user_id"
    _depends = {
        "service.intervention": ["user_id", "company_id", "planned_start", "planned_duration", "state"],
        "account.payment": ["collected_by_id", "company_id", "date", "amount_company_currency_signed", "state"],
        "resource.resource": ["user_id", "calendar_id", "company_id", "tz"],
        "resource.calendar.leaves": ["resource_id", "calendar_id", "company_id", "date_from", "date_to", "time_type"],
    }

    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    month = fields.Date(readonly=True)
    planned_hours = fields.Float(readonly=True)
    working_hours = fields.Float(
        readonly=True, help="Hours of the working schedule, leaves and public holidays deducted."
    )
    leave_hours = fields.Float(readonly=True)
    utilisation = fields.Float(string="Utilisation (%)", readonly=True, aggregator="avg")
    collected_amount = fields.Monetary(string="Collected on Site", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH months AS (
                    SELECT generate_series(date_trunc('month', CURRENT_DATE) - INTERVAL '5 months',
                                           date_trunc('month', CURRENT_DATE) + INTERVAL '1 month',
                                           INTERVAL '1 month')::date AS month
                ), tech AS (
                    SELECT DISTINCT ON (r.user_id, r.company_id) r.user_id, r.company_id, r.id AS resource_id,
                           COALESCE(r.calendar_id, c.resource_calendar_id) AS calendar_id,
                           COALESCE(r.tz, cal.tz, 'UTC') AS tz
                      FROM resource_resource r
                      JOIN res_company c ON c.id = r.company_id
                      LEFT JOIN resource_calendar cal ON cal.id = COALESCE(r.calendar_id, c.resource_calendar_id)
                     WHERE r.user_id IS NOT NULL AND r.active
                       AND EXISTS (SELECT 1 FROM service_intervention i WHERE i.user_id = r.user_id)
                     ORDER BY r.user_id, r.company_id, r.id
                ), working AS (
                    SELECT t.user_id, t.company_id, m.month,
                           SUM(GREATEST(a.hour_to - a.hour_from - COALESCE(off.hours, 0), 0)) AS hours,
                           SUM(LEAST(COALESCE(off.hours, 0), a.hour_to - a.hour_from)) AS leave_hours
                      FROM tech t
                      CROSS JOIN months m
                      CROSS JOIN LATERAL generate_series(
                          m.month, (m.month + INTERVAL '1 month' - INTERVAL '1 day')::date, INTERVAL '1 day'
                      ) d(day)
                      JOIN resource_calendar_attendance a ON a.calendar_id = t.calendar_id
                           AND a.dayofweek = (EXTRACT(ISODOW FROM d.day)::int - 1)::text
                           AND a.display_type IS NULL AND COALESCE(a.day_period, '') != 'lunch'
                           AND a.resource_id IS NULL
                           AND (a.date_from IS NULL OR a.date_from <= d.day::date)
                           AND (a.date_to IS NULL OR a.date_to >= d.day::date)
                      CROSS JOIN LATERAL (
                          SELECT ((d.day::date + a.hour_from * INTERVAL '1 hour') AT TIME ZONE t.tz)
                                     AT TIME ZONE 'UTC' AS start_utc,
                                 ((d.day::date + a.hour_to * INTERVAL '1 hour') AT TIME ZONE t.tz)
                                     AT TIME ZONE 'UTC' AS end_utc
                      ) b
                      LEFT JOIN LATERAL (
                          SELECT SUM(EXTRACT(EPOCH FROM LEAST(b.end_utc, l.date_to)
                                                        - GREATEST(b.start_utc, l.date_from)) / 3600.0) AS hours
                            FROM resource_calendar_leaves l
                           WHERE l.time_type = 'leave' AND l.date_from < b.end_utc AND l.date_to > b.start_utc
                             AND (l.resource_id = t.resource_id
                                  OR (l.resource_id IS NULL AND (l.calendar_id IS NULL OR l.calendar_id = t.calendar_id)
                                      AND (l.company_id IS NULL OR l.company_id = t.company_id)))
                      ) off ON TRUE
                     GROUP BY t.user_id, t.company_id, m.month
                ), planned AS (
                    SELECT i.user_id, i.company_id, date_trunc('month', i.planned_start)::date AS month,
                           SUM(i.planned_duration) AS hours
                      FROM service_intervention i
                     WHERE i.user_id IS NOT NULL AND i.planned_start IS NOT NULL AND i.state != 'cancelled'
                       AND i.planned_start >= (SELECT MIN(month) FROM months)
                       AND i.planned_start < (SELECT MAX(month) FROM months) + INTERVAL '1 month'
                     GROUP BY 1, 2, 3
                ), collected AS (
                    SELECT p.collected_by_id AS user_id, p.company_id, date_trunc('month', p.date)::date AS month,
                           SUM(p.amount_company_currency_signed) AS amount
                      FROM account_payment p
                     WHERE p.collected_by_id IS NOT NULL AND p.state NOT IN ('draft', 'canceled', 'rejected')
                       AND p.date >= (SELECT MIN(month) FROM months)
                     GROUP BY 1, 2, 3
                ), keys AS (
                    SELECT user_id, company_id, month FROM working
                    UNION SELECT user_id, company_id, month FROM planned
                    UNION SELECT user_id, company_id, month FROM collected
                )
                SELECT ROW_NUMBER() OVER (ORDER BY k.month, k.user_id, k.company_id) AS id,
                       k.user_id, k.company_id, c.currency_id, k.month,
                       COALESCE(pl.hours, 0) AS planned_hours, COALESCE(w.hours, 0) AS working_hours,
                       COALESCE(w.leave_hours, 0) AS leave_hours,
                       CASE WHEN w.hours > 0 THEN ROUND((100.0 * COALESCE(pl.hours, 0) / w.hours)::numeric, 1) END
                           AS utilisation,
                       COALESCE(co.amount, 0) AS collected_amount
                  FROM keys k
                  JOIN res_company c ON c.id = k.company_id
                  LEFT JOIN working w ON w.user_id = k.user_id AND w.company_id = k.company_id AND w.month = k.month
                  LEFT JOIN planned pl ON pl.user_id = k.user_id AND pl.company_id = k.company_id AND pl.month = k.month
                  LEFT JOIN collected co ON co.user_id = k.user_id AND co.company_id = k.company_id
                       AND co.month = k.month
            )
            """
        )
