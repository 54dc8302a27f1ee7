from datetime import date, timedelta

from odoo import Command

from .common import ServiceCommon, new_company_user


def demo_company_env(env, **context):
    """``env`` working in the demo company (its chart of accounts, its euros), with ``context`` added."""
    company = env.ref("service_management.res_company_rhone_demo")
    return env(context=dict(env.context, allowed_company_ids=[company.id], **context))


def create_demo_policy(env, name, **level):
    """A dunning policy of the demo company with one level, 10 days late, of ``level``'s values."""
    return env["service.dunning.policy"].create(
        {"name": name, "company_id": env.company.id, "level_ids": [Command.create({"name": name, "days": 10, **level})]}
    )


def create_overdue_invoices(env, amounts, day, days_late=20):
    """One posted invoice per ``(customer, amount)`` of ``amounts``, due ``days_late`` days before ``day``."""
    product = env["product.product"].create({"name": "Overdue repair", "type": "service"})
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": day - timedelta(days=days_late + 30),
                "invoice_date_due": day - timedelta(days=days_late),
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
            for customer, amount in amounts
        ]
    )
    invoices.action_post()
    return invoices


def compute_run_of(env, day, customers):
    """The run of ``day`` in ``env``'s company, computed, every customer but ``customers`` excluded."""
    run = env["service.dunning.run"].create({"company_id": env.company.id, "date": day})
    run.action_compute()
    run.line_ids.filtered(lambda line: line.partner_id not in customers).action_exclude()
    return run


class DunningCommon(ServiceCommon):
    """The demo company (EUR, chart of accounts) with its own dunning policy, customers and charge accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("service_management.res_company_rhone_demo")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company.write({"dunning_interest_rate": 12.15, "dunning_indemnity_amount": 40.0})
        cls.customer = cls.customer.with_env(cls.env)
        cls.other_customer = cls.other_customer.with_env(cls.env)
        (cls.customer | cls.other_customer).write({"email": "compta@customer.example.com", "lang": "en_US"})
        cls.third_customer = cls.env["res.partner"].create(
            {"name": "Hôtel des Célestins", "is_company": True, "email": "direction@celestins.example.fr"}
        )
        cls.agency = cls.env["res.partner"].create({"name": "Agence de Recouvrement Test", "is_company": True})
        cls.controller = new_company_user(
            cls.env, "credit_rhone", "service_management.group_service_credit_controller", cls.company
        )
        cls.salesperson = new_company_user(cls.env, "sales_rhone", "base.group_user", cls.company)
        cls.customer.user_id = cls.salesperson

        Account = cls.env["account.account"].with_company(cls.company)
        cls.account_fee, cls.account_interest, cls.account_indemnity = Account.create(
            [
                {"code": "708891", "name": "Dunning fees (test)", "account_type": "income_other"},
                {"code": "763191", "name": "Late interest (test)", "account_type": "income_other"},
                {"code": "758191", "name": "Recovery indemnities (test)", "account_type": "income_other"},
            ]
        )
        Product = cls.env["product.product"].with_company(cls.company)
        cls.product_fee, cls.product_interest, cls.product_indemnity = Product.create(
            [
                {
                    "name": "Fee (test)",
                    "type": "service",
                    "taxes_id": [Command.clear()],
                    "property_account_income_id": cls.account_fee.id,
                },
                {
                    "name": "Interest (test)",
                    "type": "service",
                    "taxes_id": [Command.clear()],
                    "property_account_income_id": cls.account_interest.id,
                },
                {
                    "name": "Indemnity (test)",
                    "type": "service",
                    "taxes_id": [Command.clear()],
                    "property_account_income_id": cls.account_indemnity.id,
                },
            ]
        )
        cls.company.write(
            {
                "dunning_fee_product_id": cls.product_fee.id,
                "dunning_interest_product_id": cls.product_interest.id,
                "dunning_indemnity_product_id": cls.product_indemnity.id,
                "dunning_charge_mode": "invoice",
            }
        )
        cls.invoice_product = Product.create(
            {"name": "Boiler service (test)", "type": "service", "taxes_id": [Command.clear()]}
        )

        # the shared policy jumps to the highest level reached; tests/test_dunning_order.py covers the default
        cls.policy = cls.env["service.dunning.policy"].create(
            {
                "name": "Test policy",
                "company_id": cls.company.id,
                "allow_skip_levels": True,
                "amount_medium": 1000.0,
                "amount_large": 5000.0,
                "level_ids": [
                    Command.create({"sequence": 1, "name": "Courtesy", "days": -3, "send_email": True}),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Reminder",
                            "days": 10,
                            "send_email": True,
                            "print_letter": True,
                            "apply_indemnity": True,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "name": "Formal notice",
                            "days": 30,
                            "send_email": True,
                            "print_letter": True,
                            "create_activity": True,
                            "fee_amount": 25.0,
                            "apply_interest": True,
                            "apply_indemnity": True,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 4,
                            "name": "Agency",
                            "days": 60,
                            "send_email": False,
                            "print_letter": True,
                            "handoff_agency": True,
                            "agency_partner_id": cls.agency.id,
                            "apply_interest": True,
                        }
                    ),
                ],
            }
        )
        cls.level_courtesy, cls.level_reminder, cls.level_notice, cls.level_agency = cls.policy._get_sorted_levels()
        (cls.customer | cls.other_customer | cls.third_customer).dunning_policy_id = cls.policy
        cls.Run = cls.env["service.dunning.run"]
        cls.day = date(2025, 6, 30)

    @classmethod
    def _invoice(cls, partner, amount, due, invoice_date=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date or min(due, due - timedelta(days=30)),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.invoice_product.id, "price_unit": amount, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _run(self, day):
        return self.Run._get_or_create_run(self.company, day)

    def _line(self, run, partner):
        return run.line_ids.filtered(lambda line: line.partner_id == partner)

    def _execute(self, run):
        run.action_review()
        run.action_execute()
        self._run_execution_job()
        return run

    def _run_execution_job(self, batch_size=50, max_calls=100):
        """Call the execution job the way the scheduler does, batch after batch, until no run is executing."""
        for _call in range(max_calls):
            if not self.Run.sudo().search_count([("state", "=", "executing")]):
                return
            self.Run.sudo()._cron_execute_runs(batch_size=batch_size)
        self.fail("the execution job never ends")
