from odoo import fields, models, tools

CHURN_KINDS = [("terminated", "Terminated"), ("not_renewed", "Not Renewed")]


class ServiceKpiContract(models.Model):
    """Recurring revenue of contract lines, normalised per month: MRR, ARR, renewals due and churn, in the
    contract's currency and in the company's currency at today's rate."""

    _name = "service.kpi.contract"
    _description = "Contract Revenue Analysis"
    _auto = False
    _order = "contract_id"
    _depends = {
        "service.contract": [
            "company_id", "currency_id", "partner_id", "state", "date_end", "termination_date",
            "termination_reason_id", "recurring_rule_type", "recurring_interval",
        ],
        "service.contract.line": ["contract_id", "price_subtotal", "recurring_rule_type", "recurring_interval"],
        "res.currency.rate": ["rate", "name", "currency_id", "company_id"],
    }  # fmt: skip

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_id = fields.Many2one("service.contract", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    date_end = fields.Date(string="End Date", readonly=True)
    mrr = fields.Monetary(string="MRR", readonly=True, help="Monthly recurring revenue of running contracts.")
    arr = fields.Monetary(string="ARR", readonly=True, help="Yearly recurring revenue of running contracts.")
    renewal_due = fields.Boolean(string="Renewal in 90 Days", readonly=True)
    renewal_amount = fields.Monetary(
        string="Value up for Renewal", readonly=True, help="Yearly value of running contracts ending within 90 days."
    )
    churn_kind = fields.Selection(CHURN_KINDS, string="Churn", readonly=True)
    churn_date = fields.Date(readonly=True)
    churn_reason_id = fields.Many2one("service.contract.termination.reason", string="Reason", readonly=True)
    churned_mrr = fields.Monetary(string="Lost MRR", readonly=True)
    # the same figures in the company's currency at today's rate, so that totals never add currencies
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    mrr_company = fields.Monetary(string="MRR (Company Currency)", currency_field="company_currency_id", readonly=True)
    arr_company = fields.Monetary(string="ARR (Company Currency)", currency_field="company_currency_id", readonly=True)
    renewal_amount_company = fields.Monetary(
        string="Value up for Renewal (Company Currency)", currency_field="company_currency_id", readonly=True
    )
    churned_mrr_company = fields.Monetary(
        string="Lost MRR (Company Currency)", currency_field="company_currency_id", readonly=True
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # periods per year of each recurrence, as helpers/recurrence.py PERIODS_PER_YEAR
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH raw AS (
                    SELECT l.id, c.company_id, c.currency_id, c.id AS contract_id, c.partner_id, c.state,
                           c.date_end, c.termination_date, c.termination_reason_id,
                           c.state IN ('running', 'expiring') AS running, comp.currency_id AS company_currency_id,
                           l.price_subtotal
                                 * CASE COALESCE(l.recurring_rule_type, c.recurring_rule_type)
                                       WHEN 'daily' THEN 365 WHEN 'weekly' THEN 52 WHEN 'monthly' THEN 12
                                       WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 1 ELSE 0 END
                                 / COALESCE(NULLIF(l.recurring_interval, 0), c.recurring_interval, 1) AS yearly_raw,
                           -- today's rate, as res.currency._get_rates: the company's own rate, else the shared one
                           COALESCE((SELECT r.rate FROM res_currency_rate r
                                      WHERE r.currency_id = comp.currency_id AND r.name <= CURRENT_DATE
                                        AND (r.company_id IS NULL
                                             OR r.company_id = split_part(comp.parent_path, '/', 1)::int)
                                      ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)
                           / COALESCE((SELECT r.rate FROM res_currency_rate r
                                        WHERE r.currency_id = c.currency_id AND r.name <= CURRENT_DATE
                                          AND (r.company_id IS NULL
                                               OR r.company_id = split_part(comp.parent_path, '/', 1)::int)
                                        ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0) AS factor
                      FROM service_contract_line l
                      JOIN service_contract c ON c.id = l.contract_id
                      JOIN res_company comp ON comp.id = c.company_id
                     WHERE c.billing_rule IN ('advance', 'arrears') AND c.state != 'cancelled'
                ), v AS (
                    SELECT raw.*, ROUND(raw.yearly_raw, 2) AS yearly,
                           ROUND(raw.yearly_raw * raw.factor, 2) AS yearly_company
                      FROM raw
                )
                SELECT v.id, v.company_id, v.currency_id, v.contract_id, v.partner_id, v.state, v.date_end,
                       v.company_currency_id,
                       CASE WHEN v.running THEN ROUND(v.yearly / 12, 2) ELSE 0 END AS mrr,
                       CASE WHEN v.running THEN v.yearly ELSE 0 END AS arr,
                       CASE WHEN v.running THEN ROUND(v.yearly_company / 12, 2) ELSE 0 END AS mrr_company,
                       CASE WHEN v.running THEN v.yearly_company ELSE 0 END AS arr_company,
                       v.running AND v.date_end BETWEEN CURRENT_DATE AND CURRENT_DATE + 90 AS renewal_due,
                       CASE WHEN v.running AND v.date_end BETWEEN CURRENT_DATE AND CURRENT_DATE + 90
                            THEN v.yearly ELSE 0 END AS renewal_amount,
                       CASE WHEN v.running AND v.date_end BETWEEN CURRENT_DATE AND CURRENT_DATE + 90
                            THEN v.yearly_company ELSE 0 END AS renewal_amount_company,
                       CASE WHEN v.state = 'terminated' THEN 'terminated'
                            WHEN v.state = 'expired' THEN 'not_renewed' END AS churn_kind,
                       CASE WHEN v.state = 'terminated' THEN v.termination_date
                            WHEN v.state = 'expired' THEN v.date_end END AS churn_date,
                       CASE WHEN v.state = 'terminated' THEN v.termination_reason_id END AS churn_reason_id,
                       CASE WHEN v.state IN ('terminated', 'expired') THEN ROUND(v.yearly / 12, 2) ELSE 0 END
                           AS churned_mrr,
                       CASE WHEN v.state IN ('terminated', 'expired') THEN ROUND(v.yearly_company / 12, 2) ELSE 0 END
                           AS churned_mrr_company
                  FROM v
            )
            """
        )
