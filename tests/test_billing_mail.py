from datetime import date

from odoo import fields
from odoo.tests import tagged

from .common import PdfReportCase


@tagged("post_install", "-at_install")
class TestBillingMail(PdfReportCase):
    """ "Post and e-mail" contracts: the invoice is posted, queued, then Odoo's sending job mails its PDF."""

    def test_posted_invoice_is_queued_then_mailed_with_its_pdf(self):
        customer = self.env["res.partner"].create(
            {"name": "Foncière du Rhône", "is_company": True, "email": "compta@fonciere-rhone.example.com"}
        )
        product = self.env["product.product"].create({"name": "Boiler Care", "type": "service", "taxes_id": False})
        contract = self.env["service.contract"].create(
            {
                "partner_id": customer.id,
                "date_start": date(2025, 1, 1),
                "billing_rule": "advance",
                "invoice_policy": "post_send",
                "line_ids": [fields.Command.create({"product_id": product.id, "price_unit": 250.0})],
            }
        )
        contract.action_start()
        invoice = contract._bill(date(2025, 1, 1))
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.sending_data, "queued, not sent during the billing run")
        self.assertFalse(invoice.is_move_sent)
        cron = self.env.ref("account.ir_cron_account_move_send")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))

        self.env["account.move"].with_context(
            force_report_rendering=True, mail_notify_force_send=False
        )._cron_account_move_send()
        self.assertFalse(invoice.sending_data)
        self.assertTrue(invoice.is_move_sent)
        pdf = invoice.invoice_pdf_report_id
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        mail = self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "waiting in the mail queue")
        self.assertIn(customer, mail.recipient_ids)
        self.assertTrue(mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf"))
