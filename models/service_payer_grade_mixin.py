from odoo import api, fields, models

from ..helpers.dunning import PAYER_GRADES


class ServicePayerGradeMixin(models.AbstractModel):
    _name = "service.payer.grade.mixin"
    _description = "Payer Grade of the Customer"

    partner_payer_grade = fields.Selection(
        PAYER_GRADES,
        compute="_compute_partner_payer_grade",
        string="Customer Payer Grade",
        help="Payer grade of the customer, from their payment history.",
    )

    @api.depends("partner_id")
    @api.depends_context("uid")
    def _compute_partner_payer_grade(self):
        # the grade is the credit controller's opinion of the customer: never shown to the customer (portal)
        if self.env.user.share and not self.env.su:
            self.partner_payer_grade = False
            return
        for record in self:
            record.partner_payer_grade = record.partner_id.commercial_partner_id.sudo().payer_grade
