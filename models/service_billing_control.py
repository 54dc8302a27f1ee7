from odoo import fields, models, tools

CONTROL_KINDS = [
    ("interventions", "Interventions Done, Not Billed"),
    ("periods", "Contract Periods Due"),
    ("review", "Invoices to Review"),
]
ACTIONS = {
    "interventions": "service_management.service_intervention_action_to_bill",
    "periods": "service_management.service_contract_action_to_bill",
    "review": "service_management.account_move_action_service_review",
}


class ServiceBillingControl(models.Model):
    """What the billing has left to do, counted per company: empty after a billing run."""

    _name = "service.billing.control"
    _description = "Billing Control"
    _auto = False
    _order = "company_id, kind"

    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(CONTROL_KINDS, string="What", readonly=True)
    count = fields.Integer(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT row_number() OVER (ORDER BY company_id, kind) AS id, company_id, kind, count
                  FROM (
                    SELECT i.company_id, 'interventions' AS kind, count(*) AS count
                      FROM service_intervention i
                      LEFT JOIN service_contract c ON c.id = i.contract_id
                      LEFT JOIN service_order o ON o.id = i.service_order_id
                     WHERE i.invoice_state = 'to_invoice'
                       AND (c.id IS NULL
                            OR c.billing_rule NOT IN ('service_order', 'month_end')
                            OR (c.billing_rule = 'service_order' AND (o.id IS NULL OR o.is_done))
                            OR (c.billing_rule = 'month_end'
                                AND i.actual_end < date_trunc('month', now() AT TIME ZONE 'UTC')))
                     GROUP BY i.company_id
                    UNION ALL
                    SELECT company_id, 'periods', count(*)
                      FROM service_contract
                     WHERE state IN ('running', 'expiring', 'expired', 'terminated')
                       AND billing_rule IN ('advance', 'arrears')
                       AND next_invoice_date <= (now() AT TIME ZONE 'UTC')::date
                     GROUP BY company_id
                    UNION ALL
                    SELECT company_id, 'review', count(*)
                      FROM account_move
                     WHERE service_billing AND state = 'draft' AND move_type = 'out_invoice'
                     GROUP BY company_id
                  ) AS counts
            )
            """  # noqa: S608
        )

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(ACTIONS[self.kind])
        action["context"] = {"allowed_company_ids": [self.company_id.id]} if self.company_id else {}
        return action
