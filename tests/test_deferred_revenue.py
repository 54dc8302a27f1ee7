from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestDeferredRevenue(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deferred = cls.env["account.account"].create(
            {"code": "487100", "name": "Deferred service revenue", "account_type": "liability_current"}
        )
        cls.income = cls.env["account.account"].create(
            {"code": "706100", "name": "Maintenance revenue", "account_type": "income"}
        )
        cls.maintenance.property_account_income_id = cls.income
        cls.company.service_deferred_revenue_account_id = cls.deferred

    def _balance(self, account, entries):
        return sum(entries.line_ids.filtered(lambda line: line.account_id == account).mapped("balance"))

    def test_yearly_invoice_recognised_month_by_month(self):
        contract = self._create_billing_contract(
            price=1000.0,
            unit="yearly",
            start=date(2025, 1, 15),
            invoice_policy="post_send",
            analytic_account_id=self.analytic.id,
        )
        invoice = contract._bill(date(2025, 1, 15))
        self.assertEqual(invoice.state, "posted")
        line = invoice.invoice_line_ids
        self.assertEqual(line.account_id, self.deferred, "the year's revenue waits on the deferred account")
        self.assertEqual(line.service_income_account_id, self.income)
        self.assertEqual(
            (line.service_deferred_start, line.service_deferred_end), (date(2025, 1, 15), date(2025, 12, 31))
        )
        self.assertEqual(invoice.service_deferral_next_date, date(2025, 1, 31))

        Move = self.env["account.move"]
        with freeze_time("2025-01-30"):
            Move._cron_service_recognize_revenue()
        self.assertFalse(invoice.service_deferral_entry_ids, "January is not over")
        with freeze_time("2025-04-02"):
            Move._cron_service_recognize_revenue()
            Move._cron_service_recognize_revenue()
        entries = invoice.service_deferral_entry_ids
        self.assertEqual(sorted(entries.mapped("date")), [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)])
        self.assertEqual(set(entries.mapped("state")), {"posted"})
        # 351 days from 15 January: 17 in January, 28 in February, 31 in March
        january = entries.filtered(lambda e: e.service_deferral_month == date(2025, 1, 1))
        self.assertEqual(line.price_subtotal, 961.64, "1000 a year, pro rata 351/365 days")
        self.assertAlmostEqual(-self._balance(self.income, january), round(961.64 * 17 / 351, 2))
        income_line = january.line_ids.filtered(lambda line: line.account_id == self.income)
        self.assertEqual(income_line.analytic_distribution, {str(self.analytic.id): 100.0})
        self.assertEqual(invoice.service_deferral_next_date, date(2025, 4, 30))

        with freeze_time("2026-01-10"):
            Move._cron_service_recognize_revenue()
        entries = invoice.service_deferral_entry_ids
        self.assertEqual(len(entries), 12)
        self.assertEqual(sorted(month.month for month in entries.mapped("service_deferral_month")), list(range(1, 13)))
        self.assertAlmostEqual(-self._balance(self.income, entries), 961.64, places=2)
        self.assertAlmostEqual(self._balance(self.deferred, entries) + invoice.invoice_line_ids.balance, 0.0, places=2)
        self.assertFalse(invoice.service_deferral_next_date, "fully recognised")
        with freeze_time("2026-02-10"):
            Move._cron_service_recognize_revenue()
        self.assertEqual(len(invoice.service_deferral_entry_ids), 12, "never twice")

    def test_recognition_entry_can_be_reversed(self):
        contract = self._create_billing_contract(
            price=900.0, unit="quarterly", start=date(2025, 1, 1), invoice_policy="post_send"
        )
        invoice = contract._bill(date(2025, 1, 1))
        with freeze_time("2025-02-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        january = invoice.service_deferral_entry_ids
        self.assertEqual(len(january), 1)
        self.assertAlmostEqual(-self._balance(self.income, january), 310.0, msg="31 of the quarter's 90 days")
        with self.assertRaisesMessage(UserError, "reverse its revenue recognition entries first"):
            invoice.button_draft()
        reversal = january._reverse_moves(cancel=True)
        self.assertEqual(reversal.state, "posted")
        self.assertAlmostEqual(self._balance(self.income, january | reversal), 0.0)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")

    def test_monthly_invoice_of_its_own_month_is_not_deferred(self):
        contract = self._create_billing_contract(price=300.0, start=date(2025, 1, 1), invoice_policy="post_send")
        invoice = contract._bill(date(2025, 1, 1))
        self.assertEqual(invoice.invoice_line_ids.account_id, self.income)
        self.assertFalse(invoice.service_deferral_next_date)

    def test_quarterly_amounts_add_up_with_rounding(self):
        contract = self._create_billing_contract(
            lines=[fields.Command.create({"product_id": self.maintenance.id, "price_unit": 1000.0})],
            unit="quarterly",
            start=date(2025, 1, 1),
            invoice_policy="post_send",
        )
        invoice = contract._bill(date(2025, 1, 1))
        with freeze_time("2025-04-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        entries = invoice.service_deferral_entry_ids
        amounts = sorted(-self._balance(self.income, entry) for entry in entries)
        # 31, 28 and 31 days of 90: 344.44, 311.11 and the remainder 344.45
        self.assertEqual(amounts, [311.11, 344.44, 344.45])
