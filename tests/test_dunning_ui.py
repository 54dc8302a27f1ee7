from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

from .dunning_common import create_demo_policy, create_overdue_invoices, demo_company_env


@tagged("post_install", "-at_install")
class TestDunningUi(HttpCase):
    def test_dunning_run_from_review_to_execution(self):
        env = demo_company_env(self.env)
        company = env.company
        policy = create_demo_policy(
            env, "Second reminder with recovery indemnity", send_email=True, print_letter=True, apply_indemnity=True
        )
        customers = env["res.partner"].create(
            [
                {"name": name, "is_company": True, "email": f"{key}@example.com", "dunning_policy_id": policy.id}
                for key, name in (("a", "Tour Dunned Customer"), ("b", "Tour Excluded Customer"))
            ]
        )
        day = date(2031, 2, 1)
        invoices = create_overdue_invoices(env, [(customer, 500.0) for customer in customers], day)
        run = env["service.dunning.run"].create({"company_id": company.id, "date": day})
        run.action_compute()
        controller = new_test_user(
            env,
            login="credit_tour",
            groups="service_management.group_service_credit_controller",
            company_id=company.id,
            company_ids=[company.id],
        )
        self.start_tour(
            f"/odoo/action-service_management.service_dunning_run_action/{run.id}",
            "service_dunning_run_tour",
            login=controller.login,
        )
        self.assertEqual(run.state, "executing", "the button leaves the work to the background job")
        to_do = run.line_ids.filtered(lambda line: line.state == "to_do")
        self.assertEqual((run.execution_done_count, run.execution_total_count), (0, len(to_do)))
        env["service.dunning.run"]._cron_execute_runs()
        self.assertEqual(run.state, "done")
        self.assertEqual((run.execution_done_count, run.execution_remaining_count), (len(to_do), 0))
        states = {line.partner_id.name: line.state for line in run.line_ids if line.partner_id in customers}
        self.assertEqual(states, {"Tour Dunned Customer": "done", "Tour Excluded Customer": "excluded"})
        self.assertEqual(invoices[0].dunning_level_id, policy.level_ids)
        self.assertFalse(invoices[1].dunning_level_id)
        self.assertTrue(run.letter_attachment_id)
