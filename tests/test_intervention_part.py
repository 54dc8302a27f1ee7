import ast
from datetime import datetime

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestInterventionPart(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lift = cls._create_equipment()
        cls.contract = cls._create_contract(
            lines=[
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "price_unit": 900.0,
                        "cover_parts": "billable",
                        "equipment_ids": [fields.Command.set(cls.lift.ids)],
                    }
                )
            ],
        )
        cls.contract.action_start()
        cls.door_sensor = cls.env["product.product"].create(
            {"name": "Door Sensor", "type": "consu", "list_price": 85.5, "is_service_spare_part": True}
        )
        cls.intervention = cls.env["service.intervention"].create(
            {
                "partner_id": cls.customer.id,
                "equipment_id": cls.lift.id,
                "user_id": cls.technician.id,
                "call_date": datetime(2025, 3, 3, 8, 0),
            }
        )

    def _add_part(self, user=None, **vals):
        values = {"intervention_id": self.intervention.id, "product_id": self.door_sensor.id, "quantity": 2}
        values.update(vals)
        return self.env["service.intervention.part"].with_user(user or self.env.user).create(values)

    def test_part_picker_offers_spare_parts_only_searchable_by_code(self):
        nozzle, furniture = self.env["product.product"].create(
            [
                {"name": "Burner Nozzle 0.60 GPH", "default_code": "BN-060", "is_service_spare_part": True},
                {"name": "Office desk BN-060 edition", "default_code": "DESK-1"},
            ]
        )
        domain = ast.literal_eval(self.env["service.intervention.part"]._fields["product_id"].domain)
        Product = self.env["product.product"].with_user(self.technician)
        found = [product_id for product_id, __ in Product.name_search("BN-06", domain)]
        self.assertEqual(found, nozzle.ids, "found by its internal reference, the office furniture is not a part")
        offered = Product.search(domain)
        self.assertIn(self.door_sensor, offered)
        self.assertNotIn(self.product_lift, offered, "the equipment sold is not a spare part")
        self.assertNotIn(furniture, offered)

    def test_technician_records_spare_parts_only_whatever_the_door(self):
        mine = self.intervention.with_user(self.technician)
        with self.assertRaisesMessage(ValidationError, "Elevatis E-300 630 kg is not a spare part"):
            self._add_part(user=self.technician, product_id=self.product_lift.id)
        with self.assertRaisesMessage(ValidationError, "is not a spare part"):
            mine.write({"part_ids": [fields.Command.create({"product_id": self.product_lift.id, "quantity": 1})]})
        self.assertFalse(self.intervention.part_ids, "nothing was recorded")
        part = self._add_part(user=self.technician)
        with self.assertRaisesMessage(ValidationError, "is not a spare part"):
            part.with_user(self.technician).write({"product_id": self.product_lift.id})
        self.assertEqual(part.product_id, self.door_sensor)
        part.with_user(self.technician).write({"quantity": 3})
        self.assertEqual(part.quantity, 3, "a technician still changes the quantity of a spare part")

    def test_dispatcher_may_record_any_product_as_a_part(self):
        part = self._add_part(user=self.dispatcher, product_id=self.product_lift.id, quantity=1)
        self.assertEqual(part.product_id, self.product_lift)

    def test_price_and_subtotal_from_the_catalog(self):
        part = self._add_part()
        self.assertEqual(part.name, "Door Sensor")
        self.assertEqual(part.product_uom_id, self.door_sensor.uom_id)
        self.assertEqual(part.price_unit, 85.5)
        self.assertEqual(part.price_subtotal, 171.0)
        self.assertFalse(part.covered)
        self.assertEqual(self.intervention.part_ids, part)

    def test_parts_covered_by_warranty_or_contract(self):
        part = self._add_part()
        self.env["service.equipment.warranty"].create(
            {"equipment_id": self.lift.id, "date_start": "2025-01-01", "date_end": "2025-12-31", "cover_parts": True}
        )
        self.assertTrue(part.covered)
        self.intervention.planned_start = datetime(2026, 2, 2, 9, 0)
        self.assertFalse(part.covered, "The warranty has ended on the day of the work.")
        self.contract.line_ids.cover_parts = "included"
        self.assertTrue(part.covered)

    def test_quantity_must_be_positive(self):
        with self.assertRaisesMessage(ValidationError, "The quantity of a part must be positive."):
            self._add_part(quantity=0)
        self.assertFalse(self.intervention.part_ids)

    def test_technician_records_parts_but_not_prices(self):
        with self.assertRaisesMessage(AccessError, "A technician may not change"):
            self._add_part(user=self.technician, price_unit=1.0)
        self.assertFalse(self.intervention.part_ids, "nothing created")
        part = self._add_part(user=self.technician).with_env(self.env)
        self.assertEqual(part.price_unit, 85.5, "the catalog price applies")
        self.assertFalse(self.intervention.with_user(self.technician).can_edit_prices)
        part.with_user(self.technician).write({"quantity": 3})
        self.assertEqual(part.price_subtotal, 256.5)
        with self.assertRaisesMessage(AccessError, "A technician may not change"):
            part.with_user(self.technician).write({"price_unit": 10.0})
        self.assertEqual(part.price_unit, 85.5)
        part.with_user(self.dispatcher).write({"price_unit": 70.0})
        self.assertEqual(part.price_subtotal, 210.0)
        self.assertTrue(self.intervention.with_user(self.dispatcher).can_edit_prices)

    def test_technician_cannot_see_parts_of_others_work_nor_other_companies(self):
        part = self._add_part()
        other = self._create_service_user("technician_other", "service_management.group_service_technician")
        with self.assertRaises(AccessError):
            part.with_user(other).read(["price_unit"])
        with self.assertRaises(AccessError):
            part.with_user(self.dispatcher_b).read(["price_unit"])
        self.assertEqual(part.with_user(self.credit_controller).price_subtotal, 171.0)
