from odoo import models


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "portal.mixin"]

    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Contract %(name)s", name=self.name)
