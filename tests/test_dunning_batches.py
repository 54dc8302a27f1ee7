import io
import time
from datetime import date, timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import PdfReportCase, WorkersCase
from .dunning_common import DunningCommon, compute_run_of, create_demo_policy, create_overdue_invoices, demo_company_env


class DunningBatchCommon(DunningCommon):
    """Customers at the level that does everything: e-mail, letter, call, fee, interest and indemnity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch_policy = cls.env["service.dunning.policy"].create(
            {
                "name": "Batch policy",
                "company_id": cls.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Formal notice (batch)",
                            "days": 30,
                            "send_email": True,
                            "print_letter": True,
                            "create_activity": True,
                            "fee_amount": 25.0,
                            "apply_interest": True,
                            "apply_indemnity": True,
                        }
                    )
                ],
            }
        )
        cls.batch_customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Syndic Batch {number:02d}",
                    "is_company": True,
                    "email": f"batch{number:02d}@example.fr",
                    "lang": "en_US",
                    "dunning_policy_id": cls.batch_policy.id,
                }
                for number in range(14)
            ]
        )
        cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": cls.day - timedelta(days=65),
                    "invoice_date_due": cls.day - timedelta(days=35),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.invoice_product.id,
                                "price_unit": 600.0 + number,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for number, customer in enumerate(cls.batch_customers)
            ]
        ).action_post()

    def _start(self, customers=None):
        """Today's run, computed, reviewed and taken for execution by the controller, for ``customers`` only."""
        customers = customers or self.batch_customers
        run = self._run(self.day).with_user(self.controller)
        run.line_ids.filtered(lambda line: line.partner_id not in customers).action_exclude()
        self.assertEqual(len(run.line_ids.filtered(lambda line: line.state == "to_do")), len(customers))
        run.action_review()
        run.action_execute()
        return run

    def _batch_queries(self, batch_size):
        """The queries of one call of the execution job on ``batch_size`` customers."""
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            self.Run.sudo()._cron_execute_runs(batch_size=batch_size)
            self.env.flush_all()
        return [line for line in logs.output if "query:" in line]

    def _letters(self, lines):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "service.dunning.run.line"), ("res_id", "in", lines.ids)]
        )

    def _mails(self, lines):
        return self.env["mail.mail"].search([("model", "=", "service.dunning.run.line"), ("res_id", "in", lines.ids)])


@tagged("post_install", "-at_install")
class TestDunningBatchQueries(DunningBatchCommon):
    """A batch of customers costs the same number of queries whatever its size."""

    def _count(self, queries, table):
        return sum(1 for query in queries if f'INSERT INTO "{table}" (' in query)

    def test_queries_do_not_grow_with_the_batch(self):
        self.company.dunning_charge_mode = "letter"
        run = self._start()
        self._batch_queries(1)  # the first call fills the caches (templates, translations, XML ids)
        small, large = self._batch_queries(3), self._batch_queries(9)
        self.assertEqual(run.execution_done_count, 13, "one customer left: neither batch finishes the run")
        self.assertEqual(len(large), len(small), "9 customers cost the queries of 3")
        for queries in (small, large):
            self.assertEqual(self._count(queries, "mail_mail"), 1, "the batch's e-mails in one creation")
            self.assertEqual(self._count(queries, "mail_activity"), 1, "the batch's calls in one creation")
            self.assertEqual(self._count(queries, "service_dunning_history"), 1)
            self.assertEqual(
                self._count(queries, "ir_attachment"), 2, "the letters in one creation, and the batch file"
            )
        done = run.line_ids.filtered(lambda line: line.state == "done")
        self.assertEqual(len(self._mails(done)), 13)
        self.assertEqual(len(self._letters(done)), 13)
        self.assertEqual(len(run.letter_batch_ids), 3, "one file of letters per batch")

    def test_emails_are_those_of_the_template_in_its_layout(self):
        template = self.batch_policy.level_ids.mail_template_id
        template.email_layout_xmlid = "mail.mail_notification_light"
        run = self._start(self.batch_customers[:3])
        self.Run.sudo()._cron_execute_runs(batch_size=10)
        lines = run.line_ids.filtered(lambda line: line.state == "done").sorted("id")
        self.assertEqual(len(lines), 3)
        mails = self._mails(lines).sorted("res_id")
        expected = template.send_mail_batch(lines.ids)
        for fname in ("res_id", "model", "subject", "email_from", "reply_to", "body_html", "recipient_ids"):
            self.assertEqual(mails.mapped(fname), expected.mapped(fname), fname)
        for mail, line in zip(mails, lines, strict=True):
            self.assertEqual(mail.attachment_ids, self._letters(line), "the letter printed for the batch")
            self.assertIn("Dear customer", str(mail.body))
            self.assertNotIn("<html", str(mail.body), "the message holds the content")
            self.assertIn("<html", mail.body_html, "the e-mail its layout")
            self.assertIn(line.partner_id.name, mail.body_html, "the layout names the customer")

    def test_charge_invoices_created_and_posted_once_per_batch(self):
        run = self._start()
        self._batch_queries(1)
        small, large = self._batch_queries(3), self._batch_queries(9)
        for queries in (small, large):
            self.assertEqual(self._count(queries, "account_move"), 1, "one creation of the batch's charge invoices")
        charges = run.line_ids.filtered(lambda line: line.state == "done").charge_move_id
        self.assertEqual(len(charges), 13)
        self.assertEqual(set(charges.mapped("state")), {"posted"})
        self.assertEqual(charges.partner_id, run.line_ids.filtered(lambda line: line.state == "done").partner_id)


@tagged("post_install", "-at_install")
class TestDunningBatchRestart(DunningBatchCommon):
    """Stopped in the middle or started twice, the execution sends nothing twice; other companies wait."""

    def _counts(self, lines):
        return {
            "mails": len(self._mails(lines)),
            "letters": len(self._letters(lines)),
            "charges": self.env["account.move"].search_count(
                [("service_dunning_charge", "=", True), ("partner_id", "in", lines.partner_id.ids)]
            ),
            "calls": self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", lines.partner_id.ids)]
            ),
            "done": len(lines.filtered(lambda line: line.state == "done")),
        }

    def test_interrupted_run_resumed_sends_each_customer_once(self):
        customers = self.batch_customers[:5]
        run = self._start(customers)
        lines = run.line_ids.filtered(lambda line: line.partner_id in customers)
        self.Run.sudo()._cron_execute_runs(batch_size=2)
        self.assertEqual(self._counts(lines), {"mails": 2, "letters": 2, "charges": 2, "calls": 2, "done": 2})
        # the worker dies after printing and sending the next batch, before it is committed
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.Run.sudo()._cron_execute_runs(batch_size=2)
            raise RuntimeError("worker killed")
        self.env.invalidate_all()
        self.assertEqual(self._counts(lines), {"mails": 2, "letters": 2, "charges": 2, "calls": 2, "done": 2})
        # executing it again while the job holds it is refused; the job goes on where it stopped
        with self.assertRaisesRegex(UserError, "being executed"):
            run.action_execute()
        self._run_execution_job(batch_size=2)
        self._run_execution_job(batch_size=2)
        self.assertEqual(run.state, "done")
        self.assertEqual(self._counts(lines), {"mails": 5, "letters": 5, "charges": 5, "calls": 5, "done": 5})
        for line in lines:
            letter = self._letters(line)
            self.assertEqual(self._mails(line).attachment_ids, letter, "the e-mail carries the customer's letter")

    def test_second_company_run_is_left_alone(self):
        company_b = self.env.ref("base.main_company")
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=[company_b.id]))
        policy_b = env_b["service.dunning.policy"].create(
            {
                "name": "Policy B",
                "company_id": company_b.id,
                "level_ids": [Command.create({"name": "Letter B", "days": 10, "print_letter": True})],
            }
        )
        customer_b = env_b["res.partner"].create(
            {"name": "Client Société B", "is_company": True, "dunning_policy_id": policy_b.id}
        )
        product_b = env_b["product.product"].create({"name": "Service B", "type": "service"})
        invoice_b = env_b["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer_b.id,
                "invoice_date": self.day - timedelta(days=40),
                "invoice_date_due": self.day - timedelta(days=20),
                "invoice_line_ids": [
                    Command.create({"product_id": product_b.id, "price_unit": 90.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice_b.action_post()
        run_b = env_b["service.dunning.run"].create({"company_id": company_b.id, "date": self.day})
        run_b.action_compute()
        line_b = run_b.line_ids.filtered(lambda line: line.partner_id == customer_b)
        self.assertTrue(line_b)
        run_b.action_review()

        run = self._start(self.batch_customers[:3])
        self._run_execution_job(batch_size=2)
        self.assertEqual(run.state, "done")
        self.assertEqual(run_b.state, "reviewed", "the other company's run waits for its own controller")
        self.assertEqual(set(run_b.line_ids.mapped("state")), {"to_do"})
        self.assertFalse(self._letters(run_b.line_ids))
        self.assertFalse(invoice_b.dunning_level_id)
        self.assertNotIn(customer_b, run.line_ids.partner_id)


@tagged("post_install", "-at_install")
class TestDunningLettersPerCustomer(PdfReportCase):
    """Real PDFs: a batch's letters come from one wkhtmltopdf call, split into one PDF per customer."""

    def _execute_letters_run(self):
        """A run taken for execution of three customers with a letter each, the third of several pages."""
        env = demo_company_env(self.env, force_report_rendering=True)
        policy = create_demo_policy(env, "Split letter", print_letter=True)
        customers = env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "lang": "en_US",
                    "email": f"{key}@example.fr",
                    "dunning_policy_id": policy.id,
                }
                for key, name in (
                    ("alpha", "Copropriete Alpha"),
                    ("bravo", "Residence Bravo"),
                    ("delta", "Hotel Delta"),
                )
            ]
        )
        day = date(2033, 3, 1)
        # the third customer owes many invoices: a letter of several pages
        amounts = [(customer, 300.0 * (n + 1)) for n, customer in enumerate(customers)]
        create_overdue_invoices(env, amounts + [(customers[2], 10.0 + n) for n in range(45)], day)
        run = compute_run_of(env, day, customers)
        run.action_review()
        run.action_execute()
        return env, run, customers

    def test_one_pdf_per_customer_from_one_rendering(self):
        env, run, customers = self._execute_letters_run()

        Report = type(env["ir.actions.report"])
        with patch.object(Report, "_run_wkhtmltopdf", autospec=True, side_effect=Report._run_wkhtmltopdf) as engine:
            env["service.dunning.run"]._cron_execute_runs(batch_size=3)
        self.assertEqual(run.state, "done")
        self.assertEqual(engine.call_count, 1, "the batch's letters in one wkhtmltopdf call")

        pages_total = 0
        for line in run.line_ids.filtered(lambda line: line.partner_id in customers):
            letter = env["ir.attachment"].search(
                [("res_model", "=", "service.dunning.run.line"), ("res_id", "=", line.id)]
            )
            self.assertEqual(len(letter), 1)
            self.assertEqual(letter.mimetype, "application/pdf")
            self.assertIn(line.partner_id.name, letter.name)
            reader = PdfFileReader(io.BytesIO(letter.raw), strict=False)
            text = " ".join(page.extract_text() for page in reader.pages)
            self.assertIn(line.partner_id.name, text, "the customer's own letter")
            for other in customers - line.partner_id:
                self.assertNotIn(other.name, text, "and nobody else's")
            if line.partner_id == customers[2]:
                self.assertGreater(len(reader.pages), 1, "a long letter keeps all its pages")
            pages_total += len(reader.pages)
        combined = PdfFileReader(io.BytesIO(run.letter_attachment_id.raw), strict=False)
        self.assertEqual(len(combined.pages), pages_total, "the run's file holds the same letters")

    def test_run_file_holds_every_letter_in_order(self):
        env, run, customers = self._execute_letters_run()
        Report = type(env["ir.actions.report"])
        engine, rendered = Report._run_wkhtmltopdf, []

        def run_wkhtmltopdf(report, *args, **kwargs):
            rendered.append(engine(report, *args, **kwargs))
            return rendered[-1]

        with patch.object(Report, "_run_wkhtmltopdf", autospec=True, side_effect=run_wkhtmltopdf):
            env["service.dunning.run"]._cron_execute_runs(batch_size=2)
            self.assertEqual(run.state, "executing")
            self.assertEqual(len(rendered), 1)
            self.assertEqual(run.letter_batch_ids.raw, rendered[0], "the batch's file is its rendered PDF, unmerged")
            env["service.dunning.run"]._cron_execute_runs(batch_size=2)
        self.assertEqual(run.state, "done")
        self.assertEqual(len(rendered), 2, "one rendering per batch")
        self.assertFalse(run.letter_batch_ids, "the batches' files are gone into the run's file")

        lines = run.line_ids.filtered(lambda line: line.partner_id in customers).sorted("id")
        pages_per_letter = []
        for line in lines:
            letter = env["ir.attachment"].search(
                [("res_model", "=", "service.dunning.run.line"), ("res_id", "=", line.id)]
            )
            pages_per_letter.append(len(PdfFileReader(io.BytesIO(letter.raw), strict=False).pages))
        combined = PdfFileReader(io.BytesIO(run.letter_attachment_id.raw), strict=False)
        self.assertEqual(run.letter_attachment_id.mimetype, "application/pdf")
        self.assertEqual(len(combined.pages), sum(pages_per_letter))
        first_page = 0
        for line, pages in zip(lines, pages_per_letter, strict=True):
            text = " ".join(combined.pages[n].extract_text() for n in range(first_page, first_page + pages))
            self.assertIn(line.partner_id.name, text, "each customer's letter at its place in the run's file")
            for other in customers - line.partner_id:
                self.assertNotIn(other.name, text)
            first_page += pages


@tagged("post_install", "-at_install")
class TestDunningJobStartedTwice(WorkersCase):
    """The execution job started twice (two workers, two real database connections) executes a batch once."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("service_management.res_company_rhone_demo")
            env = env(context={"allowed_company_ids": [company.id]})
            run = env["service.dunning.run"].create({"company_id": company.id, "date": date(2032, 2, 9)})
            run.action_review()
            run.action_execute()
            self.run_id = run.id
            cr.commit()  # pylint: disable=invalid-commit
        self.envs = self._open_workers(self._clean_up)

    def _clean_up(self, env):
        env.cr.execute("DELETE FROM mail_message WHERE model = 'service.dunning.run' AND res_id = %s", [self.run_id])
        env.cr.execute("DELETE FROM service_dunning_run WHERE id = %s", [self.run_id])
        cron = env.ref("service_management.ir_cron_service_dunning_execute")
        env.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])

    def test_second_worker_leaves_the_run_to_the_first(self):
        env1, env2 = self.envs
        env1["service.dunning.run"]._cron_execute_runs()  # not committed yet: worker 1 holds the run
        self.assertEqual(env1["service.dunning.run"].browse(self.run_id).state, "done")
        start = time.monotonic()
        env2["service.dunning.run"]._cron_execute_runs()
        self.assertLess(time.monotonic() - start, 2, "no waiting for worker 1")
        run2 = env2["service.dunning.run"].browse(self.run_id)
        self.assertEqual(run2.state, "executing", "worker 2 did nothing")
        self.assertFalse(run2.letter_attachment_id)
        env2.cr.rollback()
        env1.cr.commit()
        env2.invalidate_all()
        self.assertEqual(run2.state, "done")
