from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningExclusions(DunningCommon):
    def test_disputed_invoice_skipped_then_resumed(self):
        disputed = self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        other = self._invoice(self.customer, 200.0, self.day - timedelta(days=15))
        with self.assertRaisesMessage(ValidationError, "reason of the dispute"):
            disputed.write({"dunning_dispute": True})
        self.assertFalse(disputed.dunning_dispute, "nothing written")
        disputed.write({"dunning_dispute": True, "dunning_dispute_reason": "Lift still out of order"})
        self.assertEqual(disputed.dunning_dispute_date, fields.Date.context_today(self.env.user))
        line = self._line(self._run(self.day), self.customer)
        self.assertEqual(line.item_ids.move_id, other, "the disputed invoice is skipped")
        disputed.dunning_dispute = False
        self.assertFalse(disputed.dunning_dispute_reason)
        line = self._line(self._run(self.day + timedelta(days=1)), self.customer)
        self.assertIn(disputed, line.item_ids.move_id, "dunned again once the dispute is settled")

    def test_blocked_customer_skipped_with_who_and_when(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        with self.assertRaisesMessage(ValidationError, "reason why"):
            self.customer.with_user(self.controller).write({"dunning_blocked": True})
        self.customer.with_user(self.controller).write(
            {"dunning_blocked": True, "dunning_block_reason": "Negotiation with the director"}
        )
        self.assertEqual(self.customer.dunning_blocked_by_id, self.controller)
        self.assertTrue(self.customer.dunning_blocked_date)
        self.assertFalse(self._line(self._run(self.day), self.customer))
        self.customer.dunning_blocked = False
        self.assertFalse(self.customer.dunning_blocked_by_id)
        self.assertTrue(self._line(self._run(self.day + timedelta(days=1)), self.customer))

    def test_promise_to_pay_pauses_then_kept(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        promise = self.env["service.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "amount": 600.0,
                "date": self.day + timedelta(days=5),
                "date_start": self.day - timedelta(days=1),
            }
        )
        self.assertEqual(promise.residual_start, 1000.0)
        self.assertIn("Promise to pay", self.customer.message_ids[0].body)
        self.assertFalse(self._line(self._run(self.day), self.customer), "paused")
        self.assertFalse(self._line(self._run(self.day + timedelta(days=5)), self.customer), "paused up to the date")
        self._pay(invoice, 600.0, self.day + timedelta(days=3))
        line = self._line(self._run(self.day + timedelta(days=6)), self.customer)
        self.assertEqual(promise.state, "kept")
        self.assertEqual(line.amount_due, 400.0, "dunning resumes for the rest")

    def test_broken_promise_resumes_and_is_noted(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        promise = self.env["service.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "amount": 600.0,
                "date": self.day + timedelta(days=5),
                "date_start": self.day - timedelta(days=1),
            }
        )
        line = self._line(self._run(self.day + timedelta(days=6)), self.customer)
        self.assertEqual(promise.state, "broken")
        self.assertTrue(line, "dunning resumes")
        self.assertIn("broken", self.customer.message_ids[0].body)

    def test_promise_on_one_invoice_pauses_only_that_invoice(self):
        promised = self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        other = self._invoice(self.customer, 300.0, self.day - timedelta(days=15))
        self.env["service.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_id": promised.id,
                "amount": 1000.0,
                "date": self.day + timedelta(days=5),
                "date_start": self.day - timedelta(days=1),
            }
        )
        line = self._line(self._run(self.day), self.customer)
        self.assertEqual(line.item_ids.move_id, other)

    def test_promise_bad_input(self):
        with self.assertRaisesMessage(ValidationError, "before it was given"):
            self.env["service.dunning.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "amount": 100.0,
                    "date": self.day,
                    "date_start": self.day + timedelta(days=1),
                }
            )
        self.assertFalse(self.env["service.dunning.promise"].search([("partner_id", "=", self.customer.id)]))
