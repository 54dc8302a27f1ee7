import io
import time
from datetime import date, timedelta

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from .common import PdfReportCase, WorkersCase
from .dunning_common import DunningCommon, compute_run_of, create_demo_policy, create_overdue_invoices, demo_company_env


@tagged("post_install", "-at_install")
class TestDunningChargeInvoices(DunningCommon):
    """Invoices charging dunning fees, interest and indemnities are not dunned in turn, unless the policy says so."""

    def _charge_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=35))
        run = self._execute(self._run(self.day))
        charge = run.charge_move_ids
        self.assertEqual(len(charge), 1)
        self.assertTrue(charge.service_dunning_charge, "marked as a dunning charge when created")
        self.assertEqual(charge.dunning_charge_origin_ids, invoice)
        self.assertFalse(invoice.service_dunning_charge)
        return invoice, charge

    def _calendar(self):
        action = self.env.ref("service_management.account_move_action_dunning_calendar")
        return self.env["account.move"].with_user(self.controller).search(safe_eval(action.domain))

    def test_charge_invoice_is_not_dunned_nor_in_the_calendar(self):
        invoice, charge = self._charge_invoice()
        self.assertEqual(charge.invoice_date_due, self.day + timedelta(days=30))
        self.assertFalse(charge.dunning_next_date, "no reminder planned for a charge invoice")
        self.assertIn(invoice, self._calendar())
        self.assertNotIn(charge, self._calendar())
        later = self._run(self.day + timedelta(days=100)).with_user(self.controller)
        self.assertNotIn(charge, later.line_ids.item_ids.move_id, "70 days late, still not dunned")
        self.assertIn(invoice, later.line_ids.item_ids.move_id, "the dunned invoice goes on")

    def test_charge_mark_is_set_by_the_run_only(self):
        invoice, charge = self._charge_invoice()
        accountant = self.env.ref("base.user_admin")
        with self.assertRaisesMessage(UserError, "Only a dunning run makes an invoice a dunning charge"):
            invoice.with_user(accountant).write({"service_dunning_charge": True})
        with self.assertRaisesMessage(UserError, "Only a dunning run makes an invoice a dunning charge"):
            charge.with_user(self.controller).write({"service_dunning_charge": False})
        self.assertFalse(invoice.service_dunning_charge)
        self.assertTrue(charge.service_dunning_charge)
        self.assertFalse(charge.copy().service_dunning_charge, "a copy is an ordinary invoice")

    def test_charge_invoice_alone_brings_no_communication(self):
        invoice, charge = self._charge_invoice()
        self._pay(invoice, invoice.amount_residual, self.day + timedelta(days=1))
        later = self._run(self.day + timedelta(days=100))
        self.assertFalse(self._line(later, self.customer), "only the charge is left: nothing to send")

    def test_policy_may_dun_charge_invoices(self):
        _invoice, charge = self._charge_invoice()
        self.policy.with_user(self.controller).dun_charge_invoices = True
        self.assertTrue(charge.dunning_next_date, "the policy change plans its reminders")
        self.assertIn(charge, self._calendar())
        later = self._run(self.day + timedelta(days=100))
        item = later.line_ids.item_ids.filtered(lambda i: i.move_id == charge)
        self.assertTrue(item.escalated)
        self.assertTrue(item.is_charge)
        self.assertFalse(item.interest_amount or item.indemnity_amount, "no charge on a charge")


@tagged("post_install", "-at_install")
class TestDunningBackgroundExecution(DunningCommon):
    """Execute leaves the work to a job that goes batch by batch, and can stop and restart without doubling."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Copropriété {number}",
                    "is_company": True,
                    "email": f"syndic{number}@example.fr",
                    "lang": "en_US",
                    "dunning_policy_id": cls.policy.id,
                }
                for number in range(5)
            ]
        )
        for customer in cls.customers:
            cls._invoice(customer, 600.0, cls.day - timedelta(days=35))
        cls.cron = cls.env.ref("service_management.ir_cron_service_dunning_execute")

    def _counts(self, run):
        """What the execution wrote for the run's customers: e-mails, calls, charge invoices, history, letters."""
        partners = run.line_ids.partner_id
        return {
            "mails": self.env["mail.mail"].search_count(
                [("model", "=", "service.dunning.run.line"), ("res_id", "in", run.line_ids.ids)]
            ),
            "calls": self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ),
            "charges": self.env["account.move"].search_count(
                [("service_dunning_charge", "=", True), ("partner_id", "in", partners.ids)]
            ),
            "history": self.env["service.dunning.history"].search_count([("partner_id", "in", partners.ids)]),
            "done": len(run.line_ids.filtered(lambda line: line.state == "done")),
        }

    def _batch(self, batch_size=2, progress=None):
        Run = self.Run.sudo()
        if progress:
            Run = Run.with_context(ir_cron_progress_id=progress.id)
        Run._cron_execute_runs(batch_size=batch_size)
        self.env.invalidate_all()

    def test_execute_returns_at_once_and_the_job_goes_batch_by_batch(self):
        run = self._run(self.day).with_user(self.controller)
        self.assertEqual(run.line_count, 5)
        run.action_review()
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        run.action_execute()
        self.assertEqual(run.state, "executing")
        self.assertEqual(run.executed_by_id, self.controller)
        self.assertTrue(run.execution_date)
        self.assertEqual((run.execution_done_count, run.execution_remaining_count), (0, 5))
        self.assertEqual(
            self._counts(run), {"mails": 0, "calls": 0, "charges": 0, "history": 0, "done": 0}, "nothing in the request"
        )
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]), "the job is triggered")
        with self.assertRaisesMessage(UserError, "cannot change"):
            run.line_ids[0].level_id = self.level_reminder
        with self.assertRaisesMessage(UserError, "cannot be deleted"):
            run.unlink()

        progress = self.env["ir.cron.progress"].create({"cron_id": self.cron.id})
        self._batch(progress=progress)
        self.assertEqual((progress.done, progress.remaining), (2, 3), "the job reports its progress")
        self.assertEqual(run.state, "executing")
        self.assertEqual((run.execution_done_count, run.execution_remaining_count), (2, 3))
        self.assertAlmostEqual(run.execution_progress, 40.0)
        self.assertEqual(self._counts(run), {"mails": 2, "calls": 2, "charges": 2, "history": 2, "done": 2})
        self.assertEqual(len(run.letter_batch_ids), 1, "the batch's letters in one rendering")

        # the worker stops in the middle of the next batch: nothing of that batch stays
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self._batch()
            raise RuntimeError("worker killed")
        self.env.invalidate_all()
        self.assertEqual((run.execution_done_count, run.execution_remaining_count), (2, 3))
        self.assertEqual(self._counts(run), {"mails": 2, "calls": 2, "charges": 2, "history": 2, "done": 2})

        # restarted, the job goes on where it was
        self._batch(progress=progress)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self._batch(progress=progress)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(run.state, "done")
        self.assertEqual((run.execution_done_count, run.execution_remaining_count), (5, 0))
        self.assertEqual(self._counts(run), {"mails": 5, "calls": 5, "charges": 5, "history": 5, "done": 5})
        self.assertEqual(len(run.charge_move_ids.partner_id), 5, "one charge invoice per customer")
        self.assertTrue(run.letter_attachment_id, "the letters of all the batches in one file on the run")
        self.assertFalse(run.letter_batch_ids)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "service.dunning.run"), ("res_id", "=", run.id)]
            ),
            1,
            "the batches' files are replaced by the combined one",
        )
        for customer in self.customers:
            self.assertEqual(
                customer.invoice_ids.filtered(lambda m: not m.service_dunning_charge).dunning_level_id,
                self.level_notice,
            )

        # run again, the job finds nothing to do
        self._batch()
        self.assertEqual(self._counts(run), {"mails": 5, "calls": 5, "charges": 5, "history": 5, "done": 5})
        with self.assertRaisesMessage(UserError, "Review the dunning run"):
            run.action_execute()

    def test_failed_batch_writes_nothing_and_executing_again_finishes(self):
        run = self._run(self.day).with_user(self.controller)
        run.action_review()
        run.action_execute()
        self._batch()
        self.assertEqual(self._counts(run)["done"], 2)
        # the fee product moves to another company: the next charge invoice cannot be booked
        self.product_fee.company_id = self.company_b
        self._batch()
        self.assertEqual(run.state, "reviewed", "given back to the controller")
        self.assertIn("The execution stopped", run.message_ids[0].body)
        self.assertIn(self.controller.partner_id, run.message_ids[0].partner_ids, "the executor is told")
        self.assertEqual(
            self._counts(run), {"mails": 2, "calls": 2, "charges": 2, "history": 2, "done": 2}, "nothing half-written"
        )
        with self.assertRaisesMessage(UserError, "Part of this run is executed"):
            run.action_reset_draft()
            run.action_compute()
        self.product_fee.company_id = self.company
        run.action_execute()
        self.assertEqual((run.execution_done_count, run.execution_total_count), (2, 5), "goes on where it stopped")
        self._run_execution_job(batch_size=2)
        self.assertEqual(run.state, "done")
        self.assertEqual(self._counts(run), {"mails": 5, "calls": 5, "charges": 5, "history": 5, "done": 5})

    def test_second_executor_in_the_same_database_is_told_who_executes(self):
        run = self._run(self.day).with_user(self.controller)
        run.action_review()
        run.action_execute()
        with self.assertRaises(UserError) as caught:
            run.with_user(self.env.ref("base.user_admin")).action_execute()
        self.assertIn(f"This run is being executed by {self.controller.name} since", str(caught.exception))
        self.assertEqual(run.executed_by_id, self.controller)


@tagged("post_install", "-at_install")
class TestDunningExecutionConcurrency(WorkersCase):
    """Two users execute the same run from two clients (two real database connections)."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("service_management.res_company_rhone_demo")
            env = env(context={"allowed_company_ids": [company.id]})
            run = env["service.dunning.run"].create({"company_id": company.id, "date": date(2032, 1, 5)})
            run.action_review()
            self.run_id, self.company_id = run.id, company.id
            self.admin_name = env.ref("base.user_admin").name
            cr.commit()  # pylint: disable=invalid-commit
        self.envs = self._open_workers(self._clean_up)
        admin = self.env.ref("base.user_admin").id
        self.envs = [env(user=admin, context={"allowed_company_ids": [self.company_id]}) for env in self.envs]

    def _clean_up(self, env):
        env.cr.execute("DELETE FROM mail_message WHERE model = 'service.dunning.run' AND res_id = %s", [self.run_id])
        env.cr.execute("DELETE FROM service_dunning_run WHERE id = %s", [self.run_id])
        cron = env.ref("service_management.ir_cron_service_dunning_execute")
        env.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])

    def _execute(self, env):
        return env["service.dunning.run"].browse(self.run_id).action_execute()

    def test_second_executor_is_refused_at_once_with_who_and_since_when(self):
        env1, env2 = self.envs
        self.assertTrue(self._execute(env1))
        env1.cr.commit()
        start = time.monotonic()
        with self.assertRaises(UserError) as caught:
            self._execute(env2)
        self.assertIn(f"This run is being executed by {self.admin_name} since", str(caught.exception))
        self.assertLess(time.monotonic() - start, 2, "refused at once, not after the run")
        env2.cr.rollback()
        self.assertEqual(env2["service.dunning.run"].browse(self.run_id).state, "executing")

    def test_executors_at_the_same_moment_one_wins_the_other_is_told(self):
        env1, env2 = self.envs
        env2.cr.execute("SELECT 1")  # executor 2 reads the run before executor 1 commits
        self.assertEqual(env2["service.dunning.run"].browse(self.run_id).state, "reviewed")
        self._execute(env1)  # executor 1 holds the run, not committed yet
        start = time.monotonic()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable) as caught:
            self._execute(env2)
        self.assertLess(time.monotonic() - start, 2, "no waiting for executor 1")
        self.assertIsInstance(caught.exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, "Odoo replays such a request")
        env2.cr.rollback()
        env1.cr.commit()
        # the replayed request reads the committed claim and gets the message
        env2.invalidate_all()
        with self.assertRaises(UserError) as caught:
            self._execute(env2)
        self.assertIn(f"being executed by {self.admin_name} since", str(caught.exception))


@tagged("post_install", "-at_install")
class TestDunningLettersInBatches(PdfReportCase):
    """Real PDFs: each batch prints its letters in one rendering, the run keeps them all in one file."""

    def test_letters_of_all_batches_in_one_pdf(self):
        env = demo_company_env(self.env, force_report_rendering=True)
        policy = create_demo_policy(env, "Letter", send_email=False, print_letter=True)
        customers = env["res.partner"].create(
            [{"name": f"Letter Customer {n}", "is_company": True, "dunning_policy_id": policy.id} for n in range(3)]
        )
        day = date(2031, 3, 1)
        create_overdue_invoices(env, [(customer, 300.0) for customer in customers], day)
        run = compute_run_of(env, day, customers)
        self.assertEqual(len(run.line_ids.filtered(lambda line: line.state == "to_do")), 3)
        run.action_review()
        run.action_execute()

        def pages(content):
            self.assertTrue(content.startswith(b"%PDF"))
            return len(PdfFileReader(io.BytesIO(content), strict=False).pages)

        Run = env["service.dunning.run"]
        Run._cron_execute_runs(batch_size=2)
        first = pages(run.letter_batch_ids.raw)
        self.assertGreaterEqual(first, 2, "two letters in the first batch's file")
        Run._cron_execute_runs(batch_size=2)
        self.assertEqual(run.state, "done")
        self.assertFalse(run.letter_batch_ids)
        self.assertEqual(pages(run.letter_attachment_id.raw), first + first // 2, "the three letters in one file")
