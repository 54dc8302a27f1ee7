from datetime import date, datetime, time, timedelta

import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ServiceCommon

MONDAY = date(2025, 3, 3)  # Paris is UTC+1 that week


@tagged("post_install", "-at_install")
class TestDispatch(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Europe/Paris"))
        cls.zone_north = cls.env["service.zone"].create({"name": "North (test)", "code": "TN"})
        cls.zone_south = cls.env["service.zone"].create({"name": "South (test)", "code": "TS"})
        cls.zone_b = cls.env["service.zone"].create(
            {"name": "Zone B (test)", "code": "TB", "company_id": cls.company_b.id}
        )
        cls.site_tilleuls.service_zone_id = cls.zone_north
        cls.site_acacias.service_zone_id = cls.zone_south
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "40 hours (test)", "tz": "Europe/Paris", "company_id": cls.company.id}
        )
        cls.part_time = cls.env["resource.calendar"].create(
            {
                "name": "Mondays (test)",
                "tz": "Europe/Paris",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create({"name": "Monday", "dayofweek": "0", "hour_from": 8, "hour_to": 12}),
                    Command.create({"name": "Monday", "dayofweek": "0", "hour_from": 13, "hour_to": 17}),
                ],
            }
        )
        cls.technician.write(
            {"name": "Jean Test", "tz": "Europe/Paris", "service_zone_ids": [Command.set(cls.zone_north.ids)]}
        )
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")
        cls.other_technician.write(
            {"name": "Paul Test", "tz": "Europe/Paris", "service_zone_ids": [Command.set(cls.zone_south.ids)]}
        )
        cls.technician_b = new_test_user(
            cls.env,
            login="technician_b",
            groups="service_management.group_service_technician",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            tz="Europe/Paris",
        )
        cls.technician_b.service_zone_ids = cls.zone_b
        cls.env["resource.resource"].create(
            [
                {
                    "name": "Technician",
                    "user_id": cls.technician.id,
                    "calendar_id": cls.calendar.id,
                    "tz": "Europe/Paris",
                },
                {
                    "name": "Technician 2",
                    "user_id": cls.other_technician.id,
                    "calendar_id": cls.part_time.id,
                    "tz": "Europe/Paris",
                },
            ]
        )
        cls.dispatcher.tz = "Europe/Paris"
        cls.Intervention = cls.env["service.intervention"]

    def _create_intervention(self, **vals):
        values = {"partner_id": self.customer.id, "site_id": self.site_tilleuls.id}
        values.update(vals)
        return self.Intervention.create(values)

    @staticmethod
    def _utc(day, hour, minute=0):
        """``day`` at ``hour`` in Paris (UTC+1 in early March 2025), as the naive UTC datetime Odoo stores."""
        return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour - 1, minutes=minute)

    # ------------------------------------------------------------------
    # Double booking
    # ------------------------------------------------------------------

    def test_double_booking_across_midnight_through_a_helper(self):
        night = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY, 23), planned_duration=2.0
        )
        with self.assertRaisesMessage(ValidationError, "Jean Test is already booked on INT/"):
            self._create_intervention(
                user_id=self.other_technician.id,
                helper_ids=[Command.set(self.technician.ids)],
                planned_start=self._utc(MONDAY + timedelta(days=1), 0, 30),
            )
        self.assertEqual(self.Intervention.search_count([("helper_ids", "in", self.technician.ids)]), 0)
        helped = self._create_intervention(
            user_id=self.other_technician.id,
            helper_ids=[Command.set(self.technician.ids)],
            planned_start=self._utc(MONDAY + timedelta(days=1), 1, 0),
        )
        self.assertEqual(helped.state, "planned", "right after the night job is fine")
        with self.assertRaisesMessage(ValidationError, f"already booked on {helped.name}"):
            night.planned_duration = 3.0
        self.assertEqual(night.planned_duration, 2.0)

    def test_batch_write_is_checked_at_once(self):
        first, second, third = self.Intervention.create(
            [
                {"partner_id": self.customer.id, "site_id": self.site_tilleuls.id},
                {"partner_id": self.customer.id, "site_id": self.site_tilleuls.id},
                {"partner_id": self.customer.id, "site_id": self.site_acacias.id},
            ]
        )
        batch = first | second | third
        with self.assertRaisesMessage(ValidationError, "already booked"):
            batch.write({"user_id": self.technician.id, "planned_start": self._utc(MONDAY, 9)})
        self.assertFalse(batch.user_id, "nothing was written")
        self.assertEqual(set(batch.mapped("state")), {"new"})
        # planned one after the other in one write: no conflict
        for index, intervention in enumerate(batch):
            intervention.planned_start = self._utc(MONDAY, 9 + index)
        batch.user_id = self.technician
        self.assertEqual(set(batch.mapped("state")), {"planned"})
        # one create of two overlapping jobs is refused too
        with self.assertRaisesMessage(ValidationError, "already booked"):
            self.Intervention.create(
                [
                    {
                        "partner_id": self.customer.id,
                        "user_id": self.other_technician.id,
                        "planned_start": self._utc(MONDAY, 14),
                        "planned_duration": 2.0,
                    },
                    {
                        "partner_id": self.customer.id,
                        "user_id": self.other_technician.id,
                        "planned_start": self._utc(MONDAY, 15),
                    },
                ]
            )

    def test_booking_check_is_one_query_whatever_the_batch(self):
        interventions = self.Intervention.create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.technician.id,
                    "helper_ids": [Command.set(self.other_technician.ids)],
                    "planned_start": self._utc(MONDAY + timedelta(days=day), 9),
                }
                for day in range(10)
            ]
        )
        self.env.flush_all()
        counts = []
        for batch in (interventions[:1], interventions):
            batch.invalidate_recordset()
            batch.mapped("planned_start"), batch.mapped("helper_ids")
            start = self.env.cr.sql_log_count
            self.assertEqual(batch._get_booking_conflicts(), {})
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], "the same queries for 1 or 10 interventions")
        self.assertLessEqual(counts[1], 1)

    def test_technician_neither_plans_nor_sees_the_conflicting_work(self):
        self._create_intervention(user_id=self.other_technician.id, planned_start=self._utc(MONDAY, 9))
        own = self._create_intervention(user_id=self.technician.id, planned_start=self._utc(MONDAY, 9, 30))
        with self.assertRaisesMessage(AccessError, "A technician may not change"):
            own.with_user(self.technician).write({"helper_ids": [Command.set(self.other_technician.ids)]})
        self.assertFalse(own.helper_ids)
        self.assertFalse(
            self.Intervention.with_user(self.technician).search([("user_id", "=", self.other_technician.id)]),
            "the check ran without showing the other technician's work",
        )

    # ------------------------------------------------------------------
    # Working hours and leaves
    # ------------------------------------------------------------------

    def test_planning_inside_hours_is_not_warned(self):
        intervention = self._create_intervention(user_id=self.technician.id, planned_start=self._utc(MONDAY, 9))
        self.assertFalse(intervention.planning_warning)
        afternoon = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY, 15), planned_duration=2.0
        )
        self.assertFalse(afternoon.planning_warning, "15:00 to 17:00 is inside the working hours")
        across_lunch = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY, 11), planned_duration=2.0
        )
        self.assertFalse(across_lunch.planning_warning, "the lunch break is part of the working day")

    def test_planning_outside_hours_is_warned(self):
        evening = self._create_intervention(user_id=self.technician.id, planned_start=self._utc(MONDAY, 17))
        self.assertIn("outside the working hours of Jean Test (40 hours (test))", evening.planning_warning)
        self.assertEqual(evening.state, "planned", "a warning, not a block")
        saturday = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY + timedelta(days=5), 9)
        )
        self.assertIn("outside the working hours", saturday.planning_warning)
        # the helper works on Mondays only
        tuesday = self._create_intervention(
            user_id=self.technician.id,
            helper_ids=[Command.set(self.other_technician.ids)],
            planned_start=self._utc(MONDAY + timedelta(days=1), 9),
        )
        self.assertEqual(tuesday.planning_warning, "Planned outside the working hours of Paul Test (Mondays (test)).")
        tuesday.helper_ids = False
        self.assertFalse(tuesday.planning_warning)
        # work started is no longer warned
        evening.action_start()
        self.assertFalse(evening.planning_warning)

    def test_planning_follows_the_technician_timezone(self):
        intervention = self._create_intervention(user_id=self.technician.id, planned_start=self._utc(MONDAY, 9))
        self.assertFalse(intervention.planning_warning)
        self.technician.tz = "Asia/Tokyo"  # 17:00 to 18:00 there
        intervention.invalidate_recordset(["planning_warning"])
        self.assertIn("outside the working hours", intervention.planning_warning)

    def test_planning_on_leave_is_warned(self):
        resource = self.technician.resource_ids
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Training",
                    "resource_id": resource.id,
                    "calendar_id": self.calendar.id,
                    "date_from": self._utc(MONDAY + timedelta(days=1), 0),
                    "date_to": self._utc(MONDAY + timedelta(days=1), 23, 59),
                },
                {
                    "name": "Public holiday",
                    "company_id": self.company.id,
                    "date_from": self._utc(MONDAY + timedelta(days=2), 0),
                    "date_to": self._utc(MONDAY + timedelta(days=2), 23, 59),
                },
            ]
        )
        monday, tuesday, wednesday = self.Intervention.create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.technician.id,
                    "planned_start": self._utc(MONDAY + timedelta(days=day), 9),
                }
                for day in range(3)
            ]
        )
        self.assertFalse(monday.planning_warning)
        self.assertEqual(tuesday.planning_warning, "Jean Test is on leave (Training) during this intervention.")
        self.assertEqual(wednesday.planning_warning, "Jean Test is on leave (Public holiday) during this intervention.")
        self.assertEqual(tuesday.state, "planned", "a warning, not a block")

    def test_warnings_are_computed_per_calendar_not_per_record(self):
        interventions = self.Intervention.create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.technician.id if day % 2 else self.other_technician.id,
                    "planned_start": self._utc(MONDAY + timedelta(days=day), 10),
                }
                for day in range(14)
            ]
        )
        self.env.flush_all()
        counts = []
        for batch in (interventions[:2], interventions):
            self.env.invalidate_all()
            batch.mapped("planned_end"), batch.mapped("helper_ids"), batch.user_id.mapped("resource_ids.calendar_id")
            start = self.env.cr.sql_log_count
            batch.mapped("planning_warning")
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], "the same queries for 2 or 14 interventions")
        # the part-timer works on Mondays only (6 days warned), the other one not at weekends (2)
        self.assertEqual(len(interventions.filtered("planning_warning")), 8)

    # ------------------------------------------------------------------
    # Dispatch board
    # ------------------------------------------------------------------

    def _board_fixture(self):
        monday_job = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY, 10), priority="1"
        )
        wednesday_job = self._create_intervention(
            site_id=self.site_acacias.id,
            user_id=self.other_technician.id,
            helper_ids=[Command.set(self.technician.ids)],
            planned_start=self._utc(MONDAY + timedelta(days=2), 14),
        )
        next_week = self._create_intervention(
            user_id=self.technician.id, planned_start=self._utc(MONDAY + timedelta(days=7), 10)
        )
        cancelled = self._create_intervention(user_id=self.technician.id, planned_start=self._utc(MONDAY, 14))
        cancelled.action_cancel()
        urgent_call = self._create_intervention(priority="3")
        low_call = self._create_intervention(site_id=self.site_acacias.id, priority="0")
        normal_call = self._create_intervention(priority="1")
        customer_b = self.env["res.partner"].create({"name": "Client B", "company_id": self.company_b.id})
        job_b = self.Intervention.with_company(self.company_b).create(
            {
                "partner_id": customer_b.id,
                "company_id": self.company_b.id,
                "zone_id": self.zone_b.id,
                "user_id": self.technician_b.id,
                "planned_start": self._utc(MONDAY, 10),
            }
        )
        return monday_job, wednesday_job, next_week, cancelled, urgent_call, low_call, normal_call, job_b

    def _card_ids(self, cards):
        return [card["id"] for card in cards]

    def test_board_rows_cells_and_unplanned(self):
        monday_job, wednesday_job, next_week, cancelled, urgent, low, normal, job_b = self._board_fixture()
        board = self.Intervention.with_user(self.dispatcher).get_dispatch_board_data("2025-03-05")
        self.assertEqual(board["week_start"], "2025-03-03", "any day gives its week, from Monday")
        self.assertEqual([day["date"] for day in board["days"]][-1], "2025-03-09")
        rows = {row["id"]: row for row in board["technicians"]}
        self.assertIn(self.technician.id, rows)
        self.assertIn(self.other_technician.id, rows)
        self.assertNotIn(self.technician_b.id, rows, "a technician of company B never appears for company A")
        self.assertEqual(rows[self.technician.id]["zones"], "North (test)")
        self.assertEqual(rows[self.technician.id]["calendar"], "40 hours (test)")
        cells = board["cells"]
        self.assertEqual(self._card_ids(cells[f"{self.technician.id}_2025-03-03"]), monday_job.ids)
        card = cells[f"{self.technician.id}_2025-03-03"][0]
        self.assertEqual(card["time"], "10:00 - 11:00")
        self.assertEqual(card["partner"], "Syndic Bellecour Gestion")
        self.assertEqual(card["site"], "Résidence Les Tilleuls")
        self.assertTrue(card["draggable"])
        self.assertEqual(self._card_ids(cells[f"{self.other_technician.id}_2025-03-05"]), wednesday_job.ids)
        self.assertIn("outside the working hours", cells[f"{self.other_technician.id}_2025-03-05"][0]["warning"])
        helper_card = cells[f"{self.technician.id}_2025-03-05"][0]
        self.assertEqual(
            (helper_card["id"], helper_card["as_helper"], helper_card["draggable"]), (wednesday_job.id, True, False)
        )
        shown = {card["id"] for cards in cells.values() for card in cards}
        self.assertFalse(shown & set((next_week | cancelled | job_b).ids))
        unplanned = {group["name"]: self._card_ids(group["cards"]) for group in board["unplanned"]}
        self.assertEqual(unplanned, {"North (test)": (urgent | normal).ids, "South (test)": low.ids})
        self.assertEqual(board["unplanned_count"], 3)

    def _board_queries(self):
        """The queries of one call of the board's week data by the dispatcher, from an empty cache."""
        Intervention = self.Intervention.with_user(self.dispatcher)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        board = Intervention.get_dispatch_board_data("2025-03-03")
        return self.env.cr.sql_log_count - start, board

    def test_board_queries_do_not_grow_with_the_week(self):
        self._board_fixture()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.technician.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(MONDAY + timedelta(days=3), 14),
                "date_to": self._utc(MONDAY + timedelta(days=3), 16),
            }
        )
        self._board_queries()  # the caches of the registry (groups, rules) are filled once
        small_count, small = self._board_queries()
        # eight more technicians on the same hours, two of them on leave on Wednesday, four or five jobs a day
        # each (some after the hours, some with a helper) and more calls to plan
        technicians = self.env["res.users"]
        for index in range(8):
            technician = self._create_service_user(f"board_tech_{index}", "service_management.group_service_technician")
            technician.write(
                {
                    "name": f"Tech {index} (test)",
                    "tz": "Europe/Paris",
                    "service_zone_ids": [Command.set(self.zone_north.ids)],
                }
            )
            technicians |= technician
        resources = self.env["resource.resource"].create(
            [
                {"name": user.name, "user_id": user.id, "calendar_id": self.calendar.id, "tz": "Europe/Paris"}
                for user in technicians
            ]
        )
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Training",
                    "resource_id": resource.id,
                    "calendar_id": self.calendar.id,
                    "date_from": self._utc(MONDAY + timedelta(days=2), 0),
                    "date_to": self._utc(MONDAY + timedelta(days=2), 23, 59),
                }
                for resource in resources[:2]
            ]
        )
        self.Intervention.create(
            [
                {
                    "partner_id": self.customer.id,
                    "site_id": self.site_tilleuls.id,
                    "user_id": technician.id,
                    "helper_ids": [Command.set(technicians[index - 1].ids)] if hour == 16 else [],
                    "planned_start": self._utc(MONDAY + timedelta(days=day), hour),
                }
                for index, technician in enumerate(technicians)
                for day in range(5)
                for hour in ((8, 10, 14, 16, 18) if index % 2 else (8, 10, 14, 18))
            ]
            + [{"partner_id": self.customer.id, "site_id": self.site_acacias.id} for _call in range(10)]
        )
        self._board_queries()  # new users cleared the caches of the registry
        large_count, large = self._board_queries()
        self.assertEqual(len(large["technicians"]), len(small["technicians"]) + 8)
        cards = [card for cards in large["cells"].values() for card in cards]
        self.assertEqual(
            len(cards) - sum(len(cards) for cards in small["cells"].values()), 4 * 5 * 5 + 4 * 5 * 4 + 4 * 5
        )
        self.assertTrue(any("on leave (Training)" in card["warning"] for card in cards))
        self.assertTrue(any("outside the working hours" in card["warning"] for card in cards))
        self.assertEqual(large["unplanned_count"], small["unplanned_count"] + 10)
        self.assertEqual(large_count, small_count, "the same queries for 2 technicians or 10, 3 jobs or 183")

    def test_board_filtered_by_zone_and_company(self):
        monday_job, wednesday_job, *_calls, job_b = self._board_fixture()
        Intervention = self.Intervention.with_user(self.dispatcher)
        board = Intervention.get_dispatch_board_data("2025-03-03", [self.zone_south.id])
        self.assertEqual([group["name"] for group in board["unplanned"]], ["South (test)"])
        self.assertEqual({card["id"] for cards in board["cells"].values() for card in cards}, set(wednesday_job.ids))
        north_only = new_test_user(
            self.env,
            login="north_only",
            groups="service_management.group_service_technician",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        north_only.service_zone_ids = self.zone_north
        row_ids = {row["id"] for row in board["technicians"]}
        self.assertIn(self.other_technician.id, row_ids, "home zone is South")
        self.assertIn(self.technician.id, row_ids, "helper on a job in the South")
        self.assertNotIn(north_only.id, row_ids, "home zone is North, no work in the South")
        self.assertNotIn(self.dispatcher.id, row_ids, "a dispatcher without home zone is not a technician row")
        board_north = Intervention.get_dispatch_board_data("2025-03-03", [self.zone_north.id])
        self.assertIn(north_only.id, {row["id"] for row in board_north["technicians"]})
        self.assertEqual(board["selected_zone_ids"], self.zone_south.ids)

        dispatcher_ab = new_test_user(
            self.env,
            login="dispatcher_ab",
            groups="service_management.group_service_user",
            company_id=self.company.id,
            company_ids=[self.company.id, self.company_b.id],
        )
        Intervention = self.Intervention.with_user(dispatcher_ab).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        board_b = Intervention.get_dispatch_board_data("2025-03-03", [], [self.company_b.id])
        self.assertEqual(board_b["selected_company_ids"], self.company_b.ids)
        self.assertEqual({row["id"] for row in board_b["technicians"]}, set(self.technician_b.ids))
        self.assertEqual({card["id"] for cards in board_b["cells"].values() for card in cards}, set(job_b.ids))
        self.assertEqual(board_b["unplanned"], [])
        self.assertEqual({company["id"] for company in board_b["companies"]}, {self.company.id, self.company_b.id})
        board_a = Intervention.get_dispatch_board_data("2025-03-03", [], [self.company.id])
        self.assertNotIn(self.technician_b.id, {row["id"] for row in board_a["technicians"]})
        # a company the user is not allowed in is ignored
        board_only_a = self.Intervention.with_user(self.dispatcher).get_dispatch_board_data(
            "2025-03-03", [], [self.company_b.id]
        )
        self.assertEqual(board_only_a["selected_company_ids"], self.company.ids)
        self.assertNotIn(self.technician_b.id, {row["id"] for row in board_only_a["technicians"]})

    def test_plan_and_replan_from_the_board(self):
        monday_job, _wednesday, _next, _cancelled, urgent, low, _normal, _job_b = self._board_fixture()
        urgent = urgent.with_user(self.dispatcher)
        result = urgent.action_dispatch_plan(self.technician.id, "2025-03-04")
        self.assertEqual(urgent.user_id, self.technician)
        self.assertEqual(urgent.planned_start, self._utc(MONDAY + timedelta(days=1), 8), "first working hour, Paris")
        self.assertEqual(urgent.state, "planned")
        self.assertEqual(result["state"], "planned")
        # re-planned to another technician and day: their first free slot, not the old time of day
        monday_job.with_user(self.dispatcher).action_dispatch_plan(self.other_technician.id, "2025-03-10")
        self.assertEqual(monday_job.user_id, self.other_technician)
        self.assertEqual(monday_job.planned_start, self._utc(MONDAY + timedelta(days=7), 8))
        # a technician without working hours starts at 08:00 in their timezone
        self.technician_b.write({"company_ids": [Command.link(self.company.id)]})
        low.with_user(self.dispatcher).action_dispatch_plan(self.technician_b.id, "2025-03-10")
        self.assertEqual(low.planned_start, datetime(2025, 3, 10, 7, 0))

    def test_plan_next_to_booked_work_takes_the_next_free_slot(self):
        monday_job, _wednesday, _next, _cancelled, urgent, low, normal, _job_b = self._board_fixture()
        urgent.with_user(self.dispatcher).action_dispatch_plan(self.technician.id, "2025-03-03")
        self.assertEqual(urgent.planned_start, self._utc(MONDAY, 8), "before the job at 10:00")
        low.planned_duration = 2.5
        low.with_user(self.dispatcher).action_dispatch_plan(self.technician.id, "2025-03-03")
        self.assertEqual(low.planned_start, self._utc(MONDAY, 11), "09:00-10:00 is too short, 11:00 is free")
        self.assertFalse((low | urgent)._get_booking_conflicts())

    def test_free_slot_respects_leaves_and_breaks(self):
        urgent = self._board_fixture()[4]
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.technician.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(MONDAY + timedelta(days=1), 8),
                "date_to": self._utc(MONDAY + timedelta(days=1), 11),
            }
        )
        slot = urgent._get_first_free_slot(self.technician, MONDAY + timedelta(days=1))
        self.assertEqual(slot, self._utc(MONDAY + timedelta(days=1), 11), "after the leave")
        slot = urgent._get_first_free_slot(self.technician, MONDAY + timedelta(days=1), duration=3)
        self.assertEqual(slot, self._utc(MONDAY + timedelta(days=1), 11), "the lunch break may be worked through")
        slot = urgent._get_first_free_slot(self.technician, MONDAY + timedelta(days=1), duration=7)
        self.assertFalse(slot, "11:00-17:00 leaves six hours")
        # a break that is not the calendar's lunch is not worked through
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "1" and a.day_period == "lunch").unlink()
        slot = urgent._get_first_free_slot(self.technician, MONDAY + timedelta(days=1), duration=3)
        self.assertEqual(slot, self._utc(MONDAY + timedelta(days=1), 13))
        self.assertFalse(urgent._get_first_free_slot(self.technician, MONDAY + timedelta(days=5)), "a Saturday")

    def test_free_slot_of_today_is_not_in_the_past(self):
        urgent = self._board_fixture()[4]
        slot = urgent._get_first_free_slot(self.technician, fields.Date.context_today(urgent))
        if slot:
            self.assertGreaterEqual(slot, fields.Datetime.now() - timedelta(minutes=1))

    def test_no_free_slot_is_refused_with_nothing_written(self):
        _monday, _wednesday, _next, _cancelled, urgent, *_rest = self._board_fixture()
        urgent = urgent.with_user(self.dispatcher)
        with self.assertRaisesMessage(UserError, "Paul Test has no free slot of 01:00 on") as context:
            urgent.action_dispatch_plan(self.other_technician.id, "2025-03-04")
        self.assertIn("03/04/2025", str(context.exception), "the day in the dispatcher's date format")
        self.assertFalse(urgent.user_id)
        self.assertFalse(urgent.planned_start)
        self.assertEqual(urgent.state, "new")
        urgent.planned_duration = 9
        with self.assertRaisesMessage(UserError, "no free slot of 09:00"):
            urgent.action_dispatch_plan(self.other_technician.id, "2025-03-03")
        self.assertFalse(urgent.user_id)

    def test_board_proposes_the_first_free_slot_and_the_other_starts(self):
        _monday, _wednesday, _next, _cancelled, urgent, *_rest = self._board_fixture()
        urgent = urgent.with_user(self.dispatcher)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.technician.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(MONDAY + timedelta(days=1), 8),
                "date_to": self._utc(MONDAY + timedelta(days=1), 15),
            }
        )
        urgent.planned_duration = 1.5
        proposal = urgent.get_dispatch_slots(self.technician.id, "2025-03-04")
        labels = [slot["label"] for slot in proposal["slots"]]
        self.assertEqual(labels, ["15:00 - 16:30", "15:30 - 17:00"], "after the leave, within the working hours")
        self.assertEqual(proposal["slots"][0]["start"], "2025-03-04 14:00:00", "UTC, as the plan button sends it")
        self.assertEqual((proposal["day_label"], proposal["duration_label"]), ("03/04/2025", "01:30"))
        self.assertFalse(urgent.user_id, "a proposal writes nothing")
        # the dispatcher picks the second start
        urgent.action_dispatch_plan(self.technician.id, "2025-03-04", proposal["slots"][1]["start"])
        self.assertEqual(urgent.planned_start, self._utc(MONDAY + timedelta(days=1), 15, 30))
        self.assertEqual(urgent.user_id, self.technician)

    def test_a_full_day_proposes_nothing_and_a_taken_start_is_refused(self):
        _monday, _wednesday, _next, _cancelled, urgent, low, *_rest = self._board_fixture()
        urgent, low = urgent.with_user(self.dispatcher), low.with_user(self.dispatcher)
        urgent.planned_duration = 9
        urgent.action_dispatch_plan(self.technician.id, "2025-03-06")
        proposal = low.get_dispatch_slots(self.technician.id, "2025-03-06")
        self.assertFalse(proposal["slots"], "the day is full")
        self.assertIn("has no free slot of 01:00 on 03/06/2025", proposal["message"])
        self.assertFalse(low.get_dispatch_slots(self.technician.id, "2025-03-08")["slots"], "a Saturday")
        with self.assertRaisesMessage(UserError, "is not free for 01:00 from 03/04/2025 07:00"):
            low.action_dispatch_plan(self.technician.id, "2025-03-04", "2025-03-04 06:00:00")
        with self.assertRaisesMessage(UserError, "is not a date and time"):
            low.action_dispatch_plan(self.technician.id, "2025-03-04", "soon")
        self.assertFalse(low.user_id, "nothing written")
        self.assertFalse(low.planned_start)
        with self.assertRaises(AccessError):
            low.with_user(self.technician).get_dispatch_slots(self.technician.id, "2025-03-04")

    def test_board_shows_hours_leaves_load_and_sla(self):
        monday_job, *_rest = self._board_fixture()
        contract = self._create_contract(sla_response_hours=4, sla_resolution_hours=24)
        contract.action_start()
        monday_job.write({"contract_id": contract.id, "call_date": self._utc(MONDAY, 9)})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "resource_id": self.technician.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": self._utc(MONDAY + timedelta(days=1), 0),
                "date_to": self._utc(MONDAY + timedelta(days=1), 23, 59),
            }
        )
        board = self.Intervention.with_user(self.dispatcher).get_dispatch_board_data("2025-03-03")
        monday = board["schedules"][f"{self.technician.id}_2025-03-03"]
        self.assertEqual(monday["work"], [[8.0, 12.0], [13.0, 17.0]], "working hours on the time axis, Paris")
        self.assertEqual(monday["capacity"], 8.0)
        self.assertEqual(monday["load"], 1.0)
        tuesday = board["schedules"][f"{self.technician.id}_2025-03-04"]
        self.assertEqual(tuesday["capacity"], 0.0, "on leave all day")
        self.assertEqual(tuesday["leaves"][0][2], "Training")
        part_time = board["schedules"][f"{self.other_technician.id}_2025-03-04"]
        self.assertEqual((part_time["work"], part_time["capacity"]), ([], 0.0), "works on Mondays only")
        card = board["cells"][f"{self.technician.id}_2025-03-03"][0]
        self.assertEqual(card["sla_deadline"], "03/04/2025 09:00", "the user's date format, the board's timezone")
        self.assertEqual((card["start_hour"], card["end_hour"]), (10.0, 11.0))
        self.assertEqual(board["week_label"], "03/03/2025 - 03/09/2025")
        self.assertEqual(board["days"][0]["label"], "03/03/2025")
        self.assertEqual(board["days"][0]["weekday_label"], "Mon")

    def test_plan_for_a_technician_of_another_company_is_refused(self):
        _monday, _wednesday, _next, _cancelled, urgent, *_rest = self._board_fixture()
        with self.assertRaisesMessage(UserError, "does not work for"):
            urgent.with_user(self.dispatcher).action_dispatch_plan(self.technician_b.id, "2025-03-04")
        self.assertFalse(urgent.user_id)

    def test_demo_technicians_and_interventions(self):
        technician = self.env.ref(
            "service_management.res_users_technician_julien_moreau_demo", raise_if_not_found=False
        )
        if not technician:
            self.skipTest("installed without demo data")
        company = self.env.ref("service_management.res_company_rhone_demo")
        technicians = self.env["res.users"].search([("login", "=like", "%@rhone-maintenance.example.com")])
        self.assertEqual(len(technicians), 6)
        self.assertTrue(all(technicians.mapped("resource_calendar_id")))
        self.assertEqual(len(technicians.service_zone_ids), 4)
        self.assertEqual(
            self.env.ref("service_management.res_users_technician_elodie_faure_demo").resource_calendar_id,
            self.env.ref("service_management.resource_calendar_part_time_demo"),
        )
        work = self.Intervention.search([("company_id", "=", company.id), ("user_id", "in", technicians.ids)])
        unplanned = self.Intervention.search(
            [("company_id", "=", company.id), ("user_id", "=", False), ("state", "=", "new")]
        )
        self.assertGreaterEqual(len(work) + len(unplanned), 300)
        self.assertEqual(len(work.zone_id), 4)
        self.assertEqual(set(work.mapped("state")), {"done", "planned", "cancelled"})
        self.assertEqual(len(set(work.mapped("intervention_type"))), 4)
        done = work.filtered(lambda i: i.state == "done")
        self.assertTrue(all(done.mapped("actual_start")) and all(done.mapped("actual_end")))
        self.assertEqual(work._get_booking_conflicts(), {}, "nobody is booked twice")
        now = fields.Datetime.now()
        self.assertTrue(work.filtered(lambda i: i.planned_start < now - timedelta(days=50)))
        self.assertTrue(work.filtered(lambda i: i.planned_start > now + timedelta(days=20)))
        on_leave = work.filtered(lambda i: "on leave (Paid leave)" in (i.planning_warning or ""))
        self.assertEqual(on_leave.user_id.name, "Thomas Girard")

    def test_plan_a_helper_as_lead(self):
        _monday, wednesday_job, *_rest = self._board_fixture()
        wednesday_job.with_user(self.dispatcher).action_dispatch_plan(self.technician.id, "2025-03-07")
        self.assertEqual(wednesday_job.user_id, self.technician)
        self.assertFalse(wednesday_job.helper_ids, "no longer a helper of their own job")

    def test_closed_work_cannot_be_moved(self):
        monday_job, *_rest = self._board_fixture()
        monday_job.action_start()
        with self.assertRaisesMessage(Exception, "already started or closed"):
            monday_job.with_user(self.dispatcher).action_dispatch_plan(self.other_technician.id, "2025-03-04")
        self.assertEqual(monday_job.user_id, self.technician)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_technician_cannot_use_the_board(self):
        monday_job, _wednesday, _next, _cancelled, urgent, *_rest = self._board_fixture()
        with self.assertRaisesMessage(AccessError, "Only dispatchers"):
            self.Intervention.with_user(self.technician).get_dispatch_board_data("2025-03-03")
        with self.assertRaisesMessage(AccessError, "Only dispatchers"):
            monday_job.with_user(self.technician).action_dispatch_plan(self.other_technician.id, "2025-03-04")
        self.assertEqual(monday_job.user_id, self.technician)
        with self.assertRaises(AccessError):
            urgent.with_user(self.technician).action_dispatch_plan(self.technician.id, "2025-03-04")
        self.assertFalse(urgent.user_id)

    def test_board_menu_is_for_dispatchers(self):
        menu = self.env.ref("service_management.service_dispatch_board_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.dispatcher)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.technician)._visible_menu_ids())

    def test_calendar_view_colors_by_technician(self):
        arch = self.Intervention.get_view(self.env.ref("service_management.service_intervention_view_calendar").id)[
            "arch"
        ]
        self.assertIn('color="user_id"', arch)


class DispatchTourCase(HttpCase):
    def _create_tour_fixture(self):
        """An urgent unplanned call of two hours, a technician of Lyon North whose next Wednesday starts with a
        job from 08:00 to 09:00, and the dispatcher; ``(call, technician, dispatcher, next Wednesday)``."""
        company = self.env.ref("service_management.res_company_rhone_demo")
        zone = self.env.ref("service_management.service_zone_lyon_nord_demo")
        technician = new_test_user(
            self.env,
            login="tour_dispatch_technician",
            name="Tour Dispatch Technician",
            groups="service_management.group_service_technician",
            company_id=company.id,
            company_ids=[company.id],
            tz="Europe/Paris",
        )
        technician.service_zone_ids = zone
        dispatcher = new_test_user(
            self.env,
            login="tour_dispatcher",
            name="Tour Dispatcher",
            groups="service_management.group_service_user",
            company_id=company.id,
            company_ids=[company.id],
            tz="Europe/Paris",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Dispatch Customer", "is_company": True, "company_id": company.id}
        )
        service = self.env["product.product"].create({"name": "Tour Lift Care", "type": "service"})
        contract = self.env["service.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "date_start": fields.Date.today() - timedelta(days=30),
                "duration_value": 1,
                "duration_unit": "yearly",
                "sla_response_hours": 4,
                "sla_resolution_hours": 24,
                "line_ids": [Command.create({"product_id": service.id, "quantity": 1, "price_unit": 100.0})],
            }
        )
        contract.action_start()
        call = self.env["service.intervention"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "zone_id": zone.id,
                "priority": "3",
                "contract_id": contract.id,
                "planned_duration": 2.0,
            }
        )
        self.assertTrue(call.resolution_deadline)
        today = fields.Date.context_today(call.with_user(dispatcher))
        next_wednesday = today - timedelta(days=today.weekday()) + timedelta(days=9)
        # the technician's Wednesday starts with a job from 08:00 to 09:00; the company's hours are 8-12, 13-17
        paris = pytz.timezone("Europe/Paris")
        self.env["service.intervention"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Tour Booked Customer"}).id,
                "company_id": company.id,
                "zone_id": zone.id,
                "user_id": technician.id,
                "planned_start": paris.localize(datetime.combine(next_wednesday, time(8, 0)))
                .astimezone(pytz.utc)
                .replace(tzinfo=None),
            }
        )
        return call, technician, dispatcher, next_wednesday


@tagged("post_install", "-at_install")
class TestDispatchBoardTour(DispatchTourCase):
    def test_drag_an_unplanned_call_onto_a_technician(self):
        call, technician, dispatcher, next_wednesday = self._create_tour_fixture()
        self.start_tour("/odoo", "service_dispatch_board_tour", login="tour_dispatcher")
        call.invalidate_recordset()
        self.assertEqual(call.user_id, technician)
        self.assertEqual(call.state, "planned")
        local_start = fields.Datetime.context_timestamp(call.with_user(dispatcher), call.planned_start)
        self.assertEqual(local_start.date(), next_wednesday)
        self.assertEqual((local_start.hour, local_start.minute), (9, 30), "the start the dispatcher chose")


@tagged("post_install", "-at_install")
class TestDispatchBoardPhoneTour(DispatchTourCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_plan_and_open_a_call_on_a_phone(self):
        call, technician, dispatcher, next_wednesday = self._create_tour_fixture()
        self.start_tour("/odoo", "service_dispatch_board_phone_tour", login="tour_dispatcher")
        call.invalidate_recordset()
        self.assertEqual(call.user_id, technician)
        local_start = fields.Datetime.context_timestamp(call.with_user(dispatcher), call.planned_start)
        self.assertEqual(local_start.date(), next_wednesday)
        self.assertEqual((local_start.hour, local_start.minute), (9, 0), "the proposed first free slot, confirmed")
