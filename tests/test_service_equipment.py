from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceEquipment(ServiceCommon):
    def test_site_defaults_to_the_customers_delivery_address(self):
        form = Form(self.env["service.equipment"])
        form.name = "Boiler room"
        form.partner_id = self.customer
        # Odoo's address_get proposes the first delivery address in alphabetical order
        self.assertEqual(form.site_id, self.site_acacias)
        form.site_id = self.site_tilleuls
        equipment = form.save()
        self.assertEqual(equipment.site_id, self.site_tilleuls)
        self.assertEqual(equipment.company_id, self.company)

    def test_customer_without_address_is_its_own_site(self):
        equipment = self.env["service.equipment"].create({"name": "Door", "partner_id": self.other_customer.id})
        self.assertEqual(equipment.site_id, self.other_customer)

    def test_site_of_another_customer_refused(self):
        with self.assertRaisesMessage(ValidationError, "is not an address of the customer"):
            self._create_equipment(partner_id=self.other_customer.id, site_id=self.site_tilleuls.id)
        self.assertFalse(self.env["service.equipment"].search([("partner_id", "=", self.other_customer.id)]))

    def test_component_cycle_refused(self):
        lift = self._create_equipment(name="Lift A")
        machine = self._create_equipment(name="Machine", parent_id=lift.id)
        motor = self._create_equipment(name="Motor", parent_id=machine.id)
        self.assertEqual(lift.child_count, 1)
        self.assertEqual(lift.child_ids, machine)
        with self.assertRaisesMessage(ValidationError, "cannot be a component of itself"):
            lift.parent_id = motor
        with self.assertRaisesMessage(ValidationError, "cannot be a component of itself"):
            lift.parent_id = lift
        self.assertFalse(lift.parent_id)

    def test_serial_unique_per_company(self):
        self._create_equipment(serial_no="EL-2020-001")
        self._create_equipment(
            serial_no="EL-2020-001",
            company_id=self.company_b.id,
            partner_id=self.other_customer.id,
            site_id=self.other_customer.id,
        )
        with self.assertRaisesMessage(ValidationError, "already used by Lift A"):
            self._create_equipment(name="Lift B", serial_no="EL-2020-001")
        self.assertEqual(
            self.env["service.equipment"].search_count(
                [("serial_no", "=", "EL-2020-001"), ("company_id", "=", self.company.id)]
            ),
            1,
        )

    def test_search_by_serial_number(self):
        lift = self._create_equipment(serial_no="EL-2020-777")
        self.assertEqual(lift.display_name, "Lift A (EL-2020-777)")
        found = self.env["service.equipment"].name_search("2020-777")
        self.assertEqual([rec_id for rec_id, _name in found], [lift.id])

    def test_dates_before_installation_refused(self):
        lift = self._create_equipment(installation_date=date(2020, 3, 1))
        with self.assertRaisesMessage(ValidationError, "cannot be decommissioned .* before it was installed"):
            lift.write({"state": "decommissioned", "decommission_date": date(2020, 2, 29)})
        with self.assertRaisesMessage(ValidationError, "cannot be commissioned"):
            lift.commissioning_date = date(2019, 12, 31)
        lift.invalidate_recordset()
        self.assertEqual(lift.state, "in_service", "nothing was written")
        self.assertFalse(lift.decommission_date)
        lift.commissioning_date = date(2020, 3, 1)  # the same day is fine

    @freeze_time("2025-06-15")
    def test_commissioning_starts_the_own_warranty(self):
        lift = self._create_equipment(installation_date=False)
        self.assertEqual(lift.warranty_state, "none")
        lift.action_commission()
        self.assertEqual(lift.commissioning_date, date(2025, 6, 15))
        self.assertEqual(lift.installation_date, date(2025, 6, 15))
        warranty = lift.warranty_ids
        self.assertEqual(warranty.warranty_type, "own")
        self.assertEqual((warranty.date_start, warranty.date_end), (date(2025, 6, 15), date(2027, 6, 14)))
        self.assertEqual(lift.warranty_state, "active")
        self.assertEqual(lift._get_warranty_coverage(date(2027, 6, 14)), {"labour", "parts", "travel"})
        self.assertEqual(lift._get_warranty_coverage(date(2027, 6, 15)), set())
        with self.assertRaisesMessage(UserError, "already commissioned"):
            lift.action_commission()

    @freeze_time("2025-06-15")
    def test_no_own_warranty_when_the_company_gives_none(self):
        self.company.service_own_warranty_months = 0
        lift = self._create_equipment()
        lift.action_commission()
        self.assertTrue(lift.commissioning_date)
        self.assertFalse(lift.warranty_ids)

    @freeze_time("2025-06-15")
    def test_status_changes_are_dated_and_tracked(self):
        lift = self._create_equipment().with_context(tracking_disable=False, mail_notrack=False)
        self._flush_tracking()
        lift.action_set_out_of_order()
        self._flush_tracking()
        self.assertEqual((lift.state, lift.out_of_order_date), ("out_of_order", date(2025, 6, 15)))
        lift.action_set_in_service()
        self._flush_tracking()
        self.assertEqual((lift.state, lift.out_of_order_date), ("in_service", False))
        lift.action_decommission()
        self._flush_tracking()
        self.assertEqual((lift.state, lift.decommission_date), ("decommissioned", date(2025, 6, 15)))
        tracked = lift.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracked), 3, "each status change is traced in the chatter")
        with self.assertRaisesMessage(UserError, "is decommissioned"):
            lift.action_set_in_service()

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_copy_keeps_no_serial(self):
        lift = self._create_equipment(serial_no="EL-1")
        copy = lift.copy()
        self.assertEqual(copy.name, "Lift A (copy)")
        self.assertFalse(copy.serial_no)
