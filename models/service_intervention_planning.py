import random
from bisect import bisect_right
from collections import defaultdict
from datetime import datetime, time, timedelta
from itertools import chain

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, format_duration

from odoo.addons.resource.models.utils import Intervals
from odoo.addons.service_management.helpers import rpc

DISPATCH_UNPLANNED_LIMIT = 200
# minutes between two start times the board proposes in a free span
DISPATCH_SLOT_STEP = 30


def _merged_bounds(intervals):
    """``(starts, stops)`` of ``intervals`` (triples ``(start, stop, records)``) sorted, overlapping and touching
    ones merged (the lunch break joins the morning and the afternoon)."""
    starts, stops = [], []
    for start, stop, _records in sorted(intervals, key=lambda interval: interval[0]):
        if stops and start <= stops[-1]:
            stops[-1] = max(stops[-1], stop)
        else:
            starts.append(start)
            stops.append(stop)
    return starts, stops


def _covers(bounds, start, end):
    """Whether one of the intervals of ``bounds`` (from ``_merged_bounds``) holds all of ``[start, end]``."""
    starts, stops = bounds
    index = bisect_right(starts, start) - 1
    return index >= 0 and stops[index] >= end


class ServiceIntervention(models.Model):
    _inherit = "service.intervention"

    planning_warning = fields.Text(
        compute="_compute_planning_warning",
        help="Planned outside the working hours of a technician, or during their leave.",
    )

    @api.depends("planned_start", "planned_end", "user_id", "helper_ids", "state", "company_id")
    def _compute_planning_warning(self):
        warnings = self._get_planning_warnings()
        for intervention in self:
            intervention.planning_warning = "\n".join(warnings.get(intervention, [])) or False

    # ------------------------------------------------------------
    # Working hours and leaves of the technicians
    # ------------------------------------------------------------

    @api.model
    def _prefetch_technician_schedules(self, users):
        """Read the resources, working hours and timezones of ``users`` at once, for ``_get_technician_schedule``."""
        users.sudo().mapped("resource_ids.calendar_id.tz")
        return True

    def _get_technician_schedule(self, user):
        """``(calendar, resource, tz name)`` of a technician for this intervention's company.

        The technician's own working hours (``resource_calendar_id``), else the company's; the
        resource carries their personal leaves; the timezone is the technician's.
        """
        company = self.company_id or self.env.company
        user = user.sudo()
        resources = user.resource_ids
        resource = resources.filtered(lambda r: r.company_id == company)[:1] or resources[:1]
        calendar = resource.calendar_id or (not resource and company.sudo().resource_calendar_id)
        tz = user.tz or resource.tz or (calendar and calendar.tz) or "UTC"
        return calendar or self.env["resource.calendar"], resource, tz

    def _get_planning_warnings(self):
        """``{intervention: [warning, ...]}`` for the interventions of ``self`` planned but not started.

        The technicians are grouped by working-hours calendar and timezone; the work and leave
        intervals of each group are computed in one call for the whole time span of the batch, and
        each technician's working hours (lunch break included) are merged once for all their jobs.
        """
        Resource = self.env["resource.resource"]
        self._prefetch_technician_schedules(self.user_id | self.helper_ids)
        schedules = {}
        groups = defaultdict(lambda: {"resources": Resource, "start": None, "end": None, "items": []})
        for intervention in self:
            if not (
                intervention.planned_start and intervention.planned_end and intervention.state in ("new", "planned")
            ):
                continue
            start = pytz.utc.localize(intervention.planned_start)
            end = pytz.utc.localize(intervention.planned_end)
            for user in intervention._get_technicians():
                key = (intervention.company_id.id, user.id)
                if key not in schedules:
                    schedules[key] = intervention._get_technician_schedule(user)
                calendar, resource, tz = schedules[key]
                if not calendar:
                    continue
                group = groups[calendar, tz]
                group["resources"] |= resource
                group["start"] = min(group["start"] or start, start)
                group["end"] = max(group["end"] or end, end)
                group["items"].append((intervention, user, resource, start, end))
        warnings = defaultdict(list)
        for (calendar, tz), group in groups.items():
            calendar = calendar.sudo()
            zone = pytz.timezone(tz)
            # a day of margin each side, so that the intervals are whole days in the technician's timezone
            span_start, span_end = group["start"] - timedelta(days=1), group["end"] + timedelta(days=1)
            resources = group["resources"].sudo()
            work = calendar._work_intervals_batch(
                span_start, span_end, resources=resources, tz=zone, compute_leaves=False
            )
            # the lunch break is part of the working day: a job across it is not "outside the hours"
            lunch = calendar._attendance_intervals_batch(span_start, span_end, resources=resources, tz=zone, lunch=True)
            leaves = calendar._leave_intervals_batch(span_start, span_end, resources=resources, tz=zone)
            hours = {}
            leave_lists = {}
            for intervention, user, resource, start, end in group["items"]:
                if resource.id not in leave_lists:
                    leave_lists[resource.id] = list(leaves[resource.id])
                # the leaves overlapping the job, without building an interval set for each job
                on_leave = [
                    leave_records
                    for leave_start, leave_stop, leave_records in leave_lists[resource.id]
                    if leave_start < end and leave_stop > start
                ]
                if on_leave:
                    reasons = {leave.name for leave_records in on_leave for leave in leave_records if leave.name}
                    warnings[intervention].append(
                        self.env._(
                            "%(technician)s is on leave (%(reason)s) during this intervention.",
                            technician=user.name,
                            reason=", ".join(sorted(reasons)) or self.env._("Time Off"),
                        )
                    )
                    continue
                if resource.id not in hours:
                    hours[resource.id] = _merged_bounds(chain(work[resource.id], lunch[resource.id]))
                if not _covers(hours[resource.id], start, end):
                    warnings[intervention].append(
                        self.env._(
                            "Planned outside the working hours of %(technician)s (%(calendar)s).",
                            technician=user.name,
                            calendar=calendar.name,
                        )
                    )
        return warnings

    def _get_first_free_slot(self, user, day, duration=None):
        """The UTC datetime at which this intervention could start for ``user`` on ``day``, else ``False``.

        The first of ``_get_free_starts``: see there what counts as free.
        """
        starts = self._get_free_starts(user, day, duration=duration, limit=1)
        return starts[0] if starts else False

    def _get_free_starts(self, user, day, duration=None, step=DISPATCH_SLOT_STEP, limit=None):
        """The UTC datetimes at which this intervention could start for ``user`` on ``day``, earliest first.

        The technician's working hours (their leaves removed, in their timezone) where ``duration`` hours (this
        intervention's planned duration by default) are free of their other open interventions, as lead or helper;
        the lunch break may be worked through, the hours of today already gone are not proposed. Each free span
        gives its first moment, then one start every ``step`` minutes while the work still fits in it.
        """
        self.ensure_one()
        duration = timedelta(hours=duration or self.planned_duration or 1.0)
        starts = []
        for span_start, span_stop in self._get_free_spans(user, day):
            # whole minutes: the rest of today starts at the next minute
            start = span_start.replace(second=0, microsecond=0)
            if start < span_start:
                start += timedelta(minutes=1)
            while start + duration <= span_stop:
                starts.append(start.astimezone(pytz.utc).replace(tzinfo=None))
                if limit and len(starts) >= limit:
                    return starts
                start += timedelta(minutes=step)
        return starts

    def _get_free_spans(self, user, day):
        """The free spans ``[(start, stop)]`` (aware datetimes) of ``user`` on ``day``, for this intervention."""
        self.ensure_one()
        calendar, resource, tz = self._get_technician_schedule(user)
        if not calendar:
            return []
        calendar, resource = calendar.sudo(), resource.sudo()
        zone = pytz.timezone(tz)
        day_start = zone.localize(datetime.combine(day, time.min))
        day_end = zone.localize(datetime.combine(day + timedelta(days=1), time.min))
        Resource = self.env["resource.resource"]
        work = calendar._work_intervals_batch(day_start, day_end, resources=resource, tz=zone)[resource.id]
        lunch = calendar._attendance_intervals_batch(day_start, day_end, resources=resource, tz=zone, lunch=True)
        leaves = calendar._leave_intervals_batch(day_start, day_end, resources=resource, tz=zone)[resource.id]
        free = (work | (lunch[resource.id] - leaves)) if work else work
        # the hours of today already gone are not proposed; a past day may be planned to record work done
        now = pytz.utc.localize(fields.Datetime.now())
        busy = [(day_start, min(max(day_start, now), day_end), Resource)] if day >= now.astimezone(zone).date() else []
        bookings = self.sudo().search(
            [
                ("id", "!=", self.id),
                ("state", "not in", ("done", "cancelled")),
                ("planned_start", "<", day_end.astimezone(pytz.utc).replace(tzinfo=None)),
                ("planned_end", ">", day_start.astimezone(pytz.utc).replace(tzinfo=None)),
                "|",
                ("user_id", "=", user.id),
                ("helper_ids", "in", user.id),
            ]
        )
        busy += [
            (pytz.utc.localize(booking.planned_start), pytz.utc.localize(booking.planned_end), Resource)
            for booking in bookings
        ]
        spans = []
        for start, stop, _records in free - Intervals(busy):
            if spans and spans[-1][1] == start:  # intervals that touch (a morning, the lunch break) make one span
                spans[-1][1] = stop
            else:
                spans.append([start, stop])
        return [tuple(span) for span in spans]

    # ------------------------------------------------------------
    # Dispatch board
    # ------------------------------------------------------------

    @api.model
    def _check_dispatch_access(self):
        if not self.env.user.has_group("service_management.group_service_user"):
            raise AccessError(self.env._("Only dispatchers can plan the interventions of the technicians."))

    @api.model
    def _get_dispatch_tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    @api.model
    def _get_dispatch_technician_domain(self, companies):
        """The rows of the board: the technicians of these companies.

        Dispatchers and managers are technicians too (the groups imply each other): they get a row
        when they have a home zone, and whenever they have work in the week shown.
        """
        return [
            ("groups_id", "in", self.env.ref("service_management.group_service_technician").id),
            ("share", "=", False),
            ("company_ids", "in", companies.ids),
            "|",
            ("groups_id", "not in", self.env.ref("service_management.group_service_user").id),
            ("service_zone_ids", "!=", False),
        ]

    @api.model
    def _get_dispatch_schedules(self, technicians, days, tz):
        """``{"<user id>_<date>": {"work": [[from, to]], "leaves": [[from, to, name]], "capacity": hours}}``.

        Each technician's working hours and leaves of each day of ``days``, as hours of the day in the board's
        timezone ``tz``; one call per working-hours calendar and timezone for all its technicians.
        """
        Resource = self.env["resource.resource"]
        span_start = tz.localize(datetime.combine(days[0], time.min))
        span_end = tz.localize(datetime.combine(days[-1] + timedelta(days=1), time.min))
        groups = defaultdict(lambda: {"resources": Resource, "users": []})
        self._prefetch_technician_schedules(technicians)
        for user in technicians:
            calendar, resource, user_tz = self._get_technician_schedule(user)
            if calendar:
                groups[calendar, user_tz]["resources"] |= resource
                groups[calendar, user_tz]["users"].append((user, resource))
        schedules = {}
        for (calendar, user_tz), group in groups.items():
            calendar, resources = calendar.sudo(), group["resources"].sudo()
            zone = pytz.timezone(user_tz)
            work = calendar._work_intervals_batch(
                span_start, span_end, resources=resources, tz=zone, compute_leaves=False
            )
            leaves = calendar._leave_intervals_batch(span_start, span_end, resources=resources, tz=zone)
            for user, resource in group["users"]:
                for day in days:
                    day_start = tz.localize(datetime.combine(day, time.min))
                    day_end = day_start + timedelta(days=1)
                    window = Intervals([(day_start, day_end, Resource)])
                    day_work = work[resource.id] & window
                    day_leaves = leaves[resource.id] & window

                    def hours(moment, day_start=day_start):
                        return round((moment - day_start).total_seconds() / 3600, 2)

                    schedules[f"{user.id}_{day.isoformat()}"] = {
                        "work": [[hours(start), hours(stop)] for start, stop, _r in day_work],
                        "leaves": [
                            [hours(start), hours(stop), ", ".join(leave.name for leave in records if leave.name)]
                            for start, stop, records in day_leaves
                        ],
                        "capacity": round(
                            sum((stop - start).total_seconds() for start, stop, _r in day_work - day_leaves) / 3600, 2
                        ),
                    }
        return schedules

    @api.model
    def _format_dispatch_moment(self, moment, tz):
        """A UTC datetime as the board shows it: the user's date format and the time, in ``tz``."""
        if not moment:
            return ""
        local = pytz.utc.localize(moment).astimezone(tz)
        return f"{format_date(self.env, local.date())} {local:%H:%M}"

    @api.model
    def _get_dispatch_card_fields(self):
        """The stored fields ``_prepare_dispatch_card`` reads: the board fetches only these."""
        return [
            "name",
            "company_id",
            "partner_id",
            "site_id",
            "intervention_type",
            "priority",
            "state",
            "user_id",
            "helper_ids",
            "zone_id",
            "planned_start",
            "planned_end",
            "planned_duration",
            "resolution_deadline",
            "sla_breached",
            "sla_late",
        ]

    @api.model
    def _prepare_dispatch_card(self, intervention, tz, type_labels, priority_labels, warnings=None):
        """The card of ``intervention`` on the board; ``warnings`` (``{intervention: [warning, ...]}``, from
        ``_get_planning_warnings`` over all the board's cards at once) spares computing them card by card."""
        start = end = False
        planned_start = intervention.planned_start
        if planned_start:
            start = pytz.utc.localize(planned_start).astimezone(tz)
            end = pytz.utc.localize(intervention.planned_end).astimezone(tz)
        site = intervention.site_id
        partner = intervention.partner_id
        intervention_type = intervention.intervention_type
        priority = intervention.priority
        state = intervention.state
        deadline = intervention.resolution_deadline
        return {
            "id": intervention.id,
            "name": intervention.name,
            "partner": partner.display_name,
            "site": site.name if site and site != partner else site.city or "",
            "city": site.city or "",
            "type": intervention_type,
            "type_label": type_labels.get(intervention_type),
            "priority": priority,
            "priority_label": priority_labels.get(priority),
            "state": state,
            "user_id": intervention.user_id.id,
            "zone_id": intervention.zone_id.id,
            "day": start and start.date().isoformat(),
            "time": start and f"{start:%H:%M} - {end:%H:%M}",
            "start_hour": start and round(start.hour + start.minute / 60, 2),
            "end_hour": end and round((end - start.replace(hour=0, minute=0, second=0)).total_seconds() / 3600, 2),
            "sla_deadline": self._format_dispatch_moment(deadline, tz) if deadline else "",
            "duration": intervention.planned_duration,
            "warning": (
                "\n".join(warnings.get(intervention, ()))
                if warnings is not None
                else intervention.planning_warning or ""
            ),
            "sla_breached": intervention.sla_breached,
            "sla_late": intervention.sla_late,
            "draggable": state in ("new", "planned"),
        }

    @api.model
    def get_dispatch_board_data(self, week_start, zone_ids=None, company_ids=None):
        """The dispatch board of one week: technicians as rows, days as columns, interventions as cards.

        :param week_start: a day of the week to show (a date or ``YYYY-MM-DD``), this week when empty
        :param zone_ids: zones to show (all when empty)
        :param company_ids: companies to show, among the user's allowed ones (the active ones when empty)
        """
        self._check_dispatch_access()
        day = (
            rpc.to_date(self.env, week_start, self.env._("The week")) if week_start else fields.Date.context_today(self)
        )
        zone_ids = rpc.to_ids(self.env, zone_ids, self.env._("The zones"))
        company_ids = rpc.to_ids(self.env, company_ids, self.env._("The companies"))
        week_start = day - timedelta(days=day.weekday())
        days = [week_start + timedelta(days=offset) for offset in range(7)]
        allowed = self.env.user.company_ids
        companies = allowed & self.env["res.company"].browse(company_ids or []) or self.env.companies
        zones = self.env["service.zone"].browse(zone_ids or []).exists()
        tz = self._get_dispatch_tz()
        week_from = tz.localize(datetime.combine(days[0], time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        week_to = tz.localize(datetime.combine(days[-1] + timedelta(days=1), time.min)).astimezone(pytz.utc)
        week_to = week_to.replace(tzinfo=None)
        zone_domain = [("zone_id", "in", zones.ids)] if zones else []
        company_domain = [("company_id", "in", companies.ids)]

        card_fields = self._get_dispatch_card_fields()
        interventions = self.search_fetch(
            company_domain
            + zone_domain
            + [
                ("planned_start", "<", week_to),
                ("planned_end", ">", week_from),
                ("user_id", "!=", False),
                ("state", "!=", "cancelled"),
            ],
            card_fields,
            order="planned_start, id",
        )
        unplanned_domain = (
            company_domain
            + zone_domain
            + [("state", "=", "new"), "|", ("planned_start", "=", False), ("user_id", "=", False)]
        )
        unplanned = self.search_fetch(
            unplanned_domain, card_fields, order="priority desc, call_date, id", limit=DISPATCH_UNPLANNED_LIMIT
        )
        unplanned_count = (
            len(unplanned) if len(unplanned) < DISPATCH_UNPLANNED_LIMIT else self.search_count(unplanned_domain)
        )
        technician_domain = self._get_dispatch_technician_domain(companies)
        if zones:
            technician_domain += [("service_zone_ids", "in", zones.ids)]
        technicians = self.env["res.users"].sudo().search(technician_domain, order="name")
        technicians = (technicians | interventions.user_id.sudo() | interventions.helper_ids.sudo()).sorted("name")

        type_labels = dict(self._fields["intervention_type"]._description_selection(self.env))
        priority_labels = dict(self._fields["priority"]._description_selection(self.env))
        # the planning warnings of all the cards at once: each technician's hours are computed once for the week
        warnings = (interventions | unplanned)._get_planning_warnings()
        cells = defaultdict(list)
        for intervention in interventions:
            card = self._prepare_dispatch_card(intervention, tz, type_labels, priority_labels, warnings)
            day = max(card["day"], days[0].isoformat())
            cells[f"{intervention.user_id.id}_{day}"].append(card)
            for helper in intervention.helper_ids & technicians:
                cells[f"{helper.id}_{day}"].append(dict(card, as_helper=True, draggable=False))

        unplanned_by_zone = defaultdict(list)
        for intervention in unplanned:
            unplanned_by_zone[intervention.zone_id].append(
                self._prepare_dispatch_card(intervention, tz, type_labels, priority_labels, warnings)
            )
        zone_groups = [
            {
                "id": zone.id or False,
                "name": zone.display_name if zone else self.env._("No Zone"),
                "cards": cards,
            }
            for zone, cards in sorted(
                unplanned_by_zone.items(), key=lambda item: (not item[0], item[0].sequence, item[0].name or "")
            )
        ]
        today = fields.Date.context_today(self)
        schedules = self._get_dispatch_schedules(technicians, days, tz)
        for key, cards in cells.items():
            if key in schedules:
                schedules[key]["load"] = round(
                    sum(card["duration"] for card in cards if card["state"] != "cancelled"), 2
                )
        weekday_names = dict(zip(days, (format_date(self.env, day, date_format="EEE") for day in days), strict=True))
        return {
            "week_start": days[0].isoformat(),
            "week_label": f"{format_date(self.env, days[0])} - {format_date(self.env, days[-1])}",
            "days": [
                {
                    "date": day.isoformat(),
                    "weekday": day.weekday(),
                    "today": day == today,
                    "weekday_label": weekday_names[day],
                    "label": format_date(self.env, day),
                }
                for day in days
            ],
            "schedules": schedules,
            "technicians": [
                {
                    "id": user.id,
                    "name": user.name,
                    "zones": ", ".join(user.service_zone_ids.mapped("display_name")),
                    "calendar": user.resource_calendar_id.name or "",
                }
                for user in technicians
            ],
            "cells": cells,
            "unplanned": zone_groups,
            "unplanned_count": unplanned_count,
            "zones": [
                {"id": zone.id, "name": zone.display_name}
                for zone in self.env["service.zone"].search([("company_id", "in", [*companies.ids, False])])
            ],
            "companies": [{"id": company.id, "name": company.name} for company in allowed],
            "selected_company_ids": companies.ids,
            "selected_zone_ids": zones.ids,
        }

    def get_dispatch_slots(self, user_id, day):
        """What the board proposes before planning this intervention for ``user_id`` on ``day``: the first free
        slot within the technician's working hours and the other start times that fit, for the dispatcher to
        confirm or change. Nothing is written."""
        self.ensure_one()
        technician, day = self._check_dispatch_target(user_id, day)
        tz = self._get_dispatch_tz()
        duration = timedelta(hours=self.planned_duration or 1.0)
        starts = self._get_free_starts(technician, day)
        return {
            "technician": technician.name,
            "day_label": format_date(self.env, day),
            "duration_label": format_duration(self.planned_duration or 1.0),
            "slots": [
                {
                    "start": fields.Datetime.to_string(start),
                    "label": self._format_dispatch_span(start, start + duration, tz),
                }
                for start in starts
            ],
            "message": "" if starts else self._get_no_slot_message(technician, day),
        }

    def action_dispatch_plan(self, user_id, day, start=None):
        """Plan this intervention for ``user_id`` on ``day`` (``YYYY-MM-DD``), as the dispatch board does.

        It starts at ``start`` (UTC, ``YYYY-MM-DD HH:MM:SS``), one of the free start times of
        ``get_dispatch_slots``, or at the technician's first free slot of that day within their working hours
        when none is given; refused with a message when that time is not free. The write goes through the ORM,
        so double booking is refused.
        """
        self.ensure_one()
        technician, day = self._check_dispatch_target(user_id, day)
        starts = self._get_free_starts(technician, day, limit=None if start else 1)
        if not starts:
            raise UserError(self._get_no_slot_message(technician, day))
        if start:
            chosen = self._parse_dispatch_start(start)
            if chosen not in starts:
                raise UserError(
                    self.env._(
                        "%(technician)s is not free for %(duration)s from %(start)s: choose one of the free slots.",
                        technician=technician.name,
                        duration=format_duration(self.planned_duration or 1.0),
                        start=self._format_dispatch_moment(chosen, self._get_dispatch_tz()),
                    )
                )
            starts = [chosen]
        vals = {"user_id": technician.id, "planned_start": starts[0]}
        if technician in self.helper_ids:
            vals["helper_ids"] = [Command.unlink(technician.id)]
        self.write(vals)
        return {
            "id": self.id,
            "planned_start": fields.Datetime.to_string(self.planned_start),
            "planned_start_label": self._format_dispatch_moment(self.planned_start, self._get_dispatch_tz()),
            "state": self.state,
        }

    def _check_dispatch_target(self, user_id, day):
        """``(technician, date)`` this intervention may be planned for, from the board's arguments, else refused."""
        self._check_dispatch_access()
        if self.state not in ("new", "planned"):
            raise UserError(self.env._("%(name)s is already started or closed.", name=self.name))
        technician = (
            self.env["res.users"].browse(rpc.to_ids(self.env, user_id, self.env._("The technician"))[:1]).exists()
        )
        if not technician:
            raise UserError(self.env._("Choose a technician to plan %(name)s.", name=self.name))
        if self.company_id not in technician.sudo().company_ids:
            raise UserError(
                self.env._(
                    "%(technician)s does not work for %(company)s.",
                    technician=technician.name,
                    company=self.company_id.name,
                )
            )
        return technician, rpc.to_date(self.env, day, self.env._("The day"))

    def _get_no_slot_message(self, technician, day):
        return self.env._(
            "%(technician)s has no free slot of %(duration)s on %(day)s within their working hours: "
            "choose another day or technician.",
            technician=technician.name,
            duration=format_duration(self.planned_duration),
            day=format_date(self.env, day),
        )

    def _parse_dispatch_start(self, start):
        try:
            return fields.Datetime.to_datetime(start).replace(second=0, microsecond=0)
        except (TypeError, ValueError):
            raise UserError(self.env._("The start time %(start)r is not a date and time.", start=start)) from None

    @api.model
    def _format_dispatch_span(self, start, end, tz):
        """``HH:MM - HH:MM`` of two UTC datetimes, in ``tz``."""
        return f"{pytz.utc.localize(start).astimezone(tz):%H:%M} - {pytz.utc.localize(end).astimezone(tz):%H:%M}"

    # ------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------

    @api.model
    def _demo_call_date(self, intervention_type, start, days, hours):
        """When the demo work starting at ``start`` was called in: planned work for its own day, as the preventive
        plan does (no service level binds it); most breakdowns one to six hours before, one in six ``days`` before
        (waiting for a part)."""
        if intervention_type != "corrective":
            return datetime.combine(start.date(), time())
        if days > 10:
            return start - timedelta(days=days)
        return start - timedelta(hours=hours // 2 + 1, minutes=7 * hours)

    @api.model
    def _demo_generate_dispatch_interventions(self, technician_ids, company_id, leave_ids=(), count=300):
        """Create ``count`` interventions over the demo technicians, 60 days back to 30 days ahead.

        Each technician gets work in their home zones on their working days, one job per slot so that
        nobody is booked twice; past work is started and finished, a few are cancelled, and some
        future calls are left to plan. Does nothing when the technicians already have work.
        """
        technicians = self.env["res.users"].browse(technician_ids).exists()
        company = self.env["res.company"].browse(company_id)
        if not technicians or self.search_count([("user_id", "in", technicians.ids)], limit=1):
            return self.browse()
        rng = random.Random(4)
        tz = pytz.timezone("Europe/Paris")
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        leaves = self.env["resource.calendar.leaves"].browse(leave_ids).exists()
        equipment = self.env["service.equipment"].search(
            [("company_id", "=", company.id), ("site_id.service_zone_id", "!=", False)]
        )
        equipment_by_zone = defaultdict(list)
        for piece in equipment:
            equipment_by_zone[piece.site_id.service_zone_id].append(piece)
        if not equipment_by_zone:
            return self.browse()
        slots = []
        for technician in technicians:
            calendar, resource, _tz = self._get_technician_schedule(technician)
            working_days = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")} or {0, 1, 2, 3, 4}
            leave_days = {
                leave.date_from.date() + timedelta(days=offset)
                for leave in leaves.filtered(lambda lv, res=resource: lv.resource_id == res)
                for offset in range((leave.date_to.date() - leave.date_from.date()).days + 1)
            }
            zones = [zone for zone in technician.service_zone_ids if zone in equipment_by_zone] or list(
                equipment_by_zone
            )
            for offset in range(-60, 31):
                day = today + timedelta(days=offset)
                if day.weekday() not in working_days or day in leave_days:
                    continue
                for hour, duration in ((8, 2.0), (10.5, 1.5), (13, 2.0), (15.5, 1.5)):
                    slots.append((technician, day, hour, duration, zones))
        rng.shuffle(slots)
        # two jobs the board warns about: one during a leave, one after the working hours
        for leave in leaves.filtered(lambda lv: lv.resource_id.user_id in technicians)[:1]:
            technician = leave.resource_id.user_id
            zones = [zone for zone in technician.service_zone_ids if zone in equipment_by_zone] or list(
                equipment_by_zone
            )
            slots.insert(0, (technician, leave.date_from.date(), 10.5, 1.5, zones))
        slots.insert(0, (technicians[0], today + timedelta(days=2), 18.0, 1.5, list(equipment_by_zone)))
        # the demo company works in French: so do its customers' calls
        descriptions = {
            "preventive": ["Visite d'entretien programmée.", "Contrôle de sécurité annuel et graissage."],
            "corrective": [
                "Ascenseur bloqué entre deux étages, alarme déclenchée.",
                "Plus d'eau chaude dans l'immeuble depuis ce matin.",
                "La porte palière du rez-de-chaussée ferme mal.",
            ],
            "installation": [
                "Installer la nouvelle armoire de commande.",
                "Mettre en service la chaudière de remplacement.",
            ],
            "inspection": ["Contrôle réglementaire avec l'organisme agréé.", "Inspection de sortie d'hiver."],
        }
        types = ["preventive"] * 5 + ["corrective"] * 3 + ["installation", "inspection"]
        unplanned_count = count // 12
        vals_list = []
        for technician, day, hour, duration, zones in slots[: count - unplanned_count]:
            piece = rng.choice(equipment_by_zone[rng.choice(zones)])
            intervention_type = rng.choice(types)
            local_start = datetime.combine(day, time(int(hour), int(round((hour % 1) * 60))))
            start = tz.localize(local_start).astimezone(pytz.utc).replace(tzinfo=None)
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": piece.partner_id.id,
                    "equipment_id": piece.id,
                    "intervention_type": intervention_type,
                    "priority": rng.choice("0111122223" if intervention_type == "corrective" else "01111112"),
                    "description": f"<p>{rng.choice(descriptions[intervention_type])}</p>",
                    "user_id": technician.id,
                    "planned_start": start,
                    "planned_duration": duration,
                    "call_date": self._demo_call_date(intervention_type, start, rng.randint(1, 12), rng.randint(0, 8)),
                }
            )
        all_equipment = [piece for pieces in equipment_by_zone.values() for piece in pieces]
        for _index in range(unplanned_count):
            piece = rng.choice(all_equipment)
            intervention_type = rng.choice(["corrective", "corrective", "inspection", "installation", "preventive"])
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": piece.partner_id.id,
                    "equipment_id": piece.id,
                    "intervention_type": intervention_type,
                    "priority": rng.choice("01222233"),
                    "description": f"<p>{rng.choice(descriptions[intervention_type])}</p>",
                    "call_date": now - timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 10)),
                }
            )
        interventions = self.with_context(tracking_disable=True, mail_create_nolog=True).create(vals_list)
        planned = interventions.filtered("planned_start")
        # keep the two warned jobs above (the first ones) planned
        cancelled = (
            planned.filtered(lambda i: i.planned_start < now)[::40]
            | planned.filtered(lambda i: i.planned_start > now)[5::50]
        )
        cancelled.action_cancel()
        past = planned.filtered(lambda i: i.planned_end < now) - cancelled
        past.action_start()
        past.action_done()
        for intervention in past:
            actual_start = intervention.planned_start + timedelta(minutes=rng.randint(-10, 40))
            intervention.write(
                {
                    "actual_start": actual_start,
                    "actual_end": actual_start
                    + timedelta(hours=intervention.planned_duration, minutes=rng.randint(-20, 45)),
                }
            )
        return interventions
