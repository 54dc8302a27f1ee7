from odoo import fields
from odoo.tests import HttpCase, tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(HttpCase, PortalCommon):
    """A customer's portal user goes through the portal in a browser."""

    def test_browse_contracts_and_equipment_then_request_an_intervention(self):
        self.start_tour("/my/home", "service_portal_browse_and_request_tour", login=self.portal_x.login)
        # the dispatcher finds the request in the back office, unplanned, on the right equipment
        request = self.env["service.intervention"].with_user(self.dispatcher).search([("portal_requested", "=", True)])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.equipment_id, self.lift_x)
        self.assertEqual(request.site_id, self.site_tilleuls)
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.priority, "3")
        self.assertEqual(request.state, "new")
        self.assertIn("La cabine s'arrête entre deux étages.", request.description)
        self.assertIn("Demain matin", request.description)
        notified = request.message_ids.filtered(lambda m: self.dispatcher.partner_id in m.partner_ids)
        self.assertTrue(notified)
        # the download link the tour saw answers the contract as a PDF
        self.authenticate(self.portal_x.login, self.portal_x.login)
        pdf = self.url_open(f"/my/contracts/{self.contract_x.id}?report_type=pdf&download=1")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn(self.contract_x.name, pdf.text)

    def test_sign_a_report_online(self):
        self.start_tour(self.intervention_x.get_portal_url(), "service_portal_sign_tour", login=self.portal_x.login)
        self.assertEqual(self.intervention_x.signed_by, self.portal_x.name)
        self.assertTrue(self.intervention_x.signature)
        self.assertTrue(self.intervention_x.signed_on)


@tagged("post_install", "-at_install")
class TestPortalPayment(HttpCase, PortalCommon):
    """Invoices are paid online through Odoo's payment providers and reconciled like any payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [
                    fields.Command.create({"product_id": cls.service_product.id, "quantity": 1, "price_unit": 250.0})
                ],
            }
        )
        cls.invoice.action_post()

    def setUp(self):
        super().setUp()
        if self.provider.code != "demo":
            self.skipTest("the demo payment provider (payment_demo) is not installed in this database")

    def _assert_paid(self):
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(self.invoice.currency_id.is_zero(self.invoice.amount_residual))
        payment = self.invoice.transaction_ids.payment_id
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(payment.amount, self.invoice.amount_total)

    def test_pay_an_invoice_with_the_demo_provider_in_the_browser(self):
        self.assertTrue(self.invoice.with_user(self.portal_x).has_access("read"))
        self.assertFalse(self.invoice.with_user(self.portal_y).has_access("read"))
        self.start_tour(self.invoice.get_portal_url(), "service_portal_pay_tour", login=self.portal_x.login)
        self._assert_paid()

    def test_payment_notification_reconciles_the_invoice(self):
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "reference": f"{self.invoice.name}-portal",
                "amount": self.invoice.amount_residual,
                "currency_id": self.invoice.currency_id.id,
                "partner_id": self.customer.id,
                "invoice_ids": [fields.Command.set(self.invoice.ids)],
                "operation": "online_direct",
            }
        )
        transaction._process_notification_data(
            {"reference": transaction.reference, "payment_details": "4242", "simulated_state": "done"}
        )
        transaction._post_process()
        self._assert_paid()
