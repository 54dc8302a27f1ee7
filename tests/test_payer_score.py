from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestPayerScore(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        # Good: always paid on time.
        for days in (200, 150, 100):
            move = cls._invoice(cls.other_customer, 1000.0, cls.today - timedelta(days=days))
            cls._pay(move, 1000.0, move.invoice_date_due - timedelta(days=1))
        # Average: one large invoice paid 15 days late, a small one on time.
        move = cls._invoice(cls.third_customer, 3000.0, cls.today - timedelta(days=200))
        cls._pay(move, 3000.0, move.invoice_date_due + timedelta(days=15))
        move = cls._invoice(cls.third_customer, 500.0, cls.today - timedelta(days=100))
        cls._pay(move, 500.0, move.invoice_date_due)
        # Bad: paid 45 days late and an invoice still open 100 days after its due date.
        move = cls._invoice(cls.customer, 2000.0, cls.today - timedelta(days=300))
        cls._pay(move, 2000.0, move.invoice_date_due + timedelta(days=45))
        cls.open_invoice = cls._invoice(cls.customer, 800.0, cls.today - timedelta(days=100))
        cls._pay(cls.open_invoice, 300.0, cls.today - timedelta(days=50))

    def test_grades_for_crafted_histories(self):
        partners = self.customer | self.other_customer | self.third_customer
        partners.action_compute_payer_score()
        self.assertEqual(self.other_customer.payer_grade, "good")
        self.assertEqual(self.other_customer.payer_days_late, 0.0)
        self.assertEqual(self.other_customer.payer_late_share, 0.0)
        self.assertEqual(self.third_customer.payer_grade, "average")
        self.assertAlmostEqual(self.third_customer.payer_days_late, 3000 * 15 / 3500, places=1)
        self.assertEqual(self.third_customer.payer_late_share, 50.0)
        self.assertEqual(self.customer.payer_grade, "bad")
        self.assertEqual(self.customer.payer_overdue_amount, 500.0)
        self.assertEqual(self.customer.payer_late_share, 100.0)
        self.assertEqual(self.customer.payer_score_date, self.today)

    def test_daily_job_recomputes_scores_in_batches(self):
        self.customer.payer_grade = "good"
        self.env["res.partner"]._cron_compute_payer_scores(batch_size=100000)
        self.assertEqual(self.customer.payer_grade, "bad")

    def test_customer_totals(self):
        self.assertEqual(self.customer.service_total_invoiced, 2800.0)
        self.assertEqual(self.customer.service_total_unpaid, 500.0)
        self.assertEqual(self.customer.service_total_paid, 2300.0)
        self.assertEqual(
            self.site_tilleuls.with_env(self.env).service_total_unpaid, 500.0, "the site shows its customer's"
        )

    def test_dispatcher_warned_when_planning_for_a_bad_payer(self):
        self.customer.action_compute_payer_score()
        dispatcher = self.dispatcher
        dispatcher.write({"company_ids": [(4, self.company.id)], "company_id": self.company.id})
        Intervention = self.env["service.intervention"].with_user(dispatcher)
        with Form(Intervention) as form:
            form.partner_id = self.other_customer
            self.assertNotEqual(form.partner_payer_grade, "bad")
            form.partner_id = self.customer
            self.assertEqual(form.partner_payer_grade, "bad", "the form shows the warning")
        intervention = form.record
        self.assertEqual(intervention.partner_payer_grade, "bad")
        arch = Intervention.get_view(view_type="form")["arch"]
        self.assertIn("o_service_bad_payer_alert", arch)
        self.assertIn("bad payer", arch)
        contract = self._create_contract().with_user(dispatcher)
        self.assertEqual(contract.partner_payer_grade, "bad")
        self.assertIn("o_service_bad_payer_alert", contract.get_view(view_type="form")["arch"])
