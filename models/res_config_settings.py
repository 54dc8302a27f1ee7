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
