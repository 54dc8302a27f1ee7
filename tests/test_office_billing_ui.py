from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBillingReviewUi(HttpCase):
    def test_billing_clerk_reviews_then_posts_and_sends(self):
        company = self.env.ref("service_management.res_company_rhone_demo")
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        clerk = new_test_user(
            env,
            login="clerk_tour",
            groups="account.group_account_invoice",
            company_id=company.id,
            company_ids=[company.id],
        )
        customer = env["res.partner"].create(
            {
                "name": "Tour Review Customer",
                "is_company": True,
                "email": "compta@tour-review.example.fr",
                "street": "3 rue de la République",
                "zip": "69001",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        contract = env["service.contract"].search([("company_id", "=", company.id)], limit=1)
        tax = self.env.ref("service_management.account_tax_vat_20_demo")
        product = env["product.product"].create(
            {"name": "Tour maintenance", "type": "service", "taxes_id": [Command.set(tax.ids)]}
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": date(2030, 2, 1),
                "service_billing": True,
                "service_contract_id": contract.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "price_unit": 300.0,
                            "tax_ids": [Command.set(tax.ids)],
                            "service_period_start": date(2030, 1, 1),
                            "service_period_end": date(2030, 1, 31),
                        }
                    )
                ],
            }
        )
        self.assertTrue(invoice.partner_bank_id, "the demo company has a bank account to be paid on")
        self.start_tour("/odoo", "service_billing_review_tour", login=clerk.login)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.sending_data, "queued for Odoo's sending job")
