from odoo import fields, models, tools


class ServiceKpiReceivable(models.Model):
    """Per company: what customers owe, what is overdue, and the days sales outstanding.

    DSO = receivables open today / customer invoices (net of credit notes, taxes included) of the
    last 90 days x 90, in the company's currency.
    """

    _name = "service.kpi.receivable"
    _description = "Days Sales Outstanding"
    _auto = False
    _order = "company_id"
    _depends = {
        "account.move": ["company_id", "move_type", "state", "invoice_date", "amount_total_signed"],
        "account.move.line": ["amount_residual", "reconciled", "parent_state", "date_maturity"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    receivable = fields.Monetary(string="Receivables", readonly=True)
    overdue = fields.Monetary(readonly=True)
    sales_90 = fields.Monetary(string="Invoiced in 90 Days", readonly=True)
    dso = fields.Float(string="DSO (days)", readonly=True, aggregator="max")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH rec AS (
                    SELECT company_id, SUM(amount_residual) AS amount,
                           SUM(amount_residual) FILTER (WHERE days_late > 0) AS overdue
                      FROM service_receivable_aging GROUP BY company_id
                ), sales AS (
                    SELECT company_id, SUM(amount_total_signed) AS amount
                      FROM account_move
                     WHERE move_type IN ('out_invoice', 'out_refund') AND state = 'posted'
                       AND invoice_date > CURRENT_DATE - 90 AND invoice_date <= CURRENT_DATE
                     GROUP BY company_id
                )
                SELECT c.id, c.id AS company_id, c.currency_id,
                       COALESCE(rec.amount, 0) AS receivable, COALESCE(rec.overdue, 0) AS overdue,
                       COALESCE(sales.amount, 0) AS sales_90,
                       CASE WHEN sales.amount > 0 THEN ROUND((COALESCE(rec.amount, 0) / sales.amount * 90)::numeric, 1)
                            ELSE 0 END AS dso
                  FROM res_company c
                  LEFT JOIN rec ON rec.company_id = c.id
                  LEFT JOIN sales ON sales.company_id = c.id
            )
            """
        )
