from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.service_management.helpers import preventive

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestPreventivePlan(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.service_preventive_horizon_days = 365
        cls.lift = cls._create_equipment(name="Lift A")
        cls.lift_b = cls._create_equipment(name="Lift B")
        cls.contract = cls._create_contract(
            date_start=date(2025, 1, 31),
            lines=[
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "price_unit": 900.0,
                        "visits_per_year": 4,
                        "equipment_ids": [fields.Command.set((cls.lift | cls.lift_b).ids)],
                    }
                ),
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "price_unit": 300.0,
                        "visits_per_year": 2,
                        "preferred_months": "3,9",
                    }
                ),
            ],
        )
        cls.contract.action_start()
        cls.Line = cls.env["service.contract.line"]

    def _preventive(self):
        return self.env["service.intervention"].search(
            [("contract_id", "=", self.contract.id), ("intervention_type", "=", "preventive")], order="preventive_slot"
        )

    def test_visit_dates(self):
        self.assertEqual(
            preventive.visit_dates(date(2024, 1, 31), 4, [], date(2024, 1, 1), date(2024, 12, 31)),
            [date(2024, 1, 31), date(2024, 4, 30), date(2024, 7, 31), date(2024, 10, 31)],
        )
        self.assertEqual(
            preventive.visit_dates(date(2024, 1, 31), 2, [2, 9], date(2024, 1, 1), date(2025, 3, 1)),
            [date(2024, 2, 29), date(2024, 9, 30), date(2025, 2, 28)],
        )
        self.assertEqual(
            preventive.visit_dates(date(2024, 6, 1), 12, [], date(2024, 1, 1), date(2024, 7, 15)),
            [date(2024, 6, 1), date(2024, 7, 1)],
            "nothing before the contract starts",
        )

    @freeze_time("2025-01-01")
    def test_a_year_of_visits_created_once(self):
        self.assertGreaterEqual(self.Line._cron_generate_preventive_interventions(), 2, "our two lines and the demo's")
        visits = self._preventive()
        lift_visits = visits.filtered(lambda v: v.equipment_id == self.lift)
        self.assertEqual(
            lift_visits.mapped("preventive_slot"),
            [date(2025, 1, 31), date(2025, 4, 30), date(2025, 7, 31), date(2025, 10, 31)],
        )
        self.assertEqual(len(visits.filtered(lambda v: v.equipment_id == self.lift_b)), 4)
        no_equipment = visits.filtered(lambda v: not v.equipment_id)
        self.assertEqual(no_equipment.mapped("preventive_slot"), [date(2025, 3, 31), date(2025, 9, 30)])
        self.assertEqual(set(visits.mapped("state")), {"new"})
        self.assertEqual(set(visits.mapped("coverage")), {"contract"})
        self.assertEqual(self.Line._cron_generate_preventive_interventions(), 0, "a second run finds nothing to do")
        self.assertEqual(self._preventive(), visits)

    def test_nothing_beyond_the_end_or_after_termination(self):
        with freeze_time("2025-01-01"):
            self.Line._cron_generate_preventive_interventions()
        reason = self.env.ref("service_management.termination_reason_customer_notice")
        self.contract.terminate(reason, date(2025, 5, 15))
        visits = self._preventive()
        after = visits.filtered(lambda v: v.preventive_slot > date(2025, 5, 15))
        self.assertEqual(set(after.mapped("state")), {"cancelled"})
        self.assertEqual(set((visits - after).mapped("state")), {"new"})
        with freeze_time("2025-06-01"):
            self.Line._cron_generate_preventive_interventions()
        self.assertEqual(self._preventive(), visits, "a terminated contract gets no new visit")

    @freeze_time("2025-01-01")
    def test_horizon_limits_what_is_created(self):
        self.company.service_preventive_horizon_days = 60
        self.Line._cron_generate_preventive_interventions()
        self.assertEqual(self._preventive().mapped("preventive_slot"), [date(2025, 1, 31)] * 2)
