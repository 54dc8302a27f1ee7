from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    service_own_warranty_months = fields.Integer(
        string="Own Warranty (months)",
        default=12,
        help="Length of the warranty the company gives on the equipment it commissions. 0 gives none.",
    )
    service_preventive_horizon_days = fields.Integer(
        string="Preventive Horizon (days)",
        default=60,
        help="How far ahead the preventive visits of contracts are created as interventions.",
    )
    service_cash_journal_id = fields.Many2one(
        "account.journal",
        string="On-site Cash Journal",
        check_company=True,
        domain="[('type', '=', 'cash'), ('company_id', '=', id)]",
        help="Journal of the cash technicians collect on site. Empty: the company's first cash journal.",
    )
    service_bank_journal_id = fields.Many2one(
        "account.journal",
        string="On-site Bank Journal",
        check_company=True,
        domain="[('type', '=', 'bank'), ('company_id', '=', id)]",
        help="Journal of the cheques, cards and transfers technicians collect on site. "
        "Empty: the company's first bank journal.",
    )

    service_deferred_revenue_account_id = fields.Many2one(
        "account.account",
        string="Deferred Revenue Account",
        check_company=True,
        help="Contract invoices covering months after their own book their revenue here; a monthly job "
        "moves each month's share to the income account. Empty: no deferral.",
    )
    service_labour_product_id = fields.Many2one(
        "product.product",
        string="Default Labour Product",
        check_company=True,
        help="Charged per hour of intervention when no labour rate is set for the intervention's type.",
    )
    service_travel_product_id = fields.Many2one(
        "product.product",
        string="Travel Product",
        check_company=True,
        help="Charged once per billable intervention, at its sales price (a flat travel fee).",
    )
    service_covered_lines = fields.Selection(
        [("zero", "Shown at Zero Price"), ("hide", "Left Out")],
        string="Covered Work on Invoices",
        default="zero",
        required=True,
        help="How the labour, travel and parts a contract or a warranty covers appear on intervention invoices.",
    )
    service_billing_backlog_months = fields.Integer(
        string="Backlog Limit (months)",
        default=12,
        help="Billing refuses a contract whose periods due go back further than this many months (often a wrong "
        "start date); a service manager can still bill them. 0: no limit.",
    )

    @api.constrains("service_billing_backlog_months")
    def _check_service_billing_backlog_months(self):
        if any(not 0 <= company.service_billing_backlog_months <= 120 for company in self):
            raise ValidationError(self.env._("The backlog limit of billing is between 0 (none) and 120 months."))

    def _get_service_payment_journal(self, method):
        """The journal a payment collected on site with ``method`` goes to."""
        self.ensure_one()
        journal_type = "cash" if method == "cash" else "bank"
        journal = self.service_cash_journal_id if journal_type == "cash" else self.service_bank_journal_id
        return journal or self.env["account.journal"].search(
            [("type", "=", journal_type), *self.env["account.journal"]._check_company_domain(self)],
            order="sequence, id",
            limit=1,
        )
