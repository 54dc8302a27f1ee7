from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft)
        # payments collected on site before the work was invoiced pay its invoice as soon as it is posted
        invoices = posted.sudo().filtered(lambda move: move.move_type == "out_invoice")
        interventions = invoices.line_ids.service_intervention_id
        if interventions:
            interventions._service_reconcile_payments()
        return posted
