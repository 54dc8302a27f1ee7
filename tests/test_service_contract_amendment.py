from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceContractAmendment(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lift = cls._create_equipment(name="Lift A")
        cls.lift_b = cls._create_equipment(name="Lift B")
        cls.contract = cls._create_contract(
            lines=[
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "price_unit": 1000.0,
                        "quantity": 1,
                        "equipment_ids": [fields.Command.set(cls.lift.ids)],
                    }
                )
            ]
        )
        cls.contract.action_start()
        cls.line = cls.contract.line_ids

    def _amend(self, on_date, **values):
        form = Form(self.env["service.contract.amend.wizard"].with_context(default_contract_id=self.contract.id))
        form.date = on_date
        form.reason = "Customer request"
        with form.line_ids.edit(0) as line:
            for fname, value in values.items():
                setattr(line, fname, value)
        return form.save().action_amend()

    @freeze_time("2025-06-15")
    def test_amendment_effective_in_the_past(self):
        self._amend(date(2025, 4, 1), price_unit=1100.0, cover_parts="included")
        amendment = self.contract.amendment_ids
        self.assertEqual(amendment.state, "applied")
        self.assertEqual(amendment.name, f"{self.contract.name}-A01")
        self.assertEqual(amendment.user_id, self.env.user)
        self.assertEqual(self.line.price_unit, 1100.0)
        self.assertEqual(self.line.cover_parts, "included")
        by_field = {change.field_name: change for change in amendment.change_ids}
        self.assertEqual((by_field["price_unit"].old_value, by_field["price_unit"].new_value), ("1000", "1100"))
        self.assertEqual(by_field["cover_parts"].new_value, "Included")
        before = self.line._get_values_at(date(2025, 3, 31))[self.line]
        after = self.line._get_values_at(date(2025, 4, 1))[self.line]
        self.assertEqual((before["price_unit"], before["cover_parts"]), (1000.0, "billable"))
        self.assertEqual((after["price_unit"], after["cover_parts"]), (1100.0, "included"))

    @freeze_time("2025-06-15")
    def test_amendment_effective_in_the_future(self):
        self._amend(date(2025, 9, 1), quantity=2.0)
        self._amend(date(2025, 10, 1), equipment_ids=self.lift | self.lift_b)
        first, second = self.contract.amendment_ids.sorted("date")
        self.assertEqual((first.state, second.state), ("scheduled", "scheduled"))
        self.assertEqual(second.name, f"{self.contract.name}-A02")
        self.assertEqual(self.line.quantity, 1.0, "not in force yet")
        self.assertEqual(self.line._get_values_at(date(2025, 9, 1))[self.line]["quantity"], 2.0)
        self.assertEqual(self.line._get_values_at(date(2025, 9, 30))[self.line]["equipment_ids"], self.lift)
        self.assertEqual(
            self.line._get_values_at(date(2025, 10, 1))[self.line]["equipment_ids"], self.lift | self.lift_b
        )
        Amendment = self.env["service.contract.amendment"]
        with freeze_time("2025-09-01"):
            self.assertEqual(Amendment._cron_apply_amendments(), 1)
            self.assertEqual(Amendment._cron_apply_amendments(), 0)
        self.assertEqual(self.line.quantity, 2.0)
        self.assertEqual(self.line.equipment_ids, self.lift)
        with freeze_time("2025-10-01"):
            Amendment._cron_apply_amendments()
        self.assertEqual(self.line.equipment_ids, self.lift | self.lift_b)
        self.assertEqual(self.contract.equipment_count, 2)

    def test_amendment_without_change_refused(self):
        with self.assertRaisesMessage(UserError, "Nothing was changed"):
            self._amend(date(2025, 3, 1))
        self.assertFalse(self.contract.amendment_ids)

    def test_applied_amendment_cannot_be_deleted(self):
        self._amend(date(2025, 3, 1), discount=5.0)
        with self.assertRaisesMessage(UserError, "cannot be deleted"):
            self.contract.amendment_ids.unlink()
