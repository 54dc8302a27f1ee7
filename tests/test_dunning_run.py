from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    def test_level_reached_at_exact_day_boundaries(self):
        due = self.day
        invoice = self._invoice(self.customer, 500.0, due)
        expectations = [
            (-4, None),
            (-3, self.level_courtesy),
            (9, self.level_courtesy),
            (10, self.level_reminder),
            (29, self.level_reminder),
            (30, self.level_notice),
            (59, self.level_notice),
            (60, self.level_agency),
        ]
        for offset, level in expectations:
            run = self._run(due + timedelta(days=offset))
            line = self._line(run, self.customer)
            if level is None:
                self.assertFalse(line, f"nothing at {offset} days")
                continue
            self.assertEqual(line.proposed_level_id, level, f"{level.name} at {offset} days")
            self.assertEqual(line.item_ids.move_id, invoice)
            self.assertEqual(line.item_ids.days_late, offset)

    def test_one_grouped_communication_per_customer(self):
        old = self._invoice(self.customer, 1000.0, self.day - timedelta(days=35))
        middle = self._invoice(self.customer, 400.0, self.day - timedelta(days=12))
        recent = self._invoice(self.customer, 200.0, self.day - timedelta(days=1))
        self._invoice(self.other_customer, 300.0, self.day - timedelta(days=15))
        run = self._run(self.day)
        line = self._line(run, self.customer)
        self.assertEqual(len(line), 1, "one communication for the customer")
        self.assertEqual(line.level_id, self.level_notice, "the highest level reached")
        levels = {item.move_id: item.level_id for item in line.item_ids}
        self.assertEqual(levels, {old: self.level_notice, middle: self.level_reminder, recent: self.level_courtesy})
        self.assertEqual(line.amount_due, 1600.0)
        self.assertEqual(line.amount_segment, "medium")
        self.assertEqual(line.age_bucket, "31_60")
        self.assertEqual(self._line(run, self.other_customer).level_id, self.level_reminder)
        self.assertEqual(run.line_ids[0], line, "the worklist puts the oldest first")

        mails_before = self.env["mail.mail"].search_count([])
        self._execute(run)
        self.assertEqual(run.state, "done")
        mails = self.env["mail.mail"].search(
            [("model", "=", "service.dunning.run.line"), ("res_id", "in", run.line_ids.ids)]
        )
        self.assertEqual(len(mails), 2, "one e-mail per customer")
        self.assertEqual(self.env["mail.mail"].search_count([]) - mails_before, 2)
        customer_mail = mails.filtered(lambda m: m.res_id == line.id)
        self.assertEqual(customer_mail.recipient_ids, self.customer)
        self.assertEqual(customer_mail.state, "outgoing", "queued, not sent")
        self.assertEqual(len(customer_mail.attachment_ids), 1, "the letter is attached")
        self.assertIn(old.name, customer_mail.body_html)
        self.assertTrue(run.letter_attachment_id, "the letters of the run in one file")
        self.assertEqual(
            (old.dunning_level_id, middle.dunning_level_id, recent.dunning_level_id),
            (self.level_notice, self.level_reminder, self.level_courtesy),
        )
        self.assertEqual(old.dunning_date, self.day)
        self.assertEqual(len(old.dunning_history_ids), 1)
        self.assertIn("Formal notice", old.message_ids[0].body)
        self.assertIn(old.name, self.customer.message_ids[0].body, "traced on the customer")
        call = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
        self.assertEqual(call.user_id, self.salesperson, "the salesperson calls")
        self.assertEqual(call.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.other_customer.id)]
            ),
            "no call at the reminder level",
        )

    def test_partial_payment_reduces_due_and_paid_invoice_leaves(self):
        partly = self._invoice(self.customer, 1000.0, self.day - timedelta(days=15))
        paid = self._invoice(self.customer, 300.0, self.day - timedelta(days=15))
        self._pay(partly, 400.0, self.day - timedelta(days=2))
        self._pay(paid, 300.0, self.day - timedelta(days=2))
        self.assertEqual(paid.payment_state in ("paid", "in_payment"), True)
        line = self._line(self._run(self.day), self.customer)
        self.assertEqual(line.item_ids.move_id, partly, "a paid invoice leaves dunning")
        self.assertEqual(line.amount_due, 600.0)

    def test_rerun_same_day_creates_nothing(self):
        invoice = self._invoice(self.customer, 800.0, self.day - timedelta(days=40))
        run = self._execute(self._run(self.day))
        counts = (
            self.env["mail.mail"].search_count([]),
            self.env["service.dunning.history"].search_count([]),
            self.env["account.move"].search_count([]),
            self.env["mail.activity"].search_count([]),
        )
        self.assertEqual(self._run(self.day), run, "the day's run is the same one")
        with self.assertRaisesMessage(UserError, "already has a dunning run"):
            self.Run.create({"company_id": self.company.id, "date": self.day})
        with self.assertRaisesMessage(UserError, "Review the dunning run"):
            run.action_execute()
        self.assertFalse(
            self._line(self._run(self.day + timedelta(days=1)), self.customer),
            "the next day, nothing new to send either",
        )
        self.assertEqual(
            counts,
            (
                self.env["mail.mail"].search_count([]),
                self.env["service.dunning.history"].search_count([]),
                self.env["account.move"].search_count([]),
                self.env["mail.activity"].search_count([]),
            ),
        )
        self.assertEqual(invoice.dunning_level_id, self.level_notice)
        next_line = self._line(self._run(self.day + timedelta(days=20)), self.customer)
        self.assertEqual(next_line.level_id, self.level_agency, "escalates when the next level is reached")

    def test_controller_changes_level_excludes_and_postpones(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=35))
        self._invoice(self.other_customer, 500.0, self.day - timedelta(days=35))
        self._invoice(self.third_customer, 700.0, self.day - timedelta(days=35))
        run = self._run(self.day).with_user(self.controller)
        line = self._line(run, self.customer)
        self.assertEqual(line.charges_amount, 25.0 + 40.0 + line.interest_amount)
        line.level_id = self.level_reminder
        self.assertEqual(line.item_ids.effective_level_id, self.level_reminder, "capped at the chosen level")
        self.assertEqual(line.fee_amount, 0.0)
        self.assertEqual(line.interest_amount, 0.0)
        self._line(run, self.other_customer).action_exclude()
        postponed = self._line(run, self.third_customer)
        postponed.postpone_date = self.day + timedelta(days=10)
        self.assertEqual(postponed.state, "postponed")
        self._execute(run)
        self.assertEqual(invoice.dunning_level_id, self.level_reminder)
        self.assertFalse(self.env["service.dunning.history"].search([("partner_id", "=", self.other_customer.id)]))
        self.assertEqual(self.third_customer.dunning_paused_until, self.day + timedelta(days=10))
        with self.assertRaisesMessage(UserError, "cannot change"):
            line.level_id = self.level_notice
        self.assertFalse(self._line(self._run(self.day + timedelta(days=5)), self.third_customer), "postponed")
        self.assertTrue(self._line(self._run(self.day + timedelta(days=10)), self.third_customer), "resumed")
        self.assertTrue(self._line(self._run(self.day + timedelta(days=5)), self.other_customer), "excluded once only")

    def test_agency_hand_off_is_recorded_on_the_customer(self):
        self._invoice(self.customer, 900.0, self.day - timedelta(days=61))
        self._execute(self._run(self.day))
        self.assertEqual(self.customer.dunning_agency_partner_id, self.agency)
        self.assertEqual(self.customer.dunning_agency_date, self.day)

    def test_next_dunning_action_date(self):
        invoice = self._invoice(self.customer, 900.0, self.day)
        self.assertEqual(invoice.dunning_next_date, self.day - timedelta(days=3))
        self._execute(self._run(self.day + timedelta(days=12)))
        self.assertEqual(invoice.dunning_level_id, self.level_reminder)
        self.assertEqual(invoice.dunning_next_date, self.day + timedelta(days=30))
        self._pay(invoice, 900.0, self.day + timedelta(days=13))
        self.assertFalse(invoice.dunning_next_date, "a paid invoice has no next action")

    def test_daily_job_creates_the_run_and_executes_it_when_the_policy_says_so(self):
        today = fields.Date.context_today(self.env.user)
        self.Run.search([("company_id", "=", self.company.id), ("date", "=", today)]).unlink()
        default_policy = self.env["service.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("is_default", "=", True)]
        )
        self.assertTrue(default_policy, "the demo company has a default policy")
        self.env["res.partner"].search([("dunning_policy_id", "=", self.policy.id)]).dunning_policy_id = False
        self.policy.is_default = False
        invoice = self._invoice(self.customer, 700.0, today - timedelta(days=50))
        self.Run._cron_dunning()
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", today)])
        self.assertEqual(run.state, "draft", "left for review")
        self.assertIn(invoice, run.line_ids.item_ids.move_id)
        default_policy.auto_execute = True
        self.Run._cron_dunning()
        self.assertEqual(run.state, "executing", "taken for execution by the job")
        self._run_execution_job()
        self.assertEqual(run.state, "done", "executed in the background")
        self.assertTrue(invoice.dunning_level_id)
        self.Run._cron_dunning()
        self.assertEqual(self.Run.search_count([("company_id", "=", self.company.id), ("date", "=", today)]), 1)
