from datetime import date

from freezegun import freeze_time

from odoo.tests import BaseCase, tagged

from odoo.addons.service_management.helpers import billing

from .billing_common import BillingCommon


class TestRecognitionScheduleHelper(BaseCase):
    def test_months_served_before_the_invoice_month_are_grouped(self):
        schedule = billing.recognition_schedule(2307.95, date(2026, 10, 15), date(2027, 9, 30), date(2026, 12, 1))
        months = [month for month, _amount in schedule]
        # October and November on the month before the invoice's, then December to September one by one
        self.assertEqual(months[0], date(2026, 11, 1))
        self.assertEqual(months[1:], [date(2026, 12, 1)] + [date(2027, m, 1) for m in range(1, 10)])
        amounts = dict(schedule)
        self.assertEqual(amounts[date(2026, 11, 1)], 309.04, "17 + 30 of 351 days")
        self.assertEqual(amounts[date(2026, 12, 1)], 203.84, "31 of 351 days")
        self.assertEqual(round(sum(amounts.values()), 2), 2307.95)

    def test_nothing_served_when_billed_in_its_first_month(self):
        schedule = billing.recognition_schedule(1000.0, date(2025, 1, 15), date(2025, 12, 31), date(2025, 1, 15))
        self.assertEqual(schedule[0][0], date(2025, 1, 1))
        self.assertEqual(len(schedule), 12)

    def test_schedule_adds_up_to_the_cent(self):
        for amount in (0.01, 100.0, 999.99, 1234.57, 33333.33):
            schedule = billing.recognition_schedule(amount, date(2025, 2, 10), date(2026, 2, 9), date(2025, 5, 20))
            self.assertEqual(round(sum(part for _month, part in schedule), 2), amount)
            self.assertTrue(all(round(part, 2) == part for _month, part in schedule), "each month to the cent")
        schedule = billing.recognition_schedule(100.0, date(2025, 1, 1), date(2025, 3, 31), date(2025, 1, 1))
        # 31, 28 and 31 days of 90: the last month takes the rounding remainder
        self.assertEqual([part for _month, part in schedule], [34.44, 31.11, 34.45])

    def test_served_month(self):
        self.assertEqual(billing.served_month(date(2026, 12, 1)), date(2026, 11, 1))
        self.assertEqual(billing.served_month(date(2027, 1, 20)), date(2026, 12, 1))


@tagged("post_install", "-at_install")
class TestDeferredRevenuePeriod(BillingCommon):
    """Revenue follows the service period: what is served when the invoice is dated is income at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deferred = cls.env["account.account"].create(
            {"code": "487101", "name": "Deferred service revenue (period)", "account_type": "liability_current"}
        )
        cls.income = cls.env["account.account"].create(
            {"code": "706101", "name": "Maintenance revenue (period)", "account_type": "income"}
        )
        cls.maintenance.property_account_income_id = cls.income
        cls.company.service_deferred_revenue_account_id = cls.deferred

    def _income(self, invoice, until):
        """Revenue of ``invoice`` recognised on the income account up to ``until``."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.income.id),
                ("parent_state", "=", "posted"),
                ("date", "<=", until),
                ("tax_line_id", "=", False),  # the test taxes have no account of their own
                "|",
                ("move_id", "=", invoice.id),
                ("move_id.service_deferral_invoice_id", "=", invoice.id),
            ]
        )
        return round(-sum(lines.mapped("balance")), 2)

    def _yearly_from_october(self, **vals):
        """A year of service from 15 October 2026, billed in advance every 12 months from October."""
        return self._create_billing_contract(
            price=2400.0,
            start=date(2026, 10, 15),
            recurring_interval=12,
            invoice_policy="post_send",
            **vals,
        )

    def test_line_billed_two_months_into_its_period(self):
        contract = self._yearly_from_october()
        invoice = self._bill(contract, date(2026, 12, 1))
        line = invoice.invoice_line_ids
        self.assertEqual((line.service_period_start, line.service_period_end), (date(2026, 10, 15), date(2027, 9, 30)))
        self.assertEqual(line.price_subtotal, 2307.95, "2400 a year, pro rata 351/365 days")
        self.assertEqual(line.account_id, self.deferred)
        self.assertEqual(
            (line.service_deferred_start, line.service_deferred_end), (date(2026, 10, 15), date(2027, 9, 30))
        )

        served = invoice.service_deferral_entry_ids
        self.assertEqual(len(served), 1, "October and November are recognised when the invoice is posted")
        self.assertEqual(served.date, date(2026, 12, 1))
        self.assertEqual(served.state, "posted")
        self.assertIn("served up to 11/2026", served.ref)
        self.assertEqual(self._income(invoice, date(2026, 12, 1)), 309.04, "17 days of October and November")
        deferred_left = round(
            sum(
                self.env["account.move.line"]
                .search(
                    [
                        ("account_id", "=", self.deferred.id),
                        ("move_id", "in", (invoice | served).ids),
                        ("tax_line_id", "=", False),
                    ]
                )
                .mapped("balance")
            ),
            2,
        )
        self.assertAlmostEqual(
            deferred_left, -1998.91, places=2, msg="only the months to come wait on the deferred account"
        )
        self.assertEqual(invoice.service_deferral_next_date, date(2026, 12, 31))

        with freeze_time("2027-01-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        self.assertEqual(self._income(invoice, date(2026, 12, 31)), 512.88, "what was earned by 31 December")
        with freeze_time("2027-10-05"):
            self.env["account.move"]._cron_service_recognize_revenue()
        entries = invoice.service_deferral_entry_ids
        self.assertEqual(len(entries), 11, "the served months, then December to September")
        self.assertEqual(self._income(invoice, date(2027, 9, 30)), 2307.95, "to the cent")
        self.assertFalse(invoice.service_deferral_next_date)

    def test_backlog_billed_late(self):
        contract = self._create_billing_contract(
            price=900.0, unit="quarterly", start=date(2026, 7, 1), invoice_policy="post_send"
        )
        invoice = self._bill(contract, date(2026, 11, 15))
        third, fourth = invoice.invoice_line_ids.sorted("service_period_start")
        self.assertEqual(third.account_id, self.income, "a quarter fully served is income")
        self.assertEqual(fourth.account_id, self.deferred)
        # the fourth quarter: October (31 of 92 days) served at once, November and December at their ends
        self.assertEqual(self._income(invoice, date(2026, 11, 15)), round(900.0 + 900.0 * 31 / 92, 2))
        with freeze_time("2026-12-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        self.assertEqual(self._income(invoice, date(2026, 11, 30)), round(900.0 + 900.0 * 61 / 92, 2))
        with freeze_time("2027-01-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        self.assertEqual(self._income(invoice, date(2026, 12, 31)), 1800.0)
        self.assertEqual(
            sorted(invoice.service_deferral_entry_ids.mapped("date")),
            [date(2026, 11, 15), date(2026, 11, 30), date(2026, 12, 31)],
        )

    def test_terminated_contract_billed_late(self):
        contract = self._yearly_from_october()
        reason = self.env["service.contract.termination.reason"].search([], limit=1)
        contract.terminate(reason, date(2027, 1, 31))
        invoice = self._bill(contract, date(2026, 12, 1))
        line = invoice.invoice_line_ids
        self.assertEqual(line.service_period_end, date(2027, 1, 31))
        self.assertEqual(line.price_subtotal, round(2400.0 * 109 / 365, 2), "to the termination, pro rata")
        # October (17) and November (30) of the 109 days served at once
        self.assertEqual(self._income(invoice, date(2026, 12, 1)), round(line.price_subtotal * 47 / 109, 2))
        with freeze_time("2027-02-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        self.assertEqual(
            sorted(invoice.service_deferral_entry_ids.mapped("date")),
            [date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 31)],
        )
        self.assertEqual(self._income(invoice, date(2027, 1, 31)), line.price_subtotal, "to the cent")

    def test_amendment_ranges_are_recognised_over_their_own_days(self):
        contract = self._yearly_from_october()
        self.env["service.contract.amendment"]._create_amendment(
            contract, date(2027, 1, 1), {contract.line_ids: {"price_unit": 3600.0}}, "Second boiler from January"
        )
        invoice = self._bill(contract, date(2026, 12, 1))
        before, after = invoice.invoice_line_ids.sorted("service_period_start")
        self.assertEqual(before.account_id, self.income, "the range at the old price ends in the invoice's month")
        self.assertEqual(after.account_id, self.deferred)
        self.assertEqual(
            (after.service_deferred_start, after.service_deferred_end), (date(2027, 1, 1), date(2027, 9, 30))
        )
        self.assertEqual(self._income(invoice, date(2026, 12, 1)), before.price_subtotal, "nothing of 2027 yet")
        self.assertEqual(invoice.service_deferral_next_date, date(2027, 1, 31))
        with freeze_time("2027-10-01"):
            self.env["account.move"]._cron_service_recognize_revenue()
        self.assertEqual(
            self._income(invoice, date(2027, 9, 30)), round(before.price_subtotal + after.price_subtotal, 2)
        )

    def test_recognition_is_not_repeated(self):
        contract = self._yearly_from_october()
        invoice = self._bill(contract, date(2026, 12, 1))
        with freeze_time("2027-03-02"):
            self.env["account.move"]._cron_service_recognize_revenue()
            invoice._service_recognize_revenue(date(2027, 3, 2))
        self.assertEqual(len(invoice.service_deferral_entry_ids), 4, "served, December, January, February; once")
