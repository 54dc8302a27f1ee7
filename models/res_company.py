from odoo import fields, models


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
