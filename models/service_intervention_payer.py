from odoo import api, fields, models

from ..helpers.dunning import PAYER_GRADES


class ServiceIntervention(models.Model):
    _inherit = "service.intervention"

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
