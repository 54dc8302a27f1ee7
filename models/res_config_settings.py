from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_own_warranty_months = fields.Integer(
        related="company_id.service_own_warranty_months",
        readonly=False,
    )
    service_preventive_horizon_days = fields.Integer(
        related="company_id.service_preventive_horizon_days",
        readonly=False,
    )
    service_cash_journal_id = fields.Many2one(related="company_id.service_cash_journal_id", readonly=False)
    service_bank_journal_id = fields.Many2one(related="company_id.service_bank_journal_id", readonly=False)

    dunning_interest_rate = fields.Float(related="company_id.dunning_interest_rate", readonly=False)
    dunning_indemnity_amount = fields.Monetary(related="company_id.dunning_indemnity_amount", readonly=False)
    dunning_charge_mode = fields.Selection(related="company_id.dunning_charge_mode", readonly=False)
    dunning_fee_product_id = fields.Many2one(related="company_id.dunning_fee_product_id", readonly=False)
    dunning_interest_product_id = fields.Many2one(related="company_id.dunning_interest_product_id", readonly=False)
    dunning_indemnity_product_id = fields.Many2one(related="company_id.dunning_indemnity_product_id", readonly=False)
    service_deferred_revenue_account_id = fields.Many2one(
        related="company_id.service_deferred_revenue_account_id",
        readonly=False,
    )
    service_labour_product_id = fields.Many2one(
        related="company_id.service_labour_product_id",
        readonly=False,
    )
    service_travel_product_id = fields.Many2one(
        related="company_id.service_travel_product_id",
        readonly=False,
    )
    service_covered_lines = fields.Selection(
        related="company_id.service_covered_lines",
        readonly=False,
    )
    service_billing_backlog_months = fields.Integer(
        related="company_id.service_billing_backlog_months",
        readonly=False,
    )
