from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceContractRenewal(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2025-01-01 -> 2025-12-31, notice 90 days: deadline 2025-10-02, notice alert 30 days before it
        cls.contract = cls._create_contract(
            auto_renew=True, notice_period_days=90, notice_alert_days=30, expiry_alert_days=60, user_id=cls.manager.id
        )
        cls.contract.action_start()
        cls.fixed_term = cls._create_contract(auto_renew=False, expiry_alert_days=60, user_id=cls.manager.id)
        cls.fixed_term.action_start()
        cls.Contract = cls.env["service.contract"]

    def _run_cron(self, on_date):
        with freeze_time(on_date):
            while self.Contract._cron_renew_contracts(batch_size=1):
                pass

    def _alert_count(self, contract):
        """(activities, e-mails) the alerts created for ``contract``."""
        mails = self.env["mail.mail"].search([("model", "=", "service.contract"), ("res_id", "=", contract.id)])
        return len(contract.activity_ids), len(mails)

    def test_notice_alert_then_renewal_after_the_deadline(self):
        self._run_cron("2025-09-01")
        self.assertEqual(self.contract.state, "running", "the notice alert is 30 days before the deadline")
        self._run_cron("2025-09-02")
        self.assertEqual(self.contract.state, "expiring")
        self.assertEqual(self._alert_count(self.contract), (1, 1))
        self._run_cron("2025-10-02")
        self.assertEqual(self.contract.date_end, date(2025, 12, 31), "not renewed on the deadline itself")
        self.assertEqual(self._alert_count(self.contract), (1, 1), "a second run creates no second alert")
        self._run_cron("2025-10-03")
        self.assertEqual(self.contract.date_end, date(2026, 12, 31), "renewed the day after the deadline")
        self.assertEqual(self.contract.state, "running")
        self.assertEqual(self.contract.notice_deadline, date(2026, 10, 2))
        self._run_cron("2025-10-03")
        self.assertEqual(self.contract.date_end, date(2026, 12, 31), "run twice, renewed once")

    def test_fixed_term_contract_expires(self):
        self._run_cron("2025-11-01")
        self.assertEqual(self.fixed_term.state, "expiring")
        self.assertEqual(self._alert_count(self.fixed_term), (1, 1))
        self.assertEqual(self.fixed_term.activity_ids.user_id, self.manager)
        mail = self.env["mail.mail"].search([("model", "=", "service.contract"), ("res_id", "=", self.fixed_term.id)])
        self.assertEqual(mail.recipient_ids, self.manager.partner_id, "the e-mail goes to the responsible")
        self.assertIn(self.fixed_term.name, mail.subject)
        self._run_cron("2025-12-31")
        self.assertEqual(self.fixed_term.state, "expiring")
        self._run_cron("2026-01-01")
        self.assertEqual(self.fixed_term.state, "expired")
        self.assertEqual(self._alert_count(self.fixed_term), (1, 1))

    def test_cron_is_batched_and_reports_progress(self):
        with freeze_time("2025-11-01"):
            domain = self.Contract._get_renewal_domain(date(2025, 11, 1))
            due = self.Contract.search(domain)
            self.assertIn(self.fixed_term, due)
            self.assertIn(self.contract, due)
            cron = self.env.ref("service_management.ir_cron_service_contract_renewal")
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
            self.Contract.with_context(ir_cron_progress_id=progress.id)._cron_renew_contracts(batch_size=1)
            self.assertEqual(progress.done, 1)
            self.assertEqual(progress.remaining, self.Contract.search_count(domain))
            self.assertEqual(progress.remaining, len(due) - 1)
            cron.method_direct_trigger()
            self.assertFalse(self.Contract.search(domain), "nothing left to do")
            self.assertEqual(self.Contract._cron_renew_contracts(), 0)

    def test_to_renew_queue(self):
        self._run_cron("2025-11-01")
        action = self.env.ref("service_management.service_contract_action_to_renew")
        self.assertIn("to_renew", action.context)
        expiring = self.Contract.search(
            [("state", "=", "expiring"), ("id", "in", (self.contract | self.fixed_term).ids)]
        )
        self.assertEqual(expiring, self.fixed_term, "the tacitly renewed contract left the queue")
