from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    def test_user_of_company_b_sees_no_dunning_of_company_a(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=40))
        run = self._execute(self._run(self.day))
        controller_b = new_test_user(
            self.env,
            login="credit_b",
            groups="service_management.group_service_credit_controller",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
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
