from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_management.models.service_contract_line import AMENDABLE_FIELDS


class ServiceContractAmendWizard(models.TransientModel):
    _name = "service.contract.amend.wizard"
    _description = "Amend a Service Contract"

    contract_id = fields.Many2one("service.contract", required=True)
    date = fields.Date(string="Effective Date", required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)
    line_ids = fields.One2many("service.contract.amend.wizard.line", "wizard_id", string="Lines")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        contract = self.env["service.contract"].browse(res.get("contract_id"))
        if contract and "line_ids" in fields_list:
            res["line_ids"] = [
                fields.Command.create(
                    {
                        "contract_line_id": line.id,
                        **{fname: line[fname] for fname in AMENDABLE_FIELDS if fname != "equipment_ids"},
                        "equipment_ids": [fields.Command.set(line.equipment_ids.ids)],
                    }
                )
                for line in contract.line_ids
            ]
        return res

    def action_amend(self):
        self.ensure_one()
        changes = {wizard_line.contract_line_id: wizard_line._get_new_values() for wizard_line in self.line_ids}
        amendment = self.env["service.contract.amendment"]._create_amendment(
            self.contract_id, self.date, changes, self.reason
        )
        if not amendment:
            raise UserError(self.env._("Nothing was changed: edit a price, a quantity, a coverage or the equipment."))
        return {"type": "ir.actions.act_window_close"}
