"""Benchmark of the dispatch board: the data of one week for many technicians and interventions.

``bench(env, scale)`` creates technicians (with their working hours and a few leaves) and a week of
planned interventions in ``env``'s database, times the board's data call (``get_dispatch_board_data``,
as a dispatcher calls it through RPC) and counts its queries, compares with plain Odoo reading the same
interventions with ``search_read``, rolls everything back and returns one line per figure.

Standalone:

    .venv/bin/python tools/bench_board.py -c .run/odoo.conf -d service_bench [--scale small|full]
"""

import os
import sys
import time
from datetime import date, datetime, timedelta

# (interventions, technicians)
SIZES = {"small": (200, 10), "full": (2000, 50)}
TARGET_MS = 300
WEEK = date(2045, 1, 2)  # a Monday far from any other data
HOURS = (7, 8, 9, 10, 11, 13, 14, 15, 16, 17)  # UTC start of the jobs of a day; some fall outside the hours


def _build(env, interventions, technicians):
    """``(dispatcher, zone)``: the board's user and ``technicians`` technicians with a week of work."""
    from odoo import Command  # noqa: PLC0415

    company = env.company
    group_technician = env.ref("service_management.group_service_technician")
    group_dispatcher = env.ref("service_management.group_service_user")
    zones = env["service.zone"].create(
        [{"name": f"Bench zone {index}", "code": f"BZ{index}", "company_id": company.id} for index in range(5)]
    )
    calendar = company.resource_calendar_id
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True, mail_create_nolog=True)
    users = Users.create(
        [
            {
                "name": f"Bench technician {index:03d}",
                "login": f"bench_board_technician_{index}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([group_technician.id, env.ref("base.group_user").id])],
                "tz": "Europe/Paris",
                "service_zone_ids": [Command.set(zones[index % len(zones)].ids)],
            }
            for index in range(technicians)
        ]
    )
    dispatcher = Users.create(
        {
            "name": "Bench dispatcher",
            "login": "bench_board_dispatcher",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([group_dispatcher.id, env.ref("base.group_user").id])],
            "tz": "Europe/Paris",
        }
    )
    resources = env["resource.resource"].create(
        [{"name": user.name, "user_id": user.id, "calendar_id": calendar.id, "tz": "Europe/Paris"} for user in users]
    )
    # one technician in five is on leave on Wednesday
    env["resource.calendar.leaves"].create(
        [
            {
                "name": "Training",
                "resource_id": resource.id,
                "calendar_id": calendar.id,
                "date_from": datetime.combine(WEEK + timedelta(days=2), datetime.min.time()),
                "date_to": datetime.combine(WEEK + timedelta(days=3), datetime.min.time()),
            }
            for resource in resources[::5]
        ]
    )
    customers = env["res.partner"].create(
        [{"name": f"Bench board customer {index}", "is_company": True} for index in range(20)]
    )
    sites = env["res.partner"].create(
        [
            {
                "name": f"Bench site {index}",
                "type": "delivery",
                "parent_id": customers[index % len(customers)].id,
                "city": "Lyon",
                "service_zone_id": zones[index % len(zones)].id,
            }
            for index in range(100)
        ]
    )
    slots = [(user, WEEK + timedelta(days=day), hour) for day in range(5) for hour in HOURS for user in users][
        :interventions
    ]
    vals_list = [
        {
            "company_id": company.id,
            "partner_id": sites[index % len(sites)].parent_id.id,
            "site_id": sites[index % len(sites)].id,
            "intervention_type": ("preventive", "corrective", "inspection")[index % 3],
            "priority": "0123"[index % 4],
            "user_id": user.id,
            "planned_start": datetime.combine(day, datetime.min.time()) + timedelta(hours=hour),
            "planned_duration": 1.0,
        }
        for index, (user, day, hour) in enumerate(slots)
    ]
    vals_list += [
        {"company_id": company.id, "partner_id": site.parent_id.id, "site_id": site.id} for site in sites[:30]
    ]
    Intervention = env["service.intervention"].with_context(tracking_disable=True, mail_create_nolog=True)
    for offset in range(0, len(vals_list), 500):
        Intervention.create(vals_list[offset : offset + 500])
    env.flush_all()
    env.cr.execute("ANALYZE service_intervention, res_users, resource_resource, resource_calendar_leaves")
    env.invalidate_all()
    return dispatcher


def bench(env, scale):
    """Build ``scale``'s week, time the board's data call, roll back; return the printed lines."""
    interventions, technicians = SIZES.get(scale, SIZES["small"])
    env = env(context=dict(env.context, tz="Europe/Paris"))
    savepoint = env.cr.savepoint(flush=True)
    try:
        dispatcher = _build(env, interventions, technicians)
        board_env = env(user=dispatcher, context={"lang": "en_US", "tz": "Europe/Paris"})
        Intervention = board_env["service.intervention"]
        Intervention.get_dispatch_board_data(WEEK.isoformat())  # warm the caches of the registry
        timings, queries = [], 0
        for _run in range(3):
            board_env.invalidate_all()
            before = env.cr.sql_log_count
            started = time.perf_counter()
            data = Intervention.get_dispatch_board_data(WEEK.isoformat())
            timings.append(time.perf_counter() - started)
            queries = env.cr.sql_log_count - before
        seconds = sorted(timings)[1]
        cards = sum(len(cards) for cards in data["cells"].values())
        rows = len(data["technicians"])
        raw_timings = []
        for _run in range(3):
            board_env.invalidate_all()
            started = time.perf_counter()
            Intervention.search_read(
                [
                    ("planned_start", "<", datetime.combine(WEEK + timedelta(days=7), datetime.min.time())),
                    ("planned_end", ">", datetime.combine(WEEK, datetime.min.time())),
                    ("user_id", "!=", False),
                    ("state", "!=", "cancelled"),
                ],
                ["name", "partner_id", "site_id", "user_id", "planned_start", "planned_end", "state", "priority"],
            )
            raw_timings.append(time.perf_counter() - started)
        raw = sorted(raw_timings)[1]
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
    return [
        f"dispatch board: {interventions} interventions, {technicians} technicians -> week data ({rows} rows, "
        f"{cards} cards) in {seconds * 1000:.0f} ms, {queries} queries (target < {TARGET_MS} ms); "
        f"raw search_read of the week's interventions: {raw * 1000:.0f} ms; ratio {seconds / max(raw, 1e-6):.2f}"
    ]


def main(argv=None):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_standalone import run  # noqa: PLC0415

    return run(__doc__.splitlines()[0], SIZES, bench, argv)


if __name__ == "__main__":
    sys.exit(main())
