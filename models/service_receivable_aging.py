from odoo import fields, models, tools

from ..helpers.dunning import AGE_BUCKETS


class ServiceReceivableAging(models.Model):
    """Open receivable items with their age, for the aging pivot, graph and export."""

    _name = "service.receivable.aging"
    _description = "Receivable Aging"
    _auto = False
    _order = "days_late desc, amount_residual desc"
    _depends = {
        "account.move.line": [
            "company_id",
            "company_currency_id",
            "move_id",
            "date",
            "date_maturity",
            "account_id",
            "parent_state",
            "reconciled",
            "amount_residual",
        ],
        "account.move": ["commercial_partner_id"],
        "account.account": ["account_type"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    payer_grade = fields.Selection(related="partner_id.payer_grade")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT l.id, l.company_id, l.company_currency_id AS currency_id,
                       m.commercial_partner_id AS partner_id, l.move_id, l.date,
                       COALESCE(l.date_maturity, l.date) AS date_due,
                       CURRENT_DATE - COALESCE(l.date_maturity, l.date) AS days_late,
                       CASE WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 0 THEN 'not_due'
                            WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 30 THEN '0_30'
                            WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 60 THEN '31_60'
                            WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 90 THEN '61_90'
                            ELSE '90_plus' END AS age_bucket,
                       l.amount_residual
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE a.account_type = 'asset_receivable'
                   AND l.parent_state = 'posted'
                   AND NOT l.reconciled
                   AND l.amount_residual != 0
            )
            """
        )
