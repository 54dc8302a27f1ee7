from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestSecurity(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lift = cls._create_equipment(serial_no="SEC-1")
        cls.equipment_b = cls._create_equipment(
            name="Boiler B",
            serial_no="SEC-1",
            company_id=cls.company_b.id,
            partner_id=cls.other_customer.id,
            site_id=cls.other_customer.id,
            category_id=False,
            product_id=False,
        )

    def _new_equipment_vals(self):
        return {"name": "Lift C", "partner_id": self.customer.id, "site_id": self.site_acacias.id}

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_technician_reads_and_updates_status_only(self):
        lift = self.lift.with_user(self.technician)
        self.assertEqual(lift.name, "Lift A")
        lift.action_set_out_of_order()
        self.assertEqual(lift.state, "out_of_order")
        with self.assertRaises(AccessError):
            self.env["service.equipment"].with_user(self.technician).create(self._new_equipment_vals())
        with self.assertRaises(AccessError):
            lift.unlink()
        with self.assertRaises(AccessError):
            self.env["service.equipment.warranty"].with_user(self.technician).create(
                {"equipment_id": self.lift.id, "date_start": "2025-01-01", "date_end": "2025-12-31"}
            )
        with self.assertRaises(AccessError):
            self.category_lift.with_user(self.technician).name = "Elevators"

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_service_user_creates_and_edits_but_does_not_delete(self):
        Equipment = self.env["service.equipment"].with_user(self.dispatcher)
        equipment = Equipment.create(self._new_equipment_vals())
        equipment.serial_no = "SEC-2"
        warranty = (
            self.env["service.equipment.warranty"]
            .with_user(self.dispatcher)
            .create({"equipment_id": equipment.id, "date_start": "2025-01-01", "date_end": "2025-12-31"})
        )
        self.assertEqual(equipment.warranty_ids, warranty)
        with self.assertRaises(AccessError):
            equipment.unlink()
        with self.assertRaises(AccessError):
            self.env["service.equipment.category"].with_user(self.dispatcher).create({"name": "Escalators"})

    def test_manager_does_everything(self):
        Equipment = self.env["service.equipment"].with_user(self.manager)
        equipment = Equipment.create(self._new_equipment_vals())
        category = self.env["service.equipment.category"].with_user(self.manager).create({"name": "Escalators"})
        equipment.category_id = category
        equipment.unlink()
        category.unlink()
        self.assertFalse(equipment.exists())

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_credit_controller_reads_only(self):
        lift = self.lift.with_user(self.credit_controller)
        self.assertEqual(lift.partner_id, self.customer)
        with self.assertRaises(AccessError):
            lift.name = "Renamed"

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_company_b_sees_none_of_company_a(self):
        Equipment = self.env["service.equipment"].with_user(self.dispatcher_b)
        self.assertEqual(Equipment.search([("serial_no", "=", "SEC-1")]), self.equipment_b)
        self.assertFalse(Equipment.search([("company_id", "=", self.company.id)]))
        with self.assertRaises(AccessError):
            self.lift.with_user(self.dispatcher_b).read(["name"])
        Warranty = self.env["service.equipment.warranty"]
        Warranty.create({"equipment_id": self.lift.id, "date_start": "2025-01-01", "date_end": "2025-12-31"})
        self.assertFalse(Warranty.with_user(self.dispatcher_b).search([("equipment_id", "=", self.lift.id)]))

    def test_categories_shared_unless_owned_by_a_company(self):
        Category = self.env["service.equipment.category"]
        private_a = Category.create({"name": "Escalators", "company_id": self.company.id})
        visible_b = Category.with_user(self.dispatcher_b).search([])
        self.assertIn(self.category_lift, visible_b)
        self.assertNotIn(private_a, visible_b)
