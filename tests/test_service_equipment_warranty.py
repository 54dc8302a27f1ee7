from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceEquipmentWarranty(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lift = cls._create_equipment(name="Lift A", serial_no="W-1")
        cls.manufacturer_warranty = cls.env["service.equipment.warranty"].create(
            {
                "equipment_id": cls.lift.id,
                "warranty_type": "manufacturer",
                "provider_id": cls.manufacturer.id,
                "date_start": date(2024, 1, 1),
                "date_end": date(2025, 12, 31),
                "cover_labour": False,
                "cover_parts": True,
            }
        )
        cls.boiler = cls._create_equipment(name="Boiler", serial_no="W-2")

    def _equipment_under_warranty(self, on_date):
        Equipment = self.env["service.equipment"].with_context(warranty_date=on_date)
        return Equipment.search([("id", "in", (self.lift | self.boiler).ids), ("under_warranty", "=", True)])

    def test_under_warranty_at_boundary_dates(self):
        for on_date, expected in [
            (date(2023, 12, 31), False),
            (date(2024, 1, 1), True),
            (date(2025, 12, 31), True),
            (date(2026, 1, 1), False),
        ]:
            with self.subTest(on_date=on_date):
                self.assertEqual(self.lift.with_context(warranty_date=on_date).under_warranty, expected)
                expected_found = self.lift if expected else self.lift.browse()
                self.assertEqual(self._equipment_under_warranty(on_date), expected_found)
                not_under = (
                    self.env["service.equipment"]
                    .with_context(warranty_date=on_date)
                    .search([("id", "in", (self.lift | self.boiler).ids), ("under_warranty", "=", False)])
                )
                self.assertEqual(not_under, self.boiler if expected else self.lift | self.boiler)

    def test_coverage_is_what_the_warranties_in_force_pay_for(self):
        self.assertEqual(self.lift._get_warranty_coverage(date(2024, 6, 1)), {"parts"})
        self.env["service.equipment.warranty"].create(
            {
                "equipment_id": self.lift.id,
                "warranty_type": "own",
                "date_start": date(2024, 6, 1),
                "date_end": date(2024, 11, 30),
                "cover_labour": True,
                "cover_parts": False,
                "cover_travel": True,
            }
        )
        self.assertEqual(self.lift._get_warranty_coverage(date(2024, 6, 1)), {"parts", "labour", "travel"})
        self.assertEqual(self.lift._get_warranty_coverage(date(2024, 12, 1)), {"parts"})

    def test_warranty_ending_before_it_starts_refused(self):
        Warranty = self.env["service.equipment.warranty"]
        with self.assertRaisesMessage(ValidationError, "cannot end .* before it starts"):
            Warranty.create(
                {"equipment_id": self.boiler.id, "date_start": date(2025, 1, 2), "date_end": date(2025, 1, 1)}
            )
        with self.assertRaisesMessage(ValidationError, "cannot end .* before it starts"):
            self.manufacturer_warranty.date_end = date(2023, 12, 31)
        self.assertFalse(self.boiler.warranty_ids, "nothing was written")
        self.manufacturer_warranty.invalidate_recordset()
        self.assertEqual(self.manufacturer_warranty.date_end, date(2025, 12, 31))

    def test_state_of_a_warranty_line(self):
        states = [
            self.manufacturer_warranty.with_context(warranty_date=on_date).state
            for on_date in (date(2023, 12, 31), date(2024, 1, 1), date(2026, 1, 1))
        ]
        self.assertEqual(states, ["future", "active", "expired"])

    def test_stored_warranty_state_follows_today(self):
        with freeze_time("2025-12-31"):
            self.lift._compute_warranty_state()
            self.assertEqual(self.lift.warranty_state, "active")
            self.assertEqual(self.lift.warranty_date_end, date(2025, 12, 31))
        self.assertEqual(self.boiler.warranty_state, "none")

    def test_cron_refreshes_states_in_batches_and_is_idempotent(self):
        Equipment = self.env["service.equipment"]
        future_lift = self._create_equipment(name="Lift F", serial_no="W-3")
        self.env["service.equipment.warranty"].create(
            {"equipment_id": future_lift.id, "date_start": date(2026, 1, 1), "date_end": date(2026, 12, 31)}
        )
        with freeze_time("2025-12-31"):
            (self.lift | future_lift)._compute_warranty_state()
            (self.lift | future_lift).flush_recordset()
            self.assertEqual((self.lift.warranty_state, future_lift.warranty_state), ("active", "future"))
        with freeze_time("2026-01-01"):
            domain = Equipment._get_stale_warranty_state_domain(date(2026, 1, 1))
            stale = Equipment.with_context(active_test=False).search(domain)
            self.assertIn(self.lift, stale)
            self.assertIn(future_lift, stale)
            self.assertNotIn(self.boiler, stale)
            self.assertEqual(Equipment._cron_update_warranty_state(batch_size=1), 1)
            self.assertEqual(Equipment.with_context(active_test=False).search_count(domain), len(stale) - 1)
            cron = self.env.ref("service_management.ir_cron_service_equipment_warranty_state")
            cron.method_direct_trigger()
            self.assertEqual(Equipment._cron_update_warranty_state(), 0, "a second run finds nothing to do")
            self.env.invalidate_all()
            self.assertEqual((self.lift.warranty_state, future_lift.warranty_state), ("expired", "active"))

    def test_group_by_warranty_state(self):
        groups = dict(
            self.env["service.equipment"]._read_group(
                [("id", "in", (self.lift | self.boiler).ids)], ["warranty_state"], ["__count"]
            )
        )
        self.assertEqual(groups.get("none"), 1)
        self.assertEqual(sum(groups.values()), 2)
