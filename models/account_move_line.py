from odoo import fields, models

# what the service billing writes on the lines it invoices: which intervention or contract line, which period
BILLING_LINE_FIELDS = (
    "service_intervention_id",
    "service_contract_line_id",
    "service_period_start",
    "service_period_end",
)


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "service.protected.fields.mixin"]

    _service_protected_fields = BILLING_LINE_FIELDS

    service_contract_line_id = fields.Many2one(
        "service.contract.line", string="Contract Line", index="btree_not_null", readonly=True, copy=False
    )
    service_intervention_id = fields.Many2one(
        "service.intervention", string="Intervention", index="btree_not_null", readonly=True, copy=False
    )
    service_period_start = fields.Date(string="Service From", readonly=True, copy=False)
    service_period_end = fields.Date(string="Service To", readonly=True, copy=False)
    service_deferred_start = fields.Date(
        string="Recognise From", readonly=True, copy=False, help="The revenue of this line is spread from this day."
    )
    service_deferred_end = fields.Date(string="Recognise To", readonly=True, copy=False)
    service_income_account_id = fields.Many2one(
        "account.account",
        string="Income Account",
        readonly=True,
        copy=False,
        help="Where the deferred revenue of this line goes, month by month.",
    )

    def init(self):
        # an intervention is invoiced once: its section line exists once on invoices that are not cancelled
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_line_service_intervention_uniq
                ON account_move_line (service_intervention_id)
             WHERE service_intervention_id IS NOT NULL
               AND display_type = 'line_section'
               AND parent_state != 'cancel'
            """
        )
