from odoo import api, models


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "portal.mixin"]

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_partner_payer_grade(self):
        """The payer grade is the credit controller's opinion of the customer: never shown to the customer."""
        res = super()._compute_partner_payer_grade()
        if self.env.user.share and not self.env.su:
            self.partner_payer_grade = False
        return res

    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Contract %(name)s", name=self.name)
