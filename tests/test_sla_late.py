from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from ..helpers import sla
from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestSlaLate(ServiceCommon):
    """Open work is flagged late as soon as it misses its response or resolution deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        cls.Intervention = cls.env["service.intervention"]
        # call on 3 March 08:00: respond by 12:00, resolve by 4 March 08:00
        cls.call = datetime(2025, 3, 3, 8, 0)

    def _create(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "equipment_id": self.lift.id,
            "call_date": self.call,
            "dispatcher_id": self.dispatcher.id,
        }
        values.update(vals)
        return self.Intervention.with_user(self.dispatcher).create(values)

    def _run_cron(self):
        self.Intervention._cron_refresh_sla_late()

    def _activities(self, interventions):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "service.intervention"),
                ("res_id", "in", interventions.ids),
                ("activity_type_id", "=", self.env.ref("service_management.mail_activity_type_sla_late").id),
            ]
        )

    def test_helper(self):
        resp, reso = datetime(2025, 3, 3, 12, 0), datetime(2025, 3, 4, 8, 0)
        self.assertFalse(sla.is_late(datetime(2025, 3, 3, 11, 0), resp, reso))
        self.assertTrue(sla.is_late(datetime(2025, 3, 3, 12, 1), resp, reso), "no start after the response time")
        self.assertFalse(sla.is_late(datetime(2025, 3, 3, 13, 0), resp, reso, start=datetime(2025, 3, 3, 11, 0)))
        self.assertTrue(sla.is_late(datetime(2025, 3, 3, 13, 0), resp, reso, start=datetime(2025, 3, 3, 12, 30)))
        self.assertTrue(
            sla.is_late(datetime(2025, 3, 4, 9, 0), resp, reso, start=datetime(2025, 3, 3, 11, 0)), "no finish"
        )
        self.assertTrue(
            sla.is_late(datetime(2025, 3, 3, 9, 0), resp, reso, planned_start=datetime(2025, 3, 3, 14, 0)),
            "planned after the response deadline",
        )
        self.assertTrue(
            sla.is_late(
                datetime(2025, 3, 3, 9, 0),
                resp,
                reso,
                start=datetime(2025, 3, 3, 10, 0),
                planned_end=datetime(2025, 3, 4, 10, 0),
            ),
            "planned to end after the resolution deadline",
        )
        self.assertFalse(sla.is_late(datetime(2030, 1, 1), False, False), "no SLA, never late")

    def test_flagged_by_the_job_once_the_deadline_passes(self):
        with freeze_time("2025-03-03 09:00:00"):
            intervention = self._create()
            self.assertEqual(intervention.response_deadline, datetime(2025, 3, 3, 12, 0))
            self.assertFalse(intervention.sla_late)
            self._run_cron()
            self.assertFalse(intervention.sla_late, "still in time")
        with freeze_time("2025-03-03 12:15:00"):
            self.assertFalse(intervention.sla_late, "stored: refreshed by the job")
            self._run_cron()
            self.assertTrue(intervention.sla_late)
            self.assertIn(intervention, self.Intervention.search([("sla_late", "=", True)]), "searchable")
            self.assertEqual(len(self._activities(intervention)), 1)
            self.assertEqual(self._activities(intervention).user_id, self.dispatcher)
            self._run_cron()
            self.assertEqual(len(self._activities(intervention)), 1, "the dispatcher is warned once")

    def test_started_in_time_is_late_only_without_a_finish(self):
        with freeze_time("2025-03-03 10:00:00"):
            intervention = self._create(user_id=self.technician.id)
            intervention.with_user(self.technician).action_start()
        with freeze_time("2025-03-03 18:00:00"):
            self._run_cron()
            self.assertFalse(intervention.sla_late, "started in time, resolution deadline not reached")
            self.assertFalse(self._activities(intervention))
        with freeze_time("2025-03-04 08:30:00"):
            self._run_cron()
            self.assertTrue(intervention.sla_late, "not finished by the resolution deadline")
            intervention.with_user(self.technician).action_done()
            self.assertFalse(intervention.sla_late, "closed: no longer late, the breach says the rest")
            self.assertTrue(intervention.sla_breached)

    def test_planned_after_the_deadline_is_late_at_once(self):
        with freeze_time("2025-03-03 09:00:00"):
            intervention = self._create(user_id=self.technician.id, planned_start=datetime(2025, 3, 3, 10, 0))
            self.assertFalse(intervention.sla_late)
            intervention.with_user(self.dispatcher).planned_start = datetime(2025, 3, 3, 14, 0)
            self.assertTrue(intervention.sla_late, "planned after the response deadline")
            intervention.write({"planned_start": datetime(2025, 3, 3, 10, 0), "planned_duration": 30.0})
            self.assertTrue(intervention.sla_late, "planned to end after the resolution deadline")
            intervention.planned_duration = 2.0
            self.assertFalse(intervention.sla_late)

    def test_planned_work_has_no_service_level(self):
        with freeze_time("2025-03-03 09:00:00"):
            breakdown = self._create(user_id=self.technician.id)
            self.assertEqual(breakdown.response_deadline, datetime(2025, 3, 3, 12, 0))
            for day, intervention_type in enumerate(("preventive", "inspection", "installation"), start=5):
                with self.subTest(intervention_type=intervention_type):
                    visit = self._create(
                        intervention_type=intervention_type,
                        user_id=self.technician.id,
                        planned_start=datetime(2025, 3, day, 14, 0),
                    )
                    self.assertFalse(visit.response_deadline or visit.resolution_deadline)
                    self.assertFalse(visit.sla_late, "planned for its own day, not answering a call")
            breakdown.intervention_type = "preventive"
            self.assertFalse(breakdown.resolution_deadline, "requalified as planned work")

    def test_without_dispatcher_a_service_manager_of_the_company_is_warned(self):
        manager_b = self._create_service_user("manager_b", "service_management.group_service_manager")
        manager_b.write({"company_ids": [fields.Command.set(self.company_b.ids)], "company_id": self.company_b.id})
        with freeze_time("2025-03-05 09:00:00"):
            intervention = self._create(dispatcher_id=False)
            self._run_cron()
        activity = self._activities(intervention)
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("service_management.group_service_manager"))
        self.assertIn(self.company, activity.user_id.company_ids, "a manager of the intervention's company")
        self.assertNotEqual(activity.user_id, manager_b)
        self.assertIn(intervention.name, activity.summary)

    def test_filter_ribbon_and_badges(self):
        form = self.Intervention.with_user(self.dispatcher).get_view(view_type="form")["arch"]
        self.assertIn('title="SLA Late"', form)
        kanban = self.Intervention.with_user(self.dispatcher).get_view(view_type="kanban")["arch"]
        self.assertIn("o_service_sla_late", kanban)
        search = self.Intervention.with_user(self.dispatcher).get_view(view_type="search")["arch"]
        self.assertIn('name="sla_late"', search)
        with freeze_time("2025-03-05 09:00:00"):
            intervention = self._create(user_id=self.technician.id, planned_start=datetime(2025, 3, 5, 10, 0))
            data = self.Intervention.with_user(self.dispatcher).get_dispatch_board_data("2025-03-05")
        cards = [card for card in self._cards(data["cells"]) if card.get("id") == intervention.id]
        self.assertTrue(cards and cards[0]["sla_late"], "the dispatch board card says it is late")

    def _cards(self, value):
        if isinstance(value, dict):
            if "sla_late" in value:
                yield value
            else:
                for item in value.values():
                    yield from self._cards(item)
        elif isinstance(value, list):
            for item in value:
                yield from self._cards(item)
