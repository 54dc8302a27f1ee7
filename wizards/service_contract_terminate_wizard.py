from odoo import fields, models


class ServiceContractTerminateWizard(models.TransientModel):
    _name = "service.contract.terminate.wizard"
    _description = "Terminate a Service Contract"

    contract_id = fields.Many2one("service.contract", required=True)
    reason_id = fields.Many2one("service.contract.termination.reason", required=True)
    date = fields.Date(string="Effective Date", required=True, default=fields.Date.context_today)
    note = fields.Text()

    def action_terminate(self):
        self.ensure_one()
        self.contract_id.terminate(self.reason_id, self.date, self.note)
        return {"type": "ir.actions.act_window_close"}
