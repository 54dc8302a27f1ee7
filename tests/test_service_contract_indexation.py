from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceContractIndexation(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.index = cls.env["service.index"].create({"name": "Test Syntec", "code": "TSYN"})
        cls.env["service.index.value"].create(
            [
                {"index_id": cls.index.id, "date": "2025-10-01", "value": 100.0},
                {"index_id": cls.index.id, "date": "2025-12-17", "value": 105.0},
            ]
        )
        cls.contract = cls._create_contract(
            indexation_method="index",
            index_id=cls.index.id,
            index_base_value=100.0,
            index_fixed_part=0.15,
            index_variable_part=0.85,
            index_lag_months=1,
            lines=[
                fields.Command.create({"product_id": cls.service_product.id, "price_unit": 1000.0}),
                fields.Command.create({"product_id": cls.service_product.id, "price_unit": 1234.56}),
            ],
        )
        cls.contract.action_start()

    def test_revision_by_index_formula(self):
        self.assertEqual(self.contract.next_revision_date, date(2026, 1, 1))
        self.assertEqual(self.index._get_value_for_month(date(2025, 12, 1)), 105.0, "stored on the month's first day")
        wizard = self.env["service.contract.revise.wizard"].create(
            {"contract_ids": [fields.Command.set(self.contract.ids)], "date": date(2026, 1, 1)}
        )
        wizard.action_revise()
        self.assertEqual(self.contract.line_ids.mapped("price_unit"), [1042.5, 1287.03])
        amendment = self.contract.amendment_ids
        self.assertEqual(amendment.amendment_type, "indexation")
        self.assertEqual(sorted(amendment.change_ids.mapped("old_value")), ["1000", "1234.56"])
        self.assertEqual(self.contract.index_base_value, 105.0, "the next revision starts from this value")
        self.assertEqual(self.contract.next_revision_date, date(2027, 1, 1))

    def test_missing_index_value_refused_and_nothing_changed(self):
        other = self._create_contract(indexation_method="percentage", indexation_percentage=2.5)
        other.action_start()
        with self.assertRaisesMessage(UserError, "value of the index Test Syntec for 01/2026 is missing"):
            (other | self.contract).revise_prices(date(2026, 2, 1))
        self.assertEqual(self.contract.line_ids.mapped("price_unit"), [1000.0, 1234.56])
        self.assertEqual(other.line_ids.price_unit, 1000.0, "the whole revision is refused")
        self.assertFalse((other | self.contract).amendment_ids)

    def test_revision_without_price_change_is_noted(self):
        contract = self._create_contract(
            indexation_method="index", index_id=self.index.id, index_base_value=105.0, index_lag_months=1
        )
        contract.action_start()
        contract.revise_prices(date(2026, 1, 1))
        self.assertEqual(contract.line_ids.price_unit, 1000.0, "the index has not moved")
        self.assertFalse(contract.amendment_ids, "no amendment without a change")
        self.assertEqual(contract.next_revision_date, date(2027, 1, 1))
        note = contract.message_ids.filtered(lambda message: "no price changes" in str(message.body))
        self.assertEqual(len(note), 1)
        self.assertIn("Test Syntec 105.0", str(note.body))
        self.assertEqual(note.tracking_value_ids.field_id.name, "next_revision_date")
        self.assertEqual(note.tracking_value_ids.old_value_datetime.date(), date(2026, 1, 1))

    def test_percentage_revision(self):
        contract = self._create_contract(indexation_method="percentage", indexation_percentage=2.5)
        contract.action_start()
        contract.revise_prices(date(2026, 1, 1))
        self.assertEqual(contract.line_ids.price_unit, 1025.0)

    def test_cron_revises_due_contracts_and_blocks_once(self):
        Contract = self.env["service.contract"]
        blocked = self._create_contract(
            indexation_method="index", index_id=self.index.id, index_base_value=100.0, date_start=date(2025, 3, 1)
        )
        blocked.action_start()
        with freeze_time("2026-03-05"):
            Contract._cron_revise_prices()
            Contract._cron_revise_prices()
        self.assertEqual(self.contract.line_ids[0].price_unit, 1042.5)
        self.assertEqual(blocked.line_ids.price_unit, 1000.0)
        self.assertEqual(len(blocked.activity_ids), 1, "one activity, however many runs")
        self.assertIn("missing", blocked.activity_ids.note)
