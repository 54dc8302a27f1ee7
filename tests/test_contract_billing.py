from datetime import date

from odoo import fields
from odoo.tests import tagged

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestContractBilling(BillingCommon):
    def test_monthly_in_advance_pro_rata_start_then_backlog_in_one_invoice(self):
        contract = self._create_billing_contract(price=310.0, start=date(2025, 1, 15))
        self.assertEqual(contract.next_invoice_date, date(2025, 1, 15))
        self.assertFalse(self._bill(contract, date(2025, 1, 14)), "nothing is due before the start")

        first = self._bill(contract, date(2025, 1, 15))
        self.assertEqual(len(first), 1)
        self.assertEqual(self._amounts(first), [(170.0, date(2025, 1, 15), date(2025, 1, 31))])
        self.assertIn("pro rata 17/31 days", first.invoice_line_ids.name)
        self.assertIn("01/15/2025", first.invoice_line_ids.name)
        self.assertEqual(contract.next_invoice_date, date(2025, 2, 1))

        backlog = self._bill(contract, date(2025, 3, 1))
        self.assertEqual(len(backlog), 1, "several due periods go on one invoice")
        self.assertEqual(
            self._amounts(backlog),
            [(310.0, date(2025, 2, 1), date(2025, 2, 28)), (310.0, date(2025, 3, 1), date(2025, 3, 31))],
        )
        self.assertEqual(contract.next_invoice_date, date(2025, 4, 1))
        self.assertFalse(self._bill(contract, date(2025, 3, 31)), "a second run the same month bills nothing")
        self.assertEqual(
            sorted(contract.billing_period_ids.mapped("period_start")),
            [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)],
        )

    def test_monthly_in_arrears_after_the_month_ends(self):
        contract = self._create_billing_contract(rule="arrears", start=date(2025, 1, 31))
        self.assertEqual(contract.next_invoice_date, date(2025, 2, 1))
        self.assertFalse(self._bill(contract, date(2025, 1, 31)))
        january = self._bill(contract, date(2025, 2, 1))
        self.assertEqual(self._amounts(january), [(9.68, date(2025, 1, 31), date(2025, 1, 31))])
        february = self._bill(contract, date(2025, 3, 1))
        self.assertEqual(self._amounts(february), [(300.0, date(2025, 2, 1), date(2025, 2, 28))])
        self.assertEqual(february.invoice_date, date(2025, 3, 1))

    def test_quarterly_in_advance_in_a_leap_year(self):
        contract = self._create_billing_contract(price=910.0, unit="quarterly", start=date(2024, 2, 10))
        invoice = self._bill(contract, date(2024, 2, 10))
        # Q1 2024 has 91 days (29 February); 10 February to 31 March is 51 of them
        self.assertEqual(self._amounts(invoice), [(510.0, date(2024, 2, 10), date(2024, 3, 31))])
        second = self._bill(contract, date(2024, 4, 1))
        self.assertEqual(self._amounts(second), [(910.0, date(2024, 4, 1), date(2024, 6, 30))])
        self.assertEqual(contract.next_invoice_date, date(2024, 7, 1))

    def test_yearly_in_arrears_across_a_leap_year(self):
        contract = self._create_billing_contract(
            price=3660.0, rule="arrears", unit="yearly", start=date(2024, 3, 1), duration_value=3
        )
        self.assertEqual(contract.next_invoice_date, date(2025, 1, 1))
        self.assertFalse(self._bill(contract, date(2024, 12, 31)))
        invoice = self._bill(contract, date(2025, 1, 1))
        # 1 March to 31 December 2024: 306 of 366 days
        self.assertEqual(self._amounts(invoice), [(3060.0, date(2024, 3, 1), date(2024, 12, 31))])
        full_year = self._bill(contract, date(2026, 1, 1))
        self.assertEqual(self._amounts(full_year), [(3660.0, date(2025, 1, 1), date(2025, 12, 31))])

    def test_yearly_in_advance_backlog_and_contract_end(self):
        contract = self._create_billing_contract(price=1200.0, unit="yearly", start=date(2023, 7, 1), duration_value=2)
        self.assertEqual(contract.date_end, date(2025, 6, 30))
        # 18 months back: more than the company's backlog limit, billed because a manager forces it
        invoice = self._bill(contract.with_context(service_force_backlog=True), date(2025, 1, 1))
        self.assertEqual(
            self._amounts(invoice),
            [
                (604.93, date(2023, 7, 1), date(2023, 12, 31)),
                (1200.0, date(2024, 1, 1), date(2024, 12, 31)),
                (595.07, date(2025, 1, 1), date(2025, 6, 30)),
            ],
        )
        self.assertFalse(contract.next_invoice_date, "everything up to the end is billed")
        self.assertFalse(self._bill(contract, date(2026, 1, 1)))

    def test_termination_mid_period_bills_to_the_day(self):
        contract = self._create_billing_contract(price=310.0, rule="arrears", start=date(2025, 1, 1))
        reason = self.env["service.contract.termination.reason"].search([], limit=1)
        contract.terminate(reason, date(2025, 3, 10))
        invoice = self._bill(contract, date(2025, 4, 1))
        self.assertEqual(
            self._amounts(invoice),
            [
                (310.0, date(2025, 1, 1), date(2025, 1, 31)),
                (310.0, date(2025, 2, 1), date(2025, 2, 28)),
                (100.0, date(2025, 3, 1), date(2025, 3, 10)),
            ],
        )
        self.assertIn("pro rata 10/31 days", invoice.invoice_line_ids[-1].name)
        self.assertFalse(contract.next_invoice_date)
        self.assertFalse(self._bill(contract, date(2025, 5, 1)))

    def test_amendment_mid_period_uses_the_prices_in_force_each_day(self):
        contract = self._create_billing_contract(price=310.0, rule="arrears", start=date(2025, 1, 1))
        line = contract.line_ids
        self.env["service.contract.amendment"]._create_amendment(
            contract, date(2025, 1, 17), {line: {"price_unit": 620.0, "discount": 10.0}}, "Second lift added"
        )
        invoice = self._bill(contract, date(2025, 2, 1))
        lines = invoice.invoice_line_ids
        self.assertEqual(len(lines), 2)
        # 1-16 January at 310 (16/31), 17-31 January at 620 less 10 % (15/31)
        self.assertEqual(lines[0].price_subtotal, 160.0)
        self.assertEqual((lines[1].price_unit, lines[1].discount, lines[1].price_subtotal), (300.0, 10.0, 270.0))
        february = self._bill(contract, date(2025, 3, 1))
        self.assertEqual(february.invoice_line_ids.price_subtotal, 558.0)

    def test_invoice_takes_terms_taxes_analytic_and_journal_from_the_contract(self):
        contract = self._create_billing_contract(analytic_account_id=self.analytic.id, salesperson_id=self.manager.id)
        invoice = self._bill(contract, date(2025, 1, 1))
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft", "the default policy leaves drafts for review")
        self.assertEqual(invoice.journal_id, self.sale_journal)
        self.assertEqual(invoice.partner_id, contract.partner_invoice_id)
        self.assertEqual(invoice.invoice_payment_term_id, self.payment_term)
        self.assertEqual(invoice.invoice_origin, contract.name)
        self.assertEqual(invoice.invoice_user_id, self.manager)
        self.assertEqual(invoice.service_contract_id, contract)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_20)
        self.assertEqual(invoice.amount_total, 360.0)
        self.assertEqual(invoice.invoice_line_ids.analytic_distribution, {str(self.analytic.id): 100.0})
        self.assertEqual(invoice.invoice_line_ids.service_contract_line_id, contract.line_ids)
        self.assertEqual(contract.invoice_count, 1)
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, date(2025, 1, 31))

    def test_fiscal_position_maps_the_taxes(self):
        tax_0 = self.env["account.tax"].create({"name": "VAT 0 export (billing)", "amount": 0, "type_tax_use": "sale"})
        export = self.env["account.fiscal.position"].create(
            {
                "name": "Export (billing)",
                "tax_ids": [fields.Command.create({"tax_src_id": self.tax_20.id, "tax_dest_id": tax_0.id})],
            }
        )
        self.customer.property_account_position_id = export
        contract = self._create_billing_contract()
        invoice = self._bill(contract, date(2025, 1, 1))
        self.assertEqual(invoice.fiscal_position_id, export)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, tax_0)
        self.assertEqual(invoice.amount_total, 300.0)

    def test_line_with_its_own_recurrence(self):
        contract = self._create_billing_contract(
            lines=[
                fields.Command.create({"product_id": self.maintenance.id, "price_unit": 100.0}),
                fields.Command.create(
                    {
                        "product_id": self.service_product.id,
                        "price_unit": 1200.0,
                        "recurring_rule_type": "yearly",
                        "recurring_interval": 1,
                    }
                ),
            ]
        )
        january = self._bill(contract, date(2025, 1, 1))
        self.assertEqual(sorted(january.invoice_line_ids.mapped("price_subtotal")), [100.0, 1200.0])
        february = self._bill(contract, date(2025, 2, 1))
        self.assertEqual(february.invoice_line_ids.mapped("price_subtotal"), [100.0])

    def test_bill_from_date_skips_periods_billed_elsewhere(self):
        contract = self._create_billing_contract(
            start=date(2024, 1, 1), duration_value=3, billing_start_date=date(2025, 3, 1)
        )
        invoice = self._bill(contract, date(2025, 3, 5))
        self.assertEqual(self._amounts(invoice), [(300.0, date(2025, 3, 1), date(2025, 3, 31))])

    def test_without_payment_terms_an_invoice_of_the_past_is_due_on_its_date(self):
        contract = self._create_billing_contract(payment_term_id=False, invoice_policy="post_send")
        invoice = self._bill(contract, date(2025, 1, 1))
        self.assertEqual(invoice.invoice_date_due, date(2025, 1, 1))

    def test_draft_and_cancelled_contracts_are_not_billed(self):
        draft = self._create_contract(billing_rule="advance")
        self.assertFalse(draft.next_invoice_date)
        self.assertFalse(self._bill(draft, date(2025, 6, 1)))

    def test_description_uses_the_customer_language_date_format(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        contract = self._create_billing_contract(start=date(2025, 2, 1))
        invoice = self._bill(contract, date(2025, 2, 1))
        self.assertIn("01/02/2025", invoice.invoice_line_ids.name)
        self.assertIn("28/02/2025", invoice.invoice_line_ids.name)


@tagged("post_install", "-at_install")
class TestForeignCurrencyContract(BillingCommon):
    def test_usd_contract_of_a_eur_company(self):
        company = self.env.ref("service_management.res_company_rhone_demo")
        self.assertEqual(company.currency_id.name, "EUR")
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {"name": "2025-01-01", "rate": 1.25, "currency_id": usd.id, "company_id": company.id}
        )
        self.env.user.company_ids |= company
        customer = self.env["res.partner"].create(
            {"name": "Geneva Hotel Group", "is_company": True, "company_id": company.id}
        )
        vat = self.env.ref("service_management.account_tax_vat_20_demo")
        product = self.env["product.product"].create(
            {"name": "Lift Care (USD)", "type": "service", "taxes_id": [fields.Command.set(vat.ids)]}
        )
        contract = (
            self.env["service.contract"]
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "currency_id": usd.id,
                    "date_start": date(2025, 1, 1),
                    "billing_rule": "advance",
                    "line_ids": [fields.Command.create({"product_id": product.id, "price_unit": 500.0})],
                }
            )
        )
        contract.action_start()
        invoice = contract._bill(date(2025, 1, 1))
        self.assertFalse(contract.billing_error)
        self.assertEqual(invoice.company_id, company)
        self.assertEqual(invoice.currency_id, usd)
        self.assertEqual(invoice.amount_untaxed, 500.0)
        self.assertEqual(invoice.amount_untaxed_signed, 400.0, "booked in euros at the rate of the day")
        self.assertEqual(invoice.invoice_line_ids.tax_ids, vat)
        self.assertEqual(invoice.journal_id.company_id, company)
