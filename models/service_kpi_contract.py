from odoo import fields, models, tools

CHURN_KINDS = [("terminated", "Terminated"), ("not_renewed", "Not Renewed")]


class ServiceKpiContract(models.Model):
    """Recurring revenue of contract lines, normalised per month: MRR, ARR, renewals due and churn."""

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

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # periods per year of each recurrence, as helpers/recurrence.py PERIODS_PER_YEAR
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH v AS (
                    SELECT l.id, c.company_id, c.currency_id, c.id AS contract_id, c.partner_id, c.state,
                           c.date_end, c.termination_date, c.termination_reason_id,
                           c.state IN ('running', 'expiring') AS running,
                           ROUND(l.price_subtotal
                                 * CASE COALESCE(l.recurring_rule_type, c.recurring_rule_type)
                                       WHEN 'daily' THEN 365 WHEN 'weekly' THEN 52 WHEN 'monthly' THEN 12
                                       WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 1 ELSE 0 END
                                 / COALESCE(NULLIF(l.recurring_interval, 0), c.recurring_interval, 1), 2) AS yearly
                      FROM service_contract_line l
                      JOIN service_contract c ON c.id = l.contract_id
                     WHERE c.billing_rule IN ('advance', 'arrears') AND c.state != 'cancelled'
                )
                SELECT v.id, v.company_id, v.currency_id, v.contract_id, v.partner_id, v.state, v.date_end,
                       CASE WHEN v.running THEN ROUND(v.yearly / 12, 2) ELSE 0 END AS mrr,
                       CASE WHEN v.running THEN v.yearly ELSE 0 END AS arr,
                       v.running AND v.date_end BETWEEN CURRENT_DATE AND CURRENT_DATE + 90 AS renewal_due,
                       CASE WHEN v.running AND v.date_end BETWEEN CURRENT_DATE AND CURRENT_DATE + 90
                            THEN v.yearly ELSE 0 END AS renewal_amount,
                       CASE WHEN v.state = 'terminated' THEN 'terminated'
                            WHEN v.state = 'expired' THEN 'not_renewed' END AS churn_kind,
                       CASE WHEN v.state = 'terminated' THEN v.termination_date
                            WHEN v.state = 'expired' THEN v.date_end END AS churn_date,
                       CASE WHEN v.state = 'terminated' THEN v.termination_reason_id END AS churn_reason_id,
                       CASE WHEN v.state IN ('terminated', 'expired') THEN ROUND(v.yearly / 12, 2) ELSE 0 END
                           AS churned_mrr
                  FROM v
            )
            """
        )
