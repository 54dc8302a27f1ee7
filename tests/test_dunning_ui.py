from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDunningUi(HttpCase):
    def test_dunning_run_from_review_to_execution(self):
        company = self.env.ref("service_management.res_company_rhone_demo")
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        policy = env["service.dunning.policy"].create(
            {
                "name": "Tour policy",
                "company_id": company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Second reminder with recovery indemnity",
                            "days": 10,
                            "send_email": True,
                            "print_letter": True,
                            "apply_indemnity": True,
                        }
                    )
                ],
            }
        )
        customers = env["res.partner"].create(
            [
                {
                    "name": "Tour Dunned Customer",
                    "is_company": True,
                    "email": "a@example.com",
                    "dunning_policy_id": policy.id,
                },
                {
                    "name": "Tour Excluded Customer",
                    "is_company": True,
                    "email": "b@example.com",
                    "dunning_policy_id": policy.id,
                },
            ]
        )
        product = env["product.product"].create(
            {"name": "Tour repair", "type": "service", "taxes_id": [Command.clear()]}
        )
        day = date(2031, 2, 1)
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": day - timedelta(days=60),
                    "invoice_date_due": day - timedelta(days=20),
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 500.0, "tax_ids": [Command.clear()]})
                    ],
                }
                for customer in customers
            ]
        )
        invoices.action_post()
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
