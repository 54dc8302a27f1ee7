from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceIntervention(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["service.zone"].create({"name": "Lyon Nord", "code": "LN"})
        cls.site_tilleuls.service_zone_id = cls.zone
        cls.lift = cls._create_equipment()
        cls.contract = cls._create_contract(
            sla_response_hours=4,
            sla_resolution_hours=24,
            lines=[
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "price_unit": 900.0,
                        "equipment_ids": [fields.Command.set(cls.lift.ids)],
                    }
                )
            ],
        )
        cls.contract.action_start()
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")
        cls.Intervention = cls.env["service.intervention"]

    def _create_intervention(self, **vals):
        values = {"partner_id": self.customer.id, "equipment_id": self.lift.id}
        values.update(vals)
        return self.Intervention.create(values)

    def test_proposals_from_equipment_and_site(self):
        intervention = self._create_intervention(call_date=datetime(2025, 3, 3, 8, 0), priority="1")
        self.assertTrue(intervention.name.startswith("INT/"))
        self.assertEqual(intervention.contract_id, self.contract, "proposed from the equipment's contract")
        self.assertEqual(intervention.zone_id, self.zone, "from the equipment's site")
        self.assertEqual(intervention.state, "new")
        self.assertEqual(intervention.response_deadline, datetime(2025, 3, 3, 12, 0))
        self.assertEqual(intervention.resolution_deadline, datetime(2025, 3, 4, 8, 0))

    def test_planning_moves_to_planned_and_refuses_double_booking(self):
        first = self._create_intervention(
            user_id=self.technician.id, planned_start=datetime(2025, 3, 3, 23, 0), planned_duration=2.0
        )
        self.assertEqual(first.state, "planned")
        self.assertEqual(first.planned_end, datetime(2025, 3, 4, 1, 0))
        with self.assertRaisesMessage(ValidationError, "already booked"):
            self._create_intervention(user_id=self.technician.id, planned_start=datetime(2025, 3, 4, 0, 30))
        with self.assertRaisesMessage(ValidationError, "already booked"):
            self._create_intervention(
                user_id=self.other_technician.id,
                helper_ids=[fields.Command.set(self.technician.ids)],
                planned_start=datetime(2025, 3, 3, 22, 30),
            )
        after = self._create_intervention(user_id=self.technician.id, planned_start=datetime(2025, 3, 4, 1, 0))
        self.assertEqual(after.state, "planned", "back to back is fine")
        unplanned = self._create_intervention()
        with self.assertRaisesMessage(ValidationError, "already booked"):
            unplanned.write({"user_id": self.technician.id, "planned_start": datetime(2025, 3, 4, 1, 30)})
        self.assertFalse(unplanned.user_id, "nothing was written")
        first.action_cancel()
        unplanned.write({"user_id": self.technician.id, "planned_start": datetime(2025, 3, 3, 23, 30)})
        self.assertEqual(unplanned.state, "planned", "a cancelled intervention frees the slot")

    def test_start_finish_and_sla_breach(self):
        intervention = self._create_intervention(
            call_date=datetime(2025, 3, 3, 8, 0), user_id=self.technician.id, planned_start=datetime(2025, 3, 3, 14, 0)
        )
        with freeze_time("2025-03-03 13:00:00"):
            intervention.with_user(self.technician).action_start()
        self.assertEqual(intervention.state, "in_progress")
        self.assertTrue(intervention.sla_breached, "reached the site after the 4 h response time")
        with freeze_time("2025-03-03 15:30:00"):
            intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.state, "done")
        self.assertEqual(intervention.actual_duration, 2.5)
        with self.assertRaisesMessage(UserError, "cannot be cancelled"):
            intervention.action_cancel()

    def test_coverage_decision(self):
        covered = self._create_intervention(call_date=datetime(2025, 3, 3, 8, 0))
        self.assertEqual(covered.coverage, "contract")
        self.assertIn("Labour included", covered.coverage_reason)
        self.env["service.equipment.warranty"].create(
            {"equipment_id": self.lift.id, "date_start": "2025-01-01", "date_end": "2025-12-31", "cover_labour": True}
        )
        under_warranty = self._create_intervention(call_date=datetime(2025, 3, 3, 8, 0))
        self.assertEqual(under_warranty.coverage, "warranty")
        self.assertIn("Lift A", under_warranty.coverage_reason)
        after_warranty = self._create_intervention(call_date=datetime(2026, 1, 5, 8, 0))
        self.assertEqual(after_warranty.coverage, "contract")
        boiler = self._create_equipment(name="Boiler", site_id=self.site_acacias.id)
        uncovered = self._create_intervention(equipment_id=boiler.id, call_date=datetime(2025, 3, 3, 8, 0))
        self.assertFalse(uncovered.contract_id)
        self.assertEqual(uncovered.coverage, "billable")
        self.assertEqual(uncovered.coverage_reason, "No contract or warranty covers this work")

    @freeze_time("2025-03-01 08:00:00")
    def test_counts_and_next_visit_on_customer_site_and_equipment(self):
        past = self._create_intervention(user_id=self.technician.id, planned_start=datetime(2025, 2, 3, 9, 0))
        later = self._create_intervention(user_id=self.technician.id, planned_start=datetime(2025, 4, 7, 9, 0))
        sooner = self._create_intervention(user_id=self.other_technician.id, planned_start=datetime(2025, 3, 10, 9, 0))
        elsewhere = self._create_intervention(equipment_id=False, site_id=self.site_acacias.id)
        self.assertEqual(self.lift.intervention_count, 3)
        self.assertEqual(self.lift.next_visit, sooner.planned_start)
        sooner.action_cancel()
        self.assertEqual(self.lift.next_visit, later.planned_start, "cancelled work is not a visit")
        self.assertEqual(self.customer.service_intervention_count, 4)
        self.assertEqual(self.site_tilleuls.service_intervention_count, 3)
        self.assertEqual(self.site_acacias.service_intervention_count, 1)
        action = self.site_acacias.action_view_service_interventions()
        self.assertEqual(self.Intervention.search(action["domain"]), elsewhere)
        action = self.lift.action_view_interventions()
        self.assertEqual(self.Intervention.search(action["domain"]), past | later | sooner)

    def test_service_order_knows_when_all_are_done(self):
        order = self.env["service.order"].create({"name": "Lift modernisation", "partner_id": self.customer.id})
        visits = self.Intervention.create(
            [
                {"partner_id": self.customer.id, "service_order_id": order.id, "intervention_type": "installation"}
                for _index in range(3)
            ]
        )
        self.assertEqual(order.intervention_count, 3)
        for visit in visits[:2]:
            visit.action_start()
            visit.action_done()
        self.assertFalse(order.is_done)
        visits[2].action_start()
        visits[2].action_done()
        self.assertTrue(order.is_done)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_technicians_see_only_their_own_work(self):
        mine = self._create_intervention(user_id=self.technician.id)
        helping = self._create_intervention(
            user_id=self.other_technician.id, helper_ids=[fields.Command.set(self.technician.ids)]
        )
        theirs = self._create_intervention(user_id=self.other_technician.id)
        visible = self.Intervention.with_user(self.technician).search([("id", "in", (mine | helping | theirs).ids)])
        self.assertEqual(visible, mine | helping)
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.Intervention.with_user(self.technician).create({"partner_id": self.customer.id})
        self.assertEqual(self.Intervention.with_user(self.dispatcher).search_count([("id", "in", theirs.ids)]), 1)
        self.assertFalse(self.Intervention.with_user(self.dispatcher_b).search([("id", "in", theirs.ids)]))
