from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestCustomerFigures(ServiceCommon):
    """The customer's invoiced, paid, unpaid and overdue figures: one computation, per currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.currency = cls.company.currency_id
        other = "EUR" if cls.currency.name != "EUR" else "USD"
        cls.other_currency = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", other)])
        cls.other_currency.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.other_currency.id, "name": cls.today - timedelta(days=400), "rate": 2.0}
        )
        cls.product = cls.env["product.product"].create({"name": "Repair (figures)", "type": "service"})
        c = cls.customer
        # paid 20 days late
        late = cls._invoice(c, 1000.0, cls.today - timedelta(days=60))
        cls._pay(late, 1000.0, late.invoice_date_due + timedelta(days=20))
        # open and overdue, a credit note on top
        cls._invoice(c, 500.0, cls.today - timedelta(days=10))
        cls._invoice(c, 100.0, cls.today - timedelta(days=5), move_type="out_refund")
        # in the other currency, not due yet, partly paid
        foreign = cls._invoice(c, 300.0, cls.today + timedelta(days=10), currency=cls.other_currency)
        cls._pay(foreign, 100.0, cls.today - timedelta(days=1))
        # a draft counts for nothing
        cls._invoice(c, 999.0, cls.today, post=False)

    @classmethod
    def _invoice(cls, partner, amount, due, currency=None, move_type="out_invoice", post=True, company=None):
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": cls.product.id, "price_unit": amount, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def test_figures_per_currency_never_added(self):
        figures = self.customer._get_service_receivable_figures()[self.customer.id]
        self.assertEqual(set(figures), {self.currency, self.other_currency})
        self.assertEqual(
            figures[self.currency], {"invoiced": 1400.0, "paid": 1000.0, "unpaid": 400.0, "overdue": 500.0}
        )
        self.assertEqual(
            figures[self.other_currency], {"invoiced": 300.0, "paid": 100.0, "unpaid": 200.0, "overdue": 0.0}
        )

    def test_form_shows_each_currency_as_the_credit_controller(self):
        customer = self.customer.with_user(self.credit_controller)
        self.assertTrue(customer.service_receivable_multi_currency)
        self.assertEqual(customer.service_currency_id, self.currency)
        self.assertEqual(customer.service_total_invoiced, 1400.0, "the company currency's own documents only")
        summary = str(customer.service_receivable_summary)
        self.assertIn(self.other_currency.name, summary)
        self.assertIn(self.currency.name, summary)
        self.assertIn("300.00", summary)
        self.assertIn("1,400.00", summary)
        self.assertNotIn("1,700.00", summary, "currencies are never added")
        site = self.site_tilleuls.with_user(self.credit_controller)
        self.assertTrue(site.service_receivable_multi_currency, "a site shows its customer's figures")

    def test_single_currency_customer_smart_button_and_tab_agree(self):
        self._invoice(self.other_customer, 250.0, self.today - timedelta(days=3))
        partner = self.other_customer.with_user(self.credit_controller)
        self.assertFalse(partner.service_receivable_multi_currency)
        self.assertEqual(partner.service_currency_id, self.currency)
        self.assertEqual(
            (partner.service_total_invoiced, partner.service_total_unpaid, partner.service_total_overdue),
            (250.0, 250.0, 250.0),
        )
        arch = partner.get_view(view_type="form")["arch"]
        self.assertIn("o_service_total_invoiced", arch, "the smart button shows the same field as the tab")
        self.assertNotIn('name="total_invoiced"', arch)
        self._invoice(self.other_customer, 80.0, self.today, currency=self.other_currency)
        partner.invalidate_recordset()
        self.assertTrue(partner.service_receivable_multi_currency)

    def test_second_company_counts_only_when_allowed(self):
        self.env["account.chart.template"].try_loading("generic_coa", company=self.company_b, install_demo=False)
        self._invoice(self.customer, 700.0, self.today - timedelta(days=2), company=self.company_b)
        only_a = self.customer.with_context(allowed_company_ids=[self.company.id])._get_service_receivable_figures()
        only_a = only_a[self.customer.id]
        self.assertEqual(only_a[self.currency]["invoiced"], 1400.0, "another company's invoices are not counted")
        both = self.customer.with_context(allowed_company_ids=[self.company.id, self.company_b.id])
        figures = both._get_service_receivable_figures()[self.customer.id]
        b_currency = self.company_b.currency_id
        controller = self.customer.with_user(self.credit_controller)
        self.assertEqual(controller.service_total_invoiced, 1400.0, "a user of the first company sees its figures")
        expected = 700.0 + (1400.0 if b_currency == self.currency else 0.0)
        self.assertEqual(figures[b_currency]["invoiced"], expected)

    def test_days_late_and_share_paid_late_agree(self):
        self.customer.action_compute_payer_score()
        self.assertEqual(self.customer.payer_days_late, 20.0, "the settled invoice, paid 20 days late")
        self.assertEqual(self.customer.payer_late_share, 100.0, "the same invoice")
        # only an old open invoice: no payment history, neither figure says late
        self._invoice(self.other_customer, 400.0, self.today - timedelta(days=81))
        self.other_customer.action_compute_payer_score()
        self.assertEqual((self.other_customer.payer_days_late, self.other_customer.payer_late_share), (0.0, 0.0))
        self.assertEqual(self.other_customer.payer_grade, "average", "the overdue invoice still grades the payer")
