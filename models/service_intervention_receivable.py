from odoo import fields, models

from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS


class ServiceIntervention(models.Model):
    _inherit = "service.intervention"

    service_amount_invoiced = fields.Monetary(
        compute="_compute_service_amounts",
        currency_field="company_currency_id",
        string="Invoiced",
        groups=PRICE_GROUPS,
        help="Amount (taxes included) of the posted customer invoice lines of this intervention, less credit notes.",
    )
    service_amount_paid = fields.Monetary(
        compute="_compute_service_amounts", currency_field="company_currency_id", string="Paid", groups=PRICE_GROUPS
    )
    service_amount_unpaid = fields.Monetary(
        compute="_compute_service_amounts",
        currency_field="company_currency_id",
        string="Unpaid",
        groups=PRICE_GROUPS,
        help="Share of the invoices' open amount that this intervention's lines make up.",
    )

    def _compute_service_amounts(self):
        # Amounts only: dispatchers see them without access to the ledger.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("service_intervention_id", "in", self.ids),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["service_intervention_id", "move_id"],
                ["price_total:sum"],
            )
        )
        totals = {}
        for intervention, move, amount in groups:
            sign = -1.0 if move.move_type == "out_refund" else 1.0
            share = amount / move.amount_total if move.amount_total else 0.0
            invoiced, unpaid = totals.get(intervention, (0.0, 0.0))
            totals[intervention] = (invoiced + sign * amount, unpaid + sign * share * move.amount_residual)
        for intervention in self:
            invoiced, unpaid = totals.get(intervention, (0.0, 0.0))
            intervention.service_amount_invoiced = invoiced
            intervention.service_amount_unpaid = unpaid
            intervention.service_amount_paid = invoiced - unpaid
