from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestBillingUndo(BillingCommon):
    """Deleting or cancelling a draft billing invoice gives its periods and interventions back to the billing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_undo",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Labour (undo test)", "type": "service", "list_price": 80.0}
        )
        cls.env["service.labour.rate"].create({"intervention_type": "corrective", "product_id": cls.labour.id})

    def _bill_now(self, records):
        records.with_user(self.clerk).action_bill_now()
        return records.invoice_ids if records._name == "service.contract" else records.invoice_id

    def _assert_billable_again(self, contract):
        self.assertFalse(contract.billing_period_ids)
        self.assertFalse(contract.line_ids.billed_until)
        self.assertEqual(contract.next_invoice_date, date(2025, 1, 1))

    @freeze_time("2025-03-05")
    def test_deleting_a_draft_invoice_then_bill_now_bills_the_same(self):
        contract = self._create_billing_contract()
        invoice = self._bill_now(contract)
        amount = invoice.amount_total
        self.assertEqual(len(contract.billing_period_ids), 3)
        self.assertEqual(contract.line_ids.billed_until, date(2025, 3, 31))
        self.assertEqual(contract.next_invoice_date, date(2025, 4, 1))

        invoice.with_user(self.clerk).unlink()
        self._assert_billable_again(contract)

        again = self._bill_now(contract)
        self.assertEqual(len(again), 1)
        self.assertEqual(again.amount_total, amount)
        self.assertEqual(len(contract.billing_period_ids), 3)
        self.assertEqual(contract.next_invoice_date, date(2025, 4, 1))

    @freeze_time("2025-03-05")
    def test_cancelling_a_draft_invoice_then_bill_now_bills_the_same(self):
        contract = self._create_billing_contract()
        invoice = self._bill_now(contract)
        amount = invoice.amount_total
        self.assertIs(invoice.with_user(self.clerk).button_cancel(), True)
        self.assertEqual(invoice.state, "cancel")
        self._assert_billable_again(contract)

        again = self._bill_now(contract) - invoice
        self.assertEqual(len(again), 1)
        self.assertEqual(again.amount_total, amount)
        self.assertEqual(contract.billing_period_ids.move_id, again)

    @freeze_time("2025-03-05")
    def test_a_posted_invoice_stays_billed_and_a_credit_note_does_not_rebill(self):
        contract = self._create_billing_contract()
        invoice = self._bill_now(contract)
        invoice.with_user(self.clerk).action_post()
        with self.assertRaises(UserError):
            invoice.with_user(self.clerk).unlink()
        self.assertEqual(len(contract.billing_period_ids), 3)
        credit_note = invoice._reverse_moves([{"ref": "Credit"}])
        credit_note.action_post()
        self.assertEqual(len(contract.billing_period_ids), 3, "a credit note keeps the periods billed")
        self.assertEqual(contract.next_invoice_date, date(2025, 4, 1))
        self.assertEqual(contract.with_user(self.clerk).action_bill_now()["params"]["type"], "info")

    @freeze_time("2025-03-05")
    def test_reset_to_draft_then_delete_behaves_as_a_draft(self):
        contract = self._create_billing_contract()
        invoice = self._bill_now(contract)
        amount = invoice.amount_total
        invoice.action_post()
        invoice.with_user(self.clerk).button_draft()
        self.assertEqual(len(contract.billing_period_ids), 3, "a draft still bills its periods")
        invoice.with_user(self.clerk).unlink()
        self._assert_billable_again(contract)
        self.assertEqual(self._bill_now(contract).amount_total, amount)

    def test_an_earlier_invoice_cannot_be_cancelled_under_a_later_one(self):
        contract = self._create_billing_contract()
        with freeze_time("2025-01-05"):
            january = self._bill_now(contract)
        with freeze_time("2025-02-05"):
            february = self._bill_now(contract) - january
        self.assertEqual(len(february), 1)
        with self.assertRaisesMessage(UserError, "later periods billed on"):
            january.with_user(self.clerk).button_cancel()
        self.assertEqual(january.state, "draft")
        with self.assertRaisesMessage(UserError, "later periods billed on"):
            january.with_user(self.clerk).unlink()
        self.assertTrue(january.exists())
        self.assertEqual(len(contract.billing_period_ids), 2)
        self.assertEqual(contract.line_ids.billed_until, date(2025, 2, 28))
        # the latest first, then the earlier one: everything is billable again
        february.with_user(self.clerk).button_cancel()
        self.assertEqual(contract.line_ids.billed_until, date(2025, 1, 31))
        january.with_user(self.clerk).unlink()
        self._assert_billable_again(contract)

    @freeze_time("2025-03-20")
    def test_interventions_are_billable_again_after_delete_or_cancel(self):
        intervention = self._create_done_intervention(end=datetime(2025, 3, 10, 12, 0))
        invoice = self._bill_now(intervention)
        amount = invoice.amount_total
        self.assertEqual(intervention.invoice_state, "invoiced")
        invoice.with_user(self.clerk).button_cancel()
        self.assertEqual(intervention.invoice_state, "to_invoice")
        again = self._bill_now(intervention)
        self.assertNotEqual(again, invoice)
        self.assertEqual(again.amount_total, amount)
        again.with_user(self.clerk).unlink()
        self.assertEqual(intervention.invoice_state, "to_invoice")
        self.assertEqual(self._bill_now(intervention).amount_total, amount)

    def test_billed_until_is_written_by_the_billing_only(self):
        contract = self._create_billing_contract()
        for user in (self.manager, self.clerk):
            with self.subTest(user=user.login), self.assertRaisesMessage(UserError, "set by the billing only"):
                contract.line_ids.with_user(user).write({"billed_until": date(2030, 1, 1)})
        self.assertFalse(contract.line_ids.billed_until)
