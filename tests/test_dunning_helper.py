from types import SimpleNamespace

from odoo.tests import BaseCase

from ..helpers.dunning import age_bucket, late_interest, payer_grade, reached_level


class TestDunningHelper(BaseCase):
    def test_reached_level_at_boundaries(self):
        levels = [SimpleNamespace(days=-3), SimpleNamespace(days=10), SimpleNamespace(days=30)]
        self.assertIsNone(reached_level(levels, -4))
        self.assertIs(reached_level(levels, -3), levels[0])
        self.assertIs(reached_level(levels, 9), levels[0])
        self.assertIs(reached_level(levels, 10), levels[1])
        self.assertIs(reached_level(levels, 30), levels[2])
        self.assertIs(reached_level(levels, 400), levels[2])
        self.assertIsNone(reached_level([], 100))

    def test_late_interest_to_the_cent(self):
        self.assertEqual(late_interest(1000.0, 12.15, 45), 14.98)
        self.assertEqual(late_interest(2500.0, 10.0, 365), 250.0)
        self.assertEqual(late_interest(1234.56, 12.15, 1), 0.41)
        self.assertEqual(late_interest(1000.0, 12.15, 0), 0.0)
        self.assertEqual(late_interest(-10.0, 12.15, 10), 0.0)

    def test_age_buckets(self):
        self.assertEqual(
            [age_bucket(days) for days in (-5, 0, 1, 30, 31, 60, 61, 90, 91)],
            ["not_due", "not_due", "0_30", "0_30", "31_60", "31_60", "61_90", "61_90", "90_plus"],
        )

    def test_payer_grades(self):
        self.assertFalse(payer_grade(0, 0, 0, 0))
        self.assertEqual(payer_grade(5, 2.0, 0.2, 0), "good")
        self.assertEqual(payer_grade(5, 12.0, 0.2, 0), "average")
        self.assertEqual(payer_grade(5, 2.0, 0.5, 0), "average")
        self.assertEqual(payer_grade(5, 2.0, 0.0, 45), "average")
        self.assertEqual(payer_grade(5, 31.0, 0.2, 0), "bad")
        self.assertEqual(payer_grade(5, 0.0, 0.0, 91), "bad")
