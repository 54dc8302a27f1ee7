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
    def _compute_partner_payer_grade(self):
        for record in self:
            record.partner_payer_grade = record.partner_id.commercial_partner_id.sudo().payer_grade
