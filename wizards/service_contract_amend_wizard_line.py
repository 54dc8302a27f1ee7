from odoo import fields, models

from odoo.addons.service_management.models.service_contract_line import AMENDABLE_FIELDS, COVERAGE


class ServiceContractAmendWizardLine(models.TransientModel):
    _name = "service.contract.amend.wizard.line"
    _description = "Amend a Service Contract Line"

    wizard_id = fields.Many2one("service.contract.amend.wizard", required=True, ondelete="cascade")
    contract_line_id = fields.Many2one("service.contract.line", string="Line", required=True)
    product_id = fields.Many2one(related="contract_line_id.product_id")
    partner_id = fields.Many2one(related="contract_line_id.partner_id")
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    discount = fields.Float(string="Discount (%)", digits="Discount")
    cover_labour = fields.Selection(COVERAGE, string="Labour", required=True)
    cover_travel = fields.Selection(COVERAGE, string="Travel", required=True)
    cover_parts = fields.Selection(COVERAGE, string="Parts", required=True)
    equipment_ids = fields.Many2many(
        "service.equipment", string="Covered Equipment", domain="[('partner_id', '=', partner_id)]"
    )

    def _get_new_values(self):
        self.ensure_one()
        return {fname: self[fname] for fname in AMENDABLE_FIELDS}
