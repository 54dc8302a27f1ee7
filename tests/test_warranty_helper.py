from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.service_management.helpers import warranty


@tagged("post_install", "-at_install")
class TestWarrantyHelper(TransactionCase):
    def test_period_covers_both_boundary_days(self):
        start, end = date(2024, 1, 1), date(2025, 12, 31)
        self.assertFalse(warranty.covers(start, end, date(2023, 12, 31)))
        self.assertTrue(warranty.covers(start, end, date(2024, 1, 1)))
        self.assertTrue(warranty.covers(start, end, date(2025, 12, 31)))
        self.assertFalse(warranty.covers(start, end, date(2026, 1, 1)))

    def test_state_of_periods(self):
        periods = [(date(2024, 2, 29), date(2026, 2, 28))]
        self.assertEqual(warranty.warranty_state([], date(2025, 1, 1)), warranty.NONE)
        self.assertEqual(warranty.warranty_state(periods, date(2024, 2, 28)), warranty.FUTURE)
        self.assertEqual(warranty.warranty_state(periods, date(2024, 2, 29)), warranty.ACTIVE)
        self.assertEqual(warranty.warranty_state(periods, date(2026, 2, 28)), warranty.ACTIVE)
        self.assertEqual(warranty.warranty_state(periods, date(2026, 3, 1)), warranty.EXPIRED)

    def test_gap_between_two_warranties_is_expired(self):
        periods = [(date(2020, 1, 1), date(2021, 12, 31)), (date(2023, 1, 1), date(2024, 12, 31))]
        self.assertEqual(warranty.warranty_state(periods, date(2022, 6, 1)), warranty.EXPIRED)
        self.assertEqual(warranty.warranty_state(periods, date(2023, 1, 1)), warranty.ACTIVE)
