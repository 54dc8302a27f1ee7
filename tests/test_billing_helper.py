from datetime import date

from odoo.tests import BaseCase

from odoo.addons.service_management.helpers import billing


class TestBillingHelper(BaseCase):
    def test_calendar_anchor(self):
        self.assertEqual(billing.period_anchor(date(2025, 5, 17), "monthly"), date(2025, 5, 1))
        self.assertEqual(billing.period_anchor(date(2025, 5, 17), "quarterly"), date(2025, 4, 1))
        self.assertEqual(billing.period_anchor(date(2025, 12, 31), "quarterly"), date(2025, 10, 1))
        self.assertEqual(billing.period_anchor(date(2025, 5, 17), "yearly"), date(2025, 1, 1))
        self.assertEqual(billing.period_anchor(date(2025, 5, 17), "weekly"), date(2025, 5, 17))

    def test_periods_in_advance_and_in_arrears(self):
        anchor = date(2024, 1, 1)
        advance = billing.periods_to_bill(anchor, "monthly", 1, date(2024, 1, 20), None, None, date(2024, 3, 1), False)
        self.assertEqual(
            advance,
            [
                (date(2024, 1, 1), date(2024, 1, 31), date(2024, 1, 20), date(2024, 1, 31)),
                (date(2024, 2, 1), date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29)),
                (date(2024, 3, 1), date(2024, 3, 31), date(2024, 3, 1), date(2024, 3, 31)),
            ],
        )
        arrears = billing.periods_to_bill(anchor, "monthly", 1, date(2024, 1, 20), None, None, date(2024, 3, 1), True)
        self.assertEqual(len(arrears), 2)
        self.assertEqual(
            billing.periods_to_bill(
                anchor, "monthly", 1, date(2024, 1, 20), None, date(2024, 2, 29), date(2024, 3, 1), True
            ),
            [],
        )
        self.assertEqual(
            billing.next_due_date(anchor, "monthly", 1, date(2024, 1, 20), None, date(2024, 2, 29), True),
            date(2024, 4, 1),
        )
        self.assertEqual(
            billing.next_due_date(anchor, "monthly", 1, date(2024, 1, 20), None, date(2024, 2, 29), False),
            date(2024, 3, 1),
        )

    def test_every_two_months_and_the_end_of_the_contract(self):
        anchor = date(2025, 1, 1)
        periods = billing.periods_to_bill(
            anchor, "monthly", 2, date(2025, 1, 1), date(2025, 4, 15), None, date(2025, 12, 31), False
        )
        self.assertEqual(
            periods,
            [
                (date(2025, 1, 1), date(2025, 2, 28), date(2025, 1, 1), date(2025, 2, 28)),
                (date(2025, 3, 1), date(2025, 4, 30), date(2025, 3, 1), date(2025, 4, 15)),
            ],
        )
        self.assertIsNone(
            billing.next_due_date(anchor, "monthly", 2, date(2025, 1, 1), date(2025, 4, 15), date(2025, 4, 15), False)
        )

    def test_day_fraction_and_split(self):
        self.assertEqual(
            billing.day_fraction(date(2024, 2, 10), date(2024, 3, 31), date(2024, 1, 1), date(2024, 3, 31)), (51, 91)
        )
        self.assertEqual(
            billing.split_at(
                date(2025, 1, 1), date(2025, 1, 31), [date(2024, 6, 1), date(2025, 1, 17), date(2025, 2, 1)]
            ),
            [(date(2025, 1, 1), date(2025, 1, 16)), (date(2025, 1, 17), date(2025, 1, 31))],
        )

    def test_spread_by_month_adds_up_exactly(self):
        spread = billing.spread_by_month(1000.0, date(2025, 1, 15), date(2025, 4, 14))
        self.assertEqual(
            [month for month, _amount in spread],
            [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)],
        )
        self.assertEqual(round(sum(amount for _month, amount in spread), 2), 1000.0)
        self.assertEqual(spread[0][1], round(1000.0 * 17 / 90, 2))
        leap = billing.spread_by_month(366.0, date(2024, 1, 1), date(2024, 12, 31))
        self.assertEqual(leap[1], (date(2024, 2, 1), 29.0))
