from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestEquipmentAccess(ServiceCommon):
    """On site, a technician reports the state of an equipment and writes notes; who owns it and where, its
    serial number and warranties are the office's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lift = cls._create_equipment(serial_no="EQA-1")
        cls.warranty = cls.env["service.equipment.warranty"].create(
            {"equipment_id": cls.lift.id, "date_start": date(2025, 1, 1), "date_end": date(2026, 12, 31)}
        )

    def _snapshot(self):
        self.lift.invalidate_recordset()
        return self.lift.read(["partner_id", "site_id", "company_id", "serial_no", "name", "state"])[0]

    def test_technician_reports_out_of_order_and_writes_notes(self):
        lift = self.lift.with_user(self.technician)
        lift.action_set_out_of_order()
        self.assertEqual((self.lift.state, self.lift.out_of_order_date), ("out_of_order", date.today()))
        lift.write({"note": "<p>Door motor burnt</p>"})
        lift.message_post(body="Waiting for the spare motor")
        lift.action_set_in_service()
        self.assertEqual(self.lift.state, "in_service")
        self.assertIn("Door motor burnt", self.lift.note)
        self.assertIn("Waiting for the spare motor", self.lift.message_ids[0].body)

    @mute_logger("odoo.models")
    def test_technician_changes_neither_owner_site_company_nor_serial(self):
        before = self._snapshot()
        lift = self.lift.with_user(self.technician)
        attempts = {
            "partner_id": self.other_customer.id,
            "site_id": self.site_acacias.id,
            "company_id": self.company_b.id,
            "serial_no": "EQA-FAKE",
            "state": "decommissioned",
            "out_of_order_date": date(2020, 1, 1),
        }
        for name, value in attempts.items():
            with self.subTest(field=name):
                with self.assertRaisesMessage(AccessError, "A technician may not change"):
                    lift.write({name: value})
        self.assertEqual(self._snapshot(), before)

    def test_technician_neither_decommissions_nor_commissions(self):
        lift = self.lift.with_user(self.technician)
        with self.assertRaisesMessage(AccessError, "Only a dispatcher may decommission"):
            lift.action_decommission()
        with self.assertRaises(AccessError):
            lift.action_commission()
        self.lift.invalidate_recordset()
        self.assertEqual(self.lift.state, "in_service")
        self.assertFalse(self.lift.commissioning_date)
        self.assertEqual(self.lift.warranty_ids, self.warranty)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_technician_neither_creates_nor_changes_warranties(self):
        Warranty = self.env["service.equipment.warranty"].with_user(self.technician)
        with self.assertRaises(AccessError):
            Warranty.create(
                {"equipment_id": self.lift.id, "date_start": date(2027, 1, 1), "date_end": date(2030, 1, 1)}
            )
        with self.assertRaises(AccessError):
            self.warranty.with_user(self.technician).write({"date_end": date(2035, 12, 31)})
        with self.assertRaises(AccessError):
            self.lift.with_user(self.technician).write(
                {"warranty_ids": [(0, 0, {"date_start": date(2027, 1, 1), "date_end": date(2030, 1, 1)})]}
            )
        self.warranty.invalidate_recordset()
        self.assertEqual(self.warranty.date_end, date(2026, 12, 31))
        self.assertEqual(self.lift.warranty_ids, self.warranty)

    def test_dispatcher_still_manages_the_installed_base(self):
        lift = self.lift.with_user(self.dispatcher)
        lift.write({"serial_no": "EQA-2", "site_id": self.site_acacias.id})
        lift.action_decommission()
        self.assertEqual(
            (self.lift.serial_no, self.lift.site_id, self.lift.state), ("EQA-2", self.site_acacias, "decommissioned")
        )

    @mute_logger("odoo.models")
    def test_status_changes_through_its_buttons_only(self):
        warranty_state = self.lift.warranty_state
        for user in (self.dispatcher, self.manager):
            lift = self.lift.with_user(user)
            for vals in (
                {"state": "out_of_order"},
                {"state": "decommissioned", "decommission_date": date(2026, 1, 1)},
                {"out_of_order_date": date(2026, 1, 1)},
                {"decommission_date": date(2026, 1, 1)},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaisesMessage(UserError, "through its Out of Order, In Service and Decommission"):
                        lift.write(vals)
            with self.assertRaisesMessage(AccessError, "set by the application"):
                lift.write({"warranty_state": "expired"})
        Equipment = self.env["service.equipment"].with_user(self.dispatcher)
        count = Equipment.search_count([])
        for vals in ({"state": "decommissioned"}, {"out_of_order_date": date(2026, 1, 1)}):
            with self.subTest(create=vals):
                with self.assertRaisesMessage(UserError, "through its Out of Order, In Service and Decommission"):
                    Equipment.create({"name": "Lift Z", "partner_id": self.customer.id, **vals})
        self.assertEqual(Equipment.search_count([]), count)
        self.assertEqual(self._snapshot()["state"], "in_service")
        self.lift.invalidate_recordset()
        self.assertEqual(self.lift.warranty_state, warranty_state)
        new = Equipment.create({"name": "Lift Y", "partner_id": self.customer.id, "state": "in_service"})
        self.assertEqual(new.state, "in_service", "a new equipment is in service")
        lift = self.lift.with_user(self.dispatcher)
        lift.action_set_out_of_order()
        lift.action_set_in_service()
        lift.action_decommission()
        self.assertEqual((self.lift.state, self.lift.decommission_date), ("decommissioned", date.today()))
