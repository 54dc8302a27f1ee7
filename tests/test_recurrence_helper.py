from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.service_management.helpers import indexation, recurrence


@tagged("post_install", "-at_install")
class TestRecurrenceHelper(TransactionCase):
    def test_monthly_from_the_31st_never_drifts(self):
        starts = [recurrence.nth_date(date(2023, 1, 31), "monthly", 1, n) for n in range(5)]
        self.assertEqual(
            starts, [date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 30), date(2023, 5, 31)]
        )
        self.assertEqual(recurrence.nth_date(date(2024, 1, 31), "monthly", 1, 1), date(2024, 2, 29), "leap year")

    def test_period_ends_for_every_unit(self):
        cases = [
            ("daily", 1, date(2024, 2, 28), date(2024, 2, 28)),
            ("daily", 3, date(2024, 2, 28), date(2024, 3, 1)),
            ("weekly", 1, date(2024, 2, 26), date(2024, 3, 3)),
            ("weekly", 2, date(2023, 12, 25), date(2024, 1, 7)),
            ("monthly", 1, date(2024, 1, 31), date(2024, 2, 28)),
            ("monthly", 1, date(2023, 2, 1), date(2023, 2, 28)),
            ("quarterly", 1, date(2023, 11, 30), date(2024, 2, 28)),
            ("quarterly", 1, date(2024, 12, 31), date(2025, 3, 30)),
            ("yearly", 1, date(2024, 2, 29), date(2025, 2, 27)),
            ("yearly", 1, date(2023, 3, 1), date(2024, 2, 29)),
        ]
        for unit, interval, start, end in cases:
            with self.subTest(unit=unit, interval=interval, start=start):
                self.assertEqual(recurrence.period_end(start, unit, interval, 0), end)

    def test_yearly_from_leap_day(self):
        starts = [recurrence.nth_date(date(2024, 2, 29), "yearly", 1, n) for n in range(5)]
        self.assertEqual(
            starts, [date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
        )

    def test_periods_between_dates(self):
        periods = recurrence.periods_between(date(2024, 1, 31), "quarterly", 1, date(2024, 3, 1), date(2024, 12, 31))
        self.assertEqual(
            periods,
            [
                (date(2024, 4, 30), date(2024, 7, 30)),
                (date(2024, 7, 31), date(2024, 10, 30)),
                (date(2024, 10, 31), date(2025, 1, 30)),
            ],
        )

    def test_duration_and_yearly_factor(self):
        self.assertEqual(recurrence.add_duration(date(2024, 3, 1), "yearly", 3), date(2027, 2, 28))
        self.assertEqual(recurrence.add_duration(date(2024, 1, 1), "monthly", 6), date(2024, 6, 30))
        self.assertEqual(recurrence.yearly_factor("quarterly", 1), 4)
        self.assertEqual(recurrence.yearly_factor("monthly", 2), 6)
        with self.assertRaises(ValueError):
            recurrence.step("monthly", 0)

    def test_index_formula_to_the_cent(self):
        # Syntec-like formula P = P0 x (0.15 + 0.85 x I / I0)
        self.assertEqual(indexation.revised_price(1000.0, 0.15, 0.85, 105.0, 100.0), 1042.5)
        self.assertEqual(indexation.revised_price(1234.56, 0.15, 0.85, 298.7, 291.4), 1260.85)
        self.assertEqual(indexation.price_with_percentage(1450.0, 2.5), 1486.25)
