from datetime import date

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .billing_common import BillingCommon
from .common import WorkersCase


@tagged("post_install", "-at_install")
class TestBillingRuns(BillingCommon):
    def _run_cron(self):
        Contract = self.env["service.contract"]
        for _i in range(10):
            Contract._cron_bill_contracts(batch_size=50)
            today = fields.Date.context_today(Contract)
            if not Contract.search_count(
                Contract._get_billing_due_domain(today) + Contract._get_failed_today_domain(today)
            ) and not self.env["service.intervention"].search_count(
                self.env["service.intervention"]._get_billing_due_domain(today) + [("billing_error_date", "=", False)]
            ):
                return

    def _service_invoices(self):
        return self.env["account.move"].search([("service_billing", "=", True)])

    def _control_counts(self):
        self.env.flush_all()
        # the view's ids are row numbers: drop what an earlier read cached under the same ids
        self.env["service.billing.control"].invalidate_model()
        controls = self.env["service.billing.control"].search([("company_id", "=", self.company.id)])
        return {control.kind: control.count for control in controls}

    def test_control_counts_what_is_left_to_bill(self):
        # a recent start: a backlog older than the company's limit (12 months) is left to a manager
        start = fields.Date.today().replace(day=1) - relativedelta(months=2)
        contract = self._create_billing_contract(start=start, duration_value=5)
        self._create_done_intervention(partner_id=self.other_customer.id)
        counts = self._control_counts()
        self.assertGreaterEqual(counts.get("periods", 0), 1)
        self.assertGreaterEqual(counts.get("interventions", 0), 1)
        Contract = self.env["service.contract"]
        self.assertEqual(
            counts["periods"],
            Contract.search_count(
                [
                    ("company_id", "=", self.company.id),
                    *Contract._get_billing_due_domain(fields.Date.context_today(self.env.user)),
                ]
            ),
        )
        self.assertEqual(
            counts["interventions"],
            self.env["service.intervention"].search_count(
                [("company_id", "=", self.company.id), ("billing_due", "=", True)]
            ),
        )
        self._run_cron()
        counts = self._control_counts()
        self.assertFalse(counts.get("periods"), "every due period is billed")
        self.assertFalse(counts.get("interventions"), "every finished intervention is billed")
        self.assertGreaterEqual(counts.get("review", 0), 2, "draft invoices wait for review")
        control = self.env["service.billing.control"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "review")]
        )
        self.assertEqual(control.action_open()["res_model"], "account.move")
        self.assertTrue(contract.invoice_ids)

    @freeze_time("2025-03-05")
    def test_cron_bills_everything_due_and_a_second_run_nothing(self):
        monthly = self._create_billing_contract(start=date(2025, 1, 1))
        quarterly = self._create_billing_contract(rule="arrears", unit="quarterly", start=date(2024, 10, 1))
        intervention = self._create_done_intervention(partner_id=self.other_customer.id)
        before = self._service_invoices()
        self._run_cron()
        invoices = self._service_invoices() - before
        self.assertEqual(invoices.service_contract_id & (monthly | quarterly), monthly | quarterly)
        self.assertEqual(intervention.invoice_state, "invoiced")
        self.assertEqual(len(monthly.invoice_ids), 1)
        self.assertEqual(len(monthly.invoice_ids.invoice_line_ids), 3, "January to March in one invoice")
        self.assertEqual(monthly.next_invoice_date, date(2025, 4, 1))
        self.assertEqual(quarterly.next_invoice_date, date(2025, 4, 1))

        self._run_cron()
        self.assertEqual(self._service_invoices() - before, invoices, "a second run bills nothing new")
        # the control lists are empty
        Contract = self.env["service.contract"]
        self.assertFalse(Contract.search(Contract._get_billing_due_domain(date(2025, 3, 5))))
        self.assertFalse(self.env["service.intervention"].search([("billing_due", "=", True)]))
        action = self.env.ref("service_management.service_contract_action_to_bill")
        self.assertTrue(action.domain)

    @freeze_time("2025-01-05")
    def test_a_failing_contract_is_recorded_and_the_others_are_billed(self):
        deprecated = self.env["account.account"].create(
            {"code": "706999", "name": "Old maintenance income", "account_type": "income", "deprecated": True}
        )
        broken_product = self.env["product.product"].create(
            {"name": "Old Maintenance", "type": "service", "property_account_income_id": deprecated.id}
        )
        broken = self._create_billing_contract(
            lines=[fields.Command.create({"product_id": broken_product.id, "price_unit": 50.0})]
        )
        good = self._create_billing_contract(partner_id=self.other_customer.id)
        self._run_cron()
        self.assertEqual(len(good.invoice_ids), 1, (good.billing_error, good.next_invoice_date, broken.billing_error))
        self.assertFalse(good.billing_error)
        self.assertFalse(broken.invoice_ids)
        self.assertFalse(broken.billing_period_ids, "nothing half-written")
        self.assertFalse(broken.line_ids.billed_until)
        self.assertIn("deprecated", broken.billing_error)
        self.assertTrue(broken.billing_error_date)
        self.assertEqual(broken.next_invoice_date, date(2025, 1, 1), "still due")

        action = broken.action_bill_now()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("deprecated", action["params"]["message"])
        self.assertTrue(broken.billing_error, "the error stays on the contract")

        deprecated.deprecated = False
        with freeze_time("2025-01-06"):
            self._run_cron()
        self.assertEqual(len(broken.invoice_ids), 1)
        self.assertFalse(broken.billing_error, "cleared after a success")

    def test_the_database_refuses_a_period_billed_twice(self):
        contract = self._create_billing_contract()
        invoice = contract._bill(date(2025, 1, 1))
        period = contract.billing_period_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env["service.billing.period"].create(
                {
                    "contract_line_id": period.contract_line_id.id,
                    "contract_id": contract.id,
                    "company_id": contract.company_id.id,
                    "period_start": period.period_start,
                    "period_end": period.period_end,
                    "date_from": period.date_from,
                    "date_to": period.date_to,
                    "move_id": invoice.id,
                }
            )

    @freeze_time("2025-02-03")
    def test_billing_clerk_can_bill_a_technician_cannot(self):
        clerk = new_test_user(
            self.env,
            login="clerk",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        contract = self._create_billing_contract()
        with self.assertRaisesMessage(AccessError, "Only billing clerks and service managers"):
            contract.with_user(self.technician).action_bill_now()
        with self.assertRaisesMessage(AccessError, "Only billing clerks and service managers"):
            contract.with_user(self.dispatcher).action_bill_now()
        self.assertFalse(contract.invoice_ids)
        action = contract.with_user(clerk).action_bill_now()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(len(contract.invoice_ids.invoice_line_ids), 2)
        # a manager bills the selection; nothing more is due
        action = contract.with_user(self.manager).action_bill_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(len(contract.invoice_ids), 1)
        # the review queue: post and send a selection
        invoice = contract.invoice_ids
        self.customer.email = "syndic@example.com"
        with self.assertRaisesMessage(AccessError, "Only billing clerks"):
            invoice.with_user(self.technician).action_service_post_send()
        invoice.with_user(clerk).action_service_post_send()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.sending_data, "queued for Odoo's sending job")

    def _bill_batch_queries(self, count, day):
        """``(queries of billing count new contracts in one batch, queries of plain Odoo creating and posting
        the same invoices)``: each contract has its own customer and is posted and sent."""
        partners = self.env["res.partner"].create(
            [
                {"name": f"Batch customer {count}-{index}", "is_company": True, "email": f"b{count}{index}@example.com"}
                for index in range(count)
            ]
        )
        contracts = self.env["service.contract"]
        for partner in partners:
            contracts |= self._create_billing_contract(
                start=day.replace(day=1), partner_id=partner.id, invoice_policy="post_send"
            )
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        moves = self._bill(contracts, day)
        self.env.flush_all()
        billed = self.env.cr.sql_log_count - start
        self.assertEqual(len(moves), count)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertTrue(all(moves.mapped("sending_data")), "queued for Odoo's sending job")
        self.assertEqual(len(moves.service_contract_id.billing_period_ids), count)
        vals_list = [
            {
                "move_type": "out_invoice",
                "partner_id": move.partner_id.id,
                "journal_id": move.journal_id.id,
                "invoice_date": move.invoice_date,
                "invoice_payment_term_id": move.invoice_payment_term_id.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                            "account_id": line.account_id.id,
                        }
                    )
                    for line in move.invoice_line_ids
                ],
            }
            for move in moves
        ]
        savepoint = self.env.cr.savepoint()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.env["account.move"].create(vals_list).action_post()
        self.env.flush_all()
        raw = self.env.cr.sql_log_count - start
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        return billed, raw

    def test_billing_queries_per_invoice_are_no_more_than_odoo_own(self):
        day = fields.Date.today()
        self._bill_batch_queries(1, day)  # the first invoice of the month starts its sequence
        small_billed, small_raw = self._bill_batch_queries(2, day)
        large_billed, large_raw = self._bill_batch_queries(8, day)
        self.assertLessEqual(
            large_billed - small_billed,
            large_raw - small_raw,
            "six more invoices in the batch cost the billing run no more queries than they cost plain Odoo "
            f"(billing run: {small_billed} then {large_billed}; plain Odoo: {small_raw} then {large_raw})",
        )

    @freeze_time("2025-02-03")
    def test_other_company_contract_is_billed_in_its_company(self):
        self.env["account.chart.template"].try_loading("generic_coa", company=self.company_b, install_demo=False)
        contract = (
            self.env["service.contract"]
            .with_company(self.company_b)
            .create(
                {
                    "company_id": self.company_b.id,
                    "partner_id": self.other_customer.id,
                    "date_start": date(2025, 2, 1),
                    "line_ids": [fields.Command.create({"product_id": self.service_product.id, "price_unit": 80.0})],
                }
            )
        )
        contract.action_start()
        self.env.user.company_ids |= self.company_b
        self._run_cron()
        invoice = contract.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.company_id, self.company_b)
        self.assertEqual(invoice.journal_id.company_id, self.company_b)
        self.assertFalse(self.env["service.contract"].with_user(self.dispatcher).search([("id", "=", contract.id)]))


@tagged("post_install", "-at_install")
class TestBillingConcurrency(WorkersCase):
    """Two workers on two real database connections bill the same contract."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Syndic", "is_company": True})
            product = env["product.product"].create({"name": "Concurrent Maintenance", "type": "service"})
            contract = env["service.contract"].create(
                {
                    "partner_id": partner.id,
                    "date_start": date(2025, 1, 1),
                    "billing_rule": "advance",
                    "line_ids": [fields.Command.create({"product_id": product.id, "price_unit": 120.0})],
                }
            )
            contract.action_start()
            cr.commit()  # pylint: disable=invalid-commit
        self.ids = {"partner": partner.id, "product": product.id, "contract": contract.id}
        self.envs = self._open_workers(self._clean_up)

    def _clean_up(self, env):
        contract = env["service.contract"].browse(self.ids["contract"])
        contract.invoice_ids.filtered(lambda m: m.state != "draft").button_draft()
        contract.invoice_ids.unlink()
        contract._set_state("cancelled")
        contract.unlink()
        env["product.product"].browse(self.ids["product"]).unlink()
        env["res.partner"].browse(self.ids["partner"]).unlink()

    def test_two_workers_bill_one_invoice(self):
        env1, env2 = self.envs
        env2.cr.execute("SELECT 1")  # worker 2's transaction starts before worker 1 commits
        first = env1["service.contract"].browse(self.ids["contract"])._bill(date(2025, 1, 1))
        self.assertEqual(len(first), 1)
        # worker 2 meets the lock of worker 1: it skips the contract instead of billing it again
        second = env2["service.contract"].browse(self.ids["contract"])._bill(date(2025, 1, 1))
        self.assertFalse(second)
        env1.cr.commit()
        # once worker 1 committed, worker 2's older snapshot cannot lock the contract it changed
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
            env2["service.contract"].browse(self.ids["contract"])._bill(date(2025, 1, 1))
        env2.cr.rollback()
        # a fresh transaction sees the period billed
        env2.invalidate_all()
        self.assertFalse(env2["service.contract"].browse(self.ids["contract"])._bill(date(2025, 1, 1)))
        invoices = env2["account.move"].search([("service_contract_id", "=", self.ids["contract"])])
        self.assertEqual(len(invoices), 1)
        self.assertEqual(len(env2["service.billing.period"].search([("contract_id", "=", self.ids["contract"])])), 1)
