from datetime import timedelta
from types import SimpleNamespace

from psycopg2.errors import CheckViolation

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..helpers.dunning import next_level_index
from .dunning_common import DunningCommon


class TestNextLevelHelper(BaseCase):
    levels = [SimpleNamespace(days=-3), SimpleNamespace(days=10), SimpleNamespace(days=30), SimpleNamespace(days=60)]

    def test_levels_in_order(self):
        self.assertEqual(next_level_index(self.levels, -1, 100), 0, "an old invoice starts at the first level")
        self.assertEqual(next_level_index(self.levels, 0, 100, days_since_last=7, min_gap=7), 1)
        self.assertEqual(next_level_index(self.levels, 2, 100, days_since_last=30, min_gap=7), 3)
        self.assertIsNone(
            next_level_index(self.levels, 3, 400, days_since_last=100, min_gap=7), "no level after the last"
        )
        self.assertIsNone(next_level_index(self.levels, -1, -4), "not late enough for any level")
        self.assertIsNone(next_level_index(self.levels, 0, 9, days_since_last=20, min_gap=7), "not late enough")

    def test_minimum_gap_between_two_levels(self):
        self.assertIsNone(next_level_index(self.levels, 0, 100, days_since_last=6, min_gap=7))
        self.assertEqual(next_level_index(self.levels, 0, 100, days_since_last=0, min_gap=0), 1)
        self.assertEqual(
            next_level_index(self.levels, -1, 100, days_since_last=1, min_gap=7), 0, "no level reached yet"
        )

    def test_skipping_levels_when_allowed(self):
        self.assertEqual(next_level_index(self.levels, -1, 100, allow_skip=True), 3)
        self.assertEqual(next_level_index(self.levels, 0, 35, days_since_last=10, min_gap=7, allow_skip=True), 2)
        self.assertIsNone(next_level_index(self.levels, 0, 35, days_since_last=3, min_gap=7, allow_skip=True))
        self.assertIsNone(next_level_index(self.levels, 2, 35, days_since_last=10, allow_skip=True))


@tagged("post_install", "-at_install")
class TestDunningOrder(DunningCommon):
    """By default an invoice goes through the levels one after the other, a week apart at least."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.allow_skip_levels = False
        cls.ControllerRun = cls.Run.with_user(cls.controller)

    def _controller_run(self, day):
        return self.ControllerRun._get_or_create_run(self.company, day)

    def _execute_as_controller(self, run):
        run.action_review()
        run.action_execute()
        self._run_execution_job()
        self.assertEqual(run.state, "done")
        return run

    def test_old_invoice_goes_through_every_level_with_the_gap(self):
        invoice = self._invoice(self.customer, 1200.0, self.day - timedelta(days=100))
        self.assertEqual(self.policy.min_days_between_levels, 7, "a week between two levels by default")
        self.assertEqual(invoice.dunning_next_date, self.day - timedelta(days=103), "the first level is due")

        line = self._line(self._controller_run(self.day), self.customer)
        self.assertEqual(line.proposed_level_id, self.level_courtesy, "the first level first, however late")
        self.assertEqual(line.item_ids.level_id, self.level_courtesy)
        self._execute_as_controller(line.run_id)
        self.assertEqual(invoice.dunning_level_id, self.level_courtesy)
        self.assertEqual(invoice.dunning_next_date, self.day + timedelta(days=7), "the next level a week later")

        early = self._controller_run(self.day + timedelta(days=6))
        self.assertFalse(self._line(early, self.customer), "six days later: too early for the next level")

        expected = [(7, self.level_reminder), (14, self.level_notice), (21, self.level_agency)]
        previous = self.level_courtesy
        for offset, level in expected:
            run = self._controller_run(self.day + timedelta(days=offset))
            line = self._line(run, self.customer)
            self.assertEqual(line.proposed_level_id, level, f"{level.name} {offset} days after the first letter")
            self.assertEqual(line.item_ids.previous_level_id, previous)
            self._execute_as_controller(run)
            self.assertEqual(invoice.dunning_level_id, level)
            previous = level
        history = invoice.dunning_history_ids.sorted("date")
        self.assertEqual(history.level_id, self.policy._get_sorted_levels(), "every level sent, in order")
        self.assertFalse(invoice.dunning_next_date, "no level after the last")
        self.assertFalse(self._line(self._controller_run(self.day + timedelta(days=40)), self.customer))

    def test_next_level_waits_until_the_invoice_is_late_enough(self):
        invoice = self._invoice(self.customer, 500.0, self.day)
        self._execute_as_controller(self._controller_run(self.day - timedelta(days=3)))
        self.assertEqual(invoice.dunning_level_id, self.level_courtesy)
        self.assertEqual(invoice.dunning_next_date, self.day + timedelta(days=10), "the level's own day comes later")
        self.assertFalse(self._line(self._controller_run(self.day + timedelta(days=9)), self.customer))
        line = self._line(self._controller_run(self.day + timedelta(days=10)), self.customer)
        self.assertEqual(line.proposed_level_id, self.level_reminder)

    def test_gap_is_a_policy_setting(self):
        self.policy.with_user(self.controller).min_days_between_levels = 0
        invoice = self._invoice(self.customer, 500.0, self.day - timedelta(days=100))
        self._execute_as_controller(self._controller_run(self.day))
        self.assertEqual(invoice.dunning_next_date, self.day, "no gap: due again at once")
        line = self._line(self._controller_run(self.day + timedelta(days=1)), self.customer)
        self.assertEqual(line.proposed_level_id, self.level_reminder)
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation), self.env.cr.savepoint():
            self.policy.min_days_between_levels = -1
            self.policy.flush_recordset()

    def test_skipping_levels_when_the_policy_allows_it(self):
        self.policy.with_user(self.controller).allow_skip_levels = True
        invoice = self._invoice(self.customer, 1200.0, self.day - timedelta(days=100))
        line = self._line(self._controller_run(self.day), self.customer)
        self.assertEqual(line.proposed_level_id, self.level_agency, "the highest level reached")
        self._execute_as_controller(line.run_id)
        self.assertEqual(invoice.dunning_level_id, self.level_agency)
        self.assertEqual(len(invoice.dunning_history_ids), 1)

    def test_each_invoice_of_a_customer_follows_its_own_order(self):
        old = self._invoice(self.customer, 1000.0, self.day - timedelta(days=100))
        recent = self._invoice(self.customer, 300.0, self.day - timedelta(days=12))
        run = self._controller_run(self.day)
        self._execute_as_controller(run)
        self.assertEqual((old.dunning_level_id, recent.dunning_level_id), (self.level_courtesy, self.level_courtesy))
        line = self._line(self._controller_run(self.day + timedelta(days=7)), self.customer)
        levels = {item.move_id: item.level_id for item in line.item_ids}
        self.assertEqual(levels, {old: self.level_reminder, recent: self.level_reminder})
        self.assertEqual(line.proposed_level_id, self.level_reminder)
