from odoo import fields, models


class ServiceBillingPeriod(models.Model):
    """One billed period of one contract line: the database refuses to bill it twice."""

    _name = "service.billing.period"
    _description = "Billed Contract Period"
    _order = "period_start desc, id desc"
    _check_company_auto = True

    contract_line_id = fields.Many2one(
        "service.contract.line", required=True, ondelete="restrict", index=True, readonly=True
    )
    contract_id = fields.Many2one("service.contract", required=True, ondelete="restrict", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    period_start = fields.Date(required=True, readonly=True, help="First day of the calendar period.")
    period_end = fields.Date(required=True, readonly=True)
    date_from = fields.Date(string="Billed From", required=True, readonly=True)
    date_to = fields.Date(string="Billed To", required=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", readonly=True)

    _sql_constraints = [
        (
            "contract_line_period_uniq",
            "unique(contract_line_id, period_start)",
            "A period of a contract line is billed only once.",
        ),
    ]
