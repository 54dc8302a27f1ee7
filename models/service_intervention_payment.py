from odoo import models
from odoo.tools import format_amount


class ServiceIntervention(models.Model):
    _inherit = "service.intervention"

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            self.filtered(lambda i: i.state == "done")._service_match_payments()
        return res

    # ------------------------------------------------------------------
    # Payments collected on site and the invoices of the work
    # ------------------------------------------------------------------
    def _service_match_payments(self):
        """Reconcile the payments collected on these interventions with their posted invoices, and note on
        the finished interventions with nothing to bill that their payments stay as the customer's credit."""
        if not self:
            return True
        interventions = self.sudo()
        interventions._service_reconcile_payments()
        interventions.filtered(lambda i: i.invoice_state == "covered")._service_note_unbilled_payments()
        return True

    def _get_service_open_payment_lines_domain(self):
        return [
            ("payment_id.service_intervention_id", "in", self.ids),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("balance", "<", 0.0),
        ]

    def _get_service_open_invoice_lines_domain(self, invoices):
        return [
            ("move_id", "in", invoices.ids),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("display_type", "=", "payment_term"),
        ]

    def _service_reconcile_payments(self):
        """Reconcile, in one go, each invoice of these interventions with the payments collected on the
        interventions it bills (same customer and receivable account): Odoo's reconciliation leaves the
        rest on the invoice or, when more was paid, as an outstanding credit of the customer."""
        Line = self.env["account.move.line"].sudo()
        payment_lines = Line.search(self._get_service_open_payment_lines_domain())
        if not payment_lines:
            return True
        interventions = payment_lines.payment_id.service_intervention_id
        invoices = (
            Line.search(
                [
                    ("service_intervention_id", "in", interventions.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "=", "out_invoice"),
                ]
            )
            .move_id.filtered(lambda move: move.payment_state in ("not_paid", "partial"))
            .sorted(lambda move: (move.invoice_date or move.date, move.id))
        )
        invoice_lines = Line.search(self._get_service_open_invoice_lines_domain(invoices))
        lines_by_invoice = invoice_lines.grouped("move_id")
        plan, matched = [], Line
        for invoice in invoices:
            billed = invoice.invoice_line_ids.service_intervention_id
            for account, open_lines in lines_by_invoice.get(invoice, Line).grouped("account_id").items():
                paid = (payment_lines - matched).filtered(
                    lambda line, billed=billed, account=account, invoice=invoice: (
                        line.account_id == account
                        and line.payment_id.service_intervention_id in billed
                        and line.partner_id.commercial_partner_id == invoice.commercial_partner_id
                    )
                )
                if paid:
                    plan.append(open_lines | paid)
                    matched |= paid
        if plan:
            Line._reconcile_plan(plan)
        return True

    def _service_note_unbilled_payments(self):
        """Post once, on each of these interventions with nothing to bill, that the payments collected on it
        are left as an outstanding credit of the customer."""
        payments = (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("service_intervention_id", "in", self.ids),
                    ("state", "in", ("in_process", "paid")),
                    ("service_credit_noted", "=", False),
                ]
            )
        )
        for intervention, collected in payments.grouped("service_intervention_id").items():
            amounts = ", ".join(format_amount(self.env, payment.amount, payment.currency_id) for payment in collected)
            intervention.message_post(
                body=self.env._(
                    "Nothing of this intervention is billed: the payments collected on it (%(amounts)s) stay as "
                    "an outstanding credit of %(customer)s, to be matched with another invoice or refunded.",
                    amounts=amounts,
                    customer=collected[0].partner_id.commercial_partner_id.display_name,
                )
            )
        payments.service_credit_noted = True
        return True
