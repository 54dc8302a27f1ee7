import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestStatementCurrency(ServiceCommon):
    """The customer statement keeps each currency apart: items, balance, aging, payments and credits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        cls.today = fields.Date.context_today(cls.env.user)
        cls.currency = cls.company.currency_id
        other = "EUR" if cls.currency.name != "EUR" else "USD"
        cls.other_currency = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", other)])
        cls.other_currency.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.other_currency.id, "name": cls.today - timedelta(days=400), "rate": 1.25}
        )
        cls.product = cls.env["product.product"].create({"name": "Repair (statement)", "type": "service"})
        cls.french = cls.env["res.partner"].create({"name": "Syndic Saint-Paul", "is_company": True, "lang": "fr_FR"})
        cls.english = cls.env["res.partner"].create({"name": "Lyon Estates Ltd", "is_company": True, "lang": "en_US"})
        for partner in (cls.french, cls.english):
            local = cls._invoice(partner, 1000.0, cls.today - timedelta(days=45))
            cls._pay(local, 200.0, cls.today - timedelta(days=5))
            cls._invoice(partner, 415.20, cls.today + timedelta(days=10), currency=cls.other_currency)
            cls._invoice(partner, 15.20, cls.today - timedelta(days=3), currency=cls.other_currency, refund=True)

    @classmethod
    def _invoice(cls, partner, amount, due, currency=None, refund=False):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": partner.id,
                "currency_id": (currency or cls.currency).id,
                "invoice_date": min(due, cls.today) - timedelta(days=20),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        if refund:
            move.invoice_date = due
        move.action_post()
        return move

    def _html(self, partners):
        report = self.env.ref("service_management.action_report_service_customer_statement")
        html = report.with_user(self.credit_controller)._render_qweb_html(report.report_name, partners.ids)[0]
        return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())

    def test_sections_keep_currencies_apart(self):
        sections = self.english._get_dunning_statement_sections()
        self.assertEqual([s["currency"] for s in sections], [self.currency, self.other_currency])
        local, foreign = sections
        self.assertEqual(local["balance"], 800.0)
        self.assertEqual(foreign["balance"], 400.0, "the credit note is deducted in its own currency")
        self.assertEqual(
            dict(local["aging"]), {"not_due": 0.0, "0_30": 0.0, "31_60": 800.0, "61_90": 0.0, "90_plus": 0.0}
        )
        self.assertEqual(dict(foreign["aging"])["not_due"], 415.20)
        self.assertEqual(dict(foreign["aging"])["0_30"], -15.20)
        self.assertEqual(local["credits"].mapped("amount_currency"), [-200.0], "the payment of the period")
        self.assertEqual(foreign["credits"].move_id.move_type, "out_refund")
        self.assertEqual(
            self.english._get_dunning_statement_balances(), {self.currency: 800.0, self.other_currency: 400.0}
        )
        self.assertEqual(self.english._get_dunning_statement_balance(), 800.0)

    def test_rendered_statement_in_english_and_french(self):
        html = self._html(self.english)
        self.assertIn("Statement of Account", html)
        self.assertEqual(html.count("Balance in"), 2, "one section per currency")
        self.assertIn(f"Balance in {self.currency.name}", html)
        self.assertIn(f"Balance in {self.other_currency.name}", html)
        self.assertIn("800.00", html)
        self.assertIn("400.00", html)
        self.assertIn("415.20", html)
        self.assertNotIn("1,200.00", html, "currencies are never added")
        self.assertNotIn("1,215.20", html)
        self.assertIn("31-60 days", html)
        self.assertIn("Payments and credits of the period", html)
        self.assertIn("Eight Hundred", html)
        html_fr = self._html(self.french)
        self.assertIn("Relevé de compte", html_fr)
        self.assertIn(f"Solde en {self.currency.name}", html_fr)
        self.assertIn(f"Solde en {self.other_currency.name}", html_fr)
        self.assertIn("800,00", html_fr)
        self.assertIn("400,00", html_fr)
        self.assertIn("Paiements et avoirs de la période", html_fr)
        self.assertIn("Huit Cents", html_fr)

    def test_email_gives_one_balance_per_currency(self):
        text = self.english._get_dunning_statement_balance_text()
        self.assertIn("800.00", text)
        self.assertIn("400.00", text)
        self.assertNotIn("1,200.00", text)

    def test_paid_customer_has_empty_statement(self):
        customer = self.env["res.partner"].create({"name": "Paid Up SARL", "is_company": True})
        self.assertEqual(customer._get_dunning_statement_sections(), [])
        self.assertIn("No open item", self._html(customer))
