from odoo import fields, models


class ServiceContractReviseWizard(models.TransientModel):
    _name = "service.contract.revise.wizard"
    _description = "Revise Contract Prices"

    contract_ids = fields.Many2many("service.contract", string="Contracts", required=True)
    date = fields.Date(string="Revision Date", required=True, default=fields.Date.context_today)

    def action_revise(self):
        self.ensure_one()
        self.contract_ids.revise_prices(self.date)
        return {"type": "ir.actions.act_window_close"}
