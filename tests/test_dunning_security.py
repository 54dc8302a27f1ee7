from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import new_company_user
from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    def test_user_of_company_b_sees_no_dunning_of_company_a(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        run = self._execute(self._run(self.day))
        controller_b = new_company_user(
            self.env, "credit_b", "service_management.group_service_credit_controller", self.company_b
        )
        env_b = self.env(user=controller_b, context=dict(self.env.context, allowed_company_ids=[self.company_b.id]))
        for model in (
            "service.dunning.run",
            "service.dunning.run.line",
            "service.dunning.run.item",
            "service.dunning.history",
            "service.dunning.policy",
            "service.dunning.level",
            "service.receivable.aging",
        ):
            self.assertFalse(env_b[model].search([]), f"{model} of company A is hidden")
        with self.assertRaises(AccessError):
            run.with_env(env_b).read(["state"])
        self.assertTrue(self.env["service.dunning.run"].with_user(self.controller).search([("id", "=", run.id)]))

    def test_controller_runs_dunning_and_service_users_only_read_levels(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        run = self.Run.with_user(self.controller).create({"date": self.day})
        self.assertEqual(run.company_id, self.company)
        run.action_compute()
        run.action_review()
        run.action_execute()
        self.assertEqual(run.state, "executing", "executed in the background")
        self._run_execution_job()
        self.assertEqual(run.state, "done")
        self.assertTrue(self._line(run, self.customer).charge_move_id)
        dispatcher = self.dispatcher
        dispatcher.write({"company_ids": [(4, self.company.id)], "company_id": self.company.id})
        self.assertTrue(self.policy.level_ids.with_user(dispatcher).read(["name", "days"]))
        with self.assertRaises(AccessError):
            self.policy.with_user(dispatcher).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.Run.with_user(dispatcher).search([])
        with self.assertRaises(AccessError):
            self.env["service.dunning.level"].with_user(self.manager).create(
                {"policy_id": self.policy.id, "name": "Sneaky", "days": 5, "send_email": False}
            )

    def test_runs_of_company_b_executed_in_the_background_never_touch_company_a(self):
        company_b = self.company_b
        self.env["account.chart.template"].try_loading("generic_coa", company=company_b, install_demo=False)
        self.env["service.dunning.policy"].create(
            {
                "name": "Policy B",
                "company_id": company_b.id,
                "is_default": True,
                "level_ids": [Command.create({"name": "Reminder B", "days": 5, "send_email": False})],
            }
        )
        invoice_a = self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        invoice_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": company_b.id,
                    "partner_id": self.customer.id,
                    "invoice_date": self.day - timedelta(days=70),
                    "invoice_date_due": self.day - timedelta(days=40),
                    "invoice_line_ids": [Command.create({"name": "Service B", "price_unit": 300.0, "tax_ids": []})],
                }
            )
        )
        invoice_b.action_post()
        controller_b = new_company_user(
            self.env, "credit_b_exec", "service_management.group_service_credit_controller", company_b
        )
        run_b = (
            self.Run.with_user(controller_b).with_context(allowed_company_ids=company_b.ids).create({"date": self.day})
        )
        run_b.action_compute()
        run_b.action_review()
        run_b.action_execute()
        run_a = self._run(self.day).with_user(self.controller)
        run_a.action_review()
        run_a.action_execute()
        self._run_execution_job(batch_size=1)
        self.assertEqual(run_b.state, "done", run_b.message_ids[:1].body)
        self.assertEqual(run_a.state, "done", run_a.message_ids[:1].body)
        self.assertEqual(run_b.company_id, company_b)
        self.assertEqual(run_b.line_ids.item_ids.move_id, invoice_b, "only company B's invoice")
        self.assertNotIn(invoice_b, run_a.line_ids.item_ids.move_id)
        History = self.env["service.dunning.history"]
        self.assertEqual(History.search([("run_id", "=", run_b.id)]).move_id, invoice_b)
        self.assertEqual(History.search([("move_id", "=", invoice_a.id)]).run_id, run_a, "dunned by A's run only")
        self.assertEqual(invoice_a.dunning_level_id.policy_id, self.policy)
        self.assertEqual(invoice_b.dunning_level_id.policy_id.company_id, company_b)
        self.assertFalse(run_b.charge_move_ids, "company B books no charge")
        self.assertEqual(run_a.charge_move_ids.company_id, self.company)
        self.assertEqual(invoice_a.payment_state, "not_paid")
        with self.assertRaises(AccessError):
            run_a.with_user(controller_b).read(["state"])

    @mute_logger("odoo.models")
    def test_progress_letters_and_found_invoices_are_written_by_the_run_only(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        run = self.Run.with_user(self.controller).create({"date": self.day})
        run.action_compute()
        line = run.line_ids
        item = line.item_ids
        letters = self.env["ir.attachment"].create({"name": "fake.pdf", "raw": b"%PDF-1.4"})
        for vals in (
            {"execution_done_count": 5},
            {"execution_total_count": 5},
            {"execution_date": "2025-06-30 10:00:00"},
            {"executed_by_id": self.controller.id},
            {"letter_attachment_id": letters.id},
            {"letter_batch_ids": [Command.link(letters.id)]},
        ):
            with self.subTest(run=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    run.write(vals)
        with self.assertRaisesMessage(UserError, "stays in the company"):
            run.write({"company_id": self.company_b.id})
        for vals in (
            {"proposed_level_id": self.level_agency.id},
            {"charge_move_id": item.move_id.id},
            {"run_id": self.Run.create({"date": self.day - timedelta(days=1)}).id},
            {"item_ids": [Command.clear()]},
        ):
            with self.subTest(line=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    line.write(vals)
        for vals in ({"amount_residual": 1.0}, {"days_late": 400}, {"interest_amount": 0.0}, {"escalated": False}):
            with self.subTest(item=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    item.write(vals)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.env["service.dunning.run.item"].with_user(self.controller).create(
                {
                    "line_id": line.id,
                    "move_id": item.move_id.id,
                    "date_due": self.day,
                    "days_late": 900,
                    "interest_from": self.day,
                }
            )
        run.invalidate_recordset()
        self.assertEqual((run.execution_done_count, run.letter_attachment_id), (0, letters.browse()))
        self.assertEqual((line.run_id, len(line.item_ids)), (run, 1))
        self.assertEqual(item.days_late, 40)
        run.action_review()
        run.action_execute()
        self._run_execution_job()
        self.assertEqual((run.state, run.execution_done_count, line.state), ("done", 1, "done"), "the run writes them")

    @mute_logger("odoo.models")
    def test_customer_status_changes_through_its_buttons(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        run = self.Run.with_user(self.controller).create({"date": self.day})
        run.action_compute()
        line = run.line_ids
        for state in ("done", "excluded", "postponed", "to_do"):
            with self.subTest(state=state):
                with self.assertRaisesMessage(UserError, "changes status through its buttons only"):
                    line.write({"state": state})
        with self.assertRaisesMessage(UserError, "changes status through its buttons only"):
            self.env["service.dunning.run.line"].with_user(self.controller).create(
                {
                    "run_id": run.id,
                    "partner_id": self.other_customer.id,
                    "policy_id": self.policy.id,
                    "level_id": self.level_courtesy.id,
                    "state": "done",
                }
            )
        self.assertEqual(line.state, "to_do")
        other_policy = self.policy.copy({"name": "Other policy"})
        self.assertTrue(other_policy.level_ids)
        for vals in ({"partner_id": self.other_customer.id}, {"policy_id": other_policy.id}):
            with self.subTest(vals=vals), self.assertRaisesMessage(AccessError, "set by the application"):
                line.write(vals)
        with self.assertRaisesMessage(ValidationError, "is not a level of"):
            line.write({"level_id": other_policy.level_ids[0].id})
        self.assertEqual((line.partner_id, line.policy_id), (self.customer, self.policy))
        line.action_exclude()
        self.assertEqual(line.state, "excluded")
        line.action_include()
        self.assertEqual(line.state, "to_do")
        line.write({"postpone_date": self.day + timedelta(days=10)})
        self.assertEqual(line.state, "postponed", "postponing is the controller's")
        line.action_include()
        self.assertEqual((line.state, line.postpone_date), ("to_do", False))

    @mute_logger("odoo.models")
    def test_what_was_due_when_a_promise_was_given_is_taken_by_the_application(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        promise = (
            self.env["service.dunning.promise"]
            .with_user(self.controller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_id": invoice.id,
                    "amount": 400.0,
                    "date": self.day,
                    "date_start": self.day,
                }
            )
        )
        self.assertEqual(promise.residual_start, 1000.0)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            promise.write({"residual_start": 400.0})
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.env["service.dunning.promise"].with_user(self.controller).create(
                {
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "date": self.day,
                    "date_start": self.day,
                    "residual_start": 10.0,
                }
            )
        promise.invalidate_recordset()
        self.assertEqual(promise.residual_start, 1000.0)

    @mute_logger("odoo.models")
    def test_promise_is_kept_or_broken_by_its_button_and_the_dunning_only(self):
        Promise = self.env["service.dunning.promise"].with_user(self.controller)
        values = {"partner_id": self.customer.id, "amount": 400.0, "date": self.day, "date_start": self.day}
        with self.assertRaisesMessage(UserError, "is given pending"):
            Promise.create(dict(values, state="kept"))
        promise = Promise.create(values)
        for state in ("kept", "broken"):
            with self.subTest(state=state), self.assertRaisesMessage(UserError, "cannot be changed by hand"):
                promise.write({"state": state})
        self.assertEqual(promise.state, "pending")
        promise.action_mark_kept()
        self.assertEqual(promise.state, "kept")
        with self.assertRaisesMessage(UserError, "already settled"):
            promise.action_mark_kept()
        past = dict(values, date_start=self.day - timedelta(days=20), date=self.day - timedelta(days=10))
        broken, pending = Promise.create([past, values])
        self.env["service.dunning.promise"]._check_promises(self.day, self.company)
        self.assertEqual(broken.state, "broken", "nothing paid: the dunning settles it")
        with self.assertRaises(AccessError):
            pending.with_user(self.dispatcher).action_mark_kept()
        self.assertEqual(pending.state, "pending")
