"""Bounded load test of the three busy screens, on this machine only.

    .venv/bin/python tools/load.py --database service_demo --url http://127.0.0.1:8069
    .venv/bin/python tools/load.py --database service_demo --start -c .run/odoo.conf

It logs in demo technicians and dispatchers (a database with the addon's demo data), then
``--clients`` concurrent clients (20 by default) call the screens as the web client does:

- *My Day* (technicians): ``web_search_read`` of their interventions of today with the list's fields;
- the dispatch board (dispatchers): ``get_dispatch_board_data`` of this week;
- the intervention form (both): ``web_read`` of one of their interventions with the form's fields,
  then ``onchange`` of its planned duration (two lines: form web_read, form onchange).

One client in four is a dispatcher, the others technicians.

It runs for ``--duration`` seconds or ``--requests`` requests, whichever comes first, prints the
requests per second, the median and the 95th percentile of each screen, and stops by itself: a hard
limit (``--time-limit``) ends it whatever happens. With ``--start`` it serves the database itself with
``--workers`` worker processes (3 by default) on a free port of 127.0.0.1 and stops that server at the
end. It only talks to 127.0.0.1 / localhost: any other host is refused.

The demo technicians other than Julien Moreau have no password: the first run gives them the README's
technician password (``technician``), logged in as the administrator (``--admin-login``/``--admin-password``).
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from datetime import date, datetime
from urllib.parse import urlparse

import requests

LOOPBACK = ("127.0.0.1", "localhost")
TARGET_P95_MS = 1000
TECHNICIAN_PASSWORD = "technician"  # noqa: S105 - the README's demo password
DISPATCHERS = (("camille", "dispatcher"), ("marc", "manager"))
SCREENS = ("My Day list", "board week", "form web_read", "form onchange")


class LoadError(Exception):
    pass


class HardLimit(BaseException):
    """Raised by the alarm of ``--time-limit``: ends the run whatever it is doing."""


def check_loopback(url):
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise LoadError(f"refused: {url} is not on this machine (only {', '.join(LOOPBACK)})")
    return url.rstrip("/")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One browser: a session cookie and JSON-RPC calls as the web client makes them."""

    def __init__(self, url, database, login, password):
        self.url, self.database, self.login = url, database, login
        self.session = requests.Session()
        self.session.trust_env = False  # never through a proxy
        result = self.rpc("/web/session/authenticate", {"db": database, "login": login, "password": password})
        self.uid = result["uid"]
        self.context = result["user_context"]

    def rpc(self, path, params, timeout=60):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9), "params": params},
            timeout=timeout,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise LoadError(f"{self.login}: {path}: {data.get('message') or body['error'].get('message')}")
        return body["result"]

    def call(self, model, method, args, kwargs=None):
        kwargs = dict(kwargs or {})
        kwargs.setdefault("context", self.context)
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )


def view_spec(client, model, view_type, view_id=False):
    """The ``specification`` the web client sends for a view: its fields, related ones with their name."""
    views = client.call(model, "get_views", [], {"views": [[view_id, view_type]], "options": {}})
    fields = views["models"][model]["fields"]
    root = ET.fromstring(views["views"][view_type]["arch"])
    spec = {}

    def walk(node):
        for child in node:
            if child.tag == "field":
                name = child.get("name")
                kind = fields.get(name, {}).get("type")
                if kind in ("many2one", "one2many", "many2many"):
                    spec[name] = {"fields": {"display_name": {}}}
                elif kind:
                    spec[name] = {}
                continue  # the fields of an x2many's own list are read by that list, not here
            walk(child)

    walk(root)
    return spec


def prepare_users(url, database, admin_login, admin_password, technicians, dispatchers):
    """``(technician clients, dispatcher clients)``, logged in; the demo technicians get the README's password."""
    admin = Client(url, database, admin_login, admin_password)
    found = admin.call(
        "res.users",
        "search_read",
        [
            [
                ("groups_id", "in", admin.call("ir.model.data", "check_object_reference",
                                              ["service_management", "group_service_technician"])[1]),
                ("groups_id", "not in", admin.call("ir.model.data", "check_object_reference",
                                                  ["service_management", "group_service_user"])[1]),
                ("share", "=", False),
            ],
            ["login"],
        ],
        {"limit": technicians, "order": "id"},
    )  # fmt: skip
    if not found:
        raise LoadError(f"{database} has no technician: use a database with the addon's demo data")
    technician_clients = []
    for user in found:
        try:
            technician_clients.append(Client(url, database, user["login"], TECHNICIAN_PASSWORD))
        except LoadError:
            admin.call("res.users", "write", [[user["id"]], {"password": TECHNICIAN_PASSWORD}])
            technician_clients.append(Client(url, database, user["login"], TECHNICIAN_PASSWORD))
    dispatcher_clients = [Client(url, database, login, password) for login, password in DISPATCHERS[:dispatchers]]
    if len(dispatcher_clients) < dispatchers:
        dispatcher_clients.append(admin)
    my_day_view = admin.call(
        "ir.model.data", "check_object_reference", ["service_management", "service_intervention_view_list_my_day"]
    )[1]
    return technician_clients, dispatcher_clients, my_day_view


class Screens:
    """The calls of each screen for one user, with what they need (the view's fields, the records to open)."""

    def __init__(self, client, technician, my_day_view):
        self.client = client
        self.technician = technician
        self.list_spec = view_spec(client, "service.intervention", "list", my_day_view)
        self.form_spec = view_spec(client, "service.intervention", "form")
        today = date.today().isoformat()
        self.my_day_domain = [
            "&",
            "|",
            ("user_id", "=", client.uid),
            ("helper_ids", "in", client.uid),
            "&",
            ("planned_start", "<", f"{today} 23:59:59"),
            ("planned_end", ">=", f"{today} 00:00:00"),
        ]
        own = ["|", ("user_id", "=", client.uid), ("helper_ids", "in", client.uid)] if technician else []
        self.form_ids = client.call(
            "service.intervention", "search", [own], {"limit": 50, "order": "planned_start desc"}
        )
        if not self.form_ids:
            raise LoadError(f"{client.login} has no intervention to open")

    def my_day(self):
        return self.client.call(
            "service.intervention",
            "web_search_read",
            [],
            {"domain": self.my_day_domain, "specification": self.list_spec, "limit": 80, "order": "planned_start, id"},
        )

    def board(self):
        return self.client.call("service.intervention", "get_dispatch_board_data", [date.today().isoformat(), [], []])

    def form_read(self):
        self.record_id = random.choice(self.form_ids)
        record = self.client.call(
            "service.intervention", "web_read", [[self.record_id]], {"specification": self.form_spec}
        )
        self.duration = (record[0].get("planned_duration") or 1.0) + 0.5

    def form_onchange(self):
        """The user changes the planned duration on the form just read."""
        self.client.call(
            "service.intervention",
            "onchange",
            [[self.record_id], {"planned_duration": self.duration}, ["planned_duration"], self.form_spec],
        )

    def calls(self):
        first = ("My Day list", self.my_day) if self.technician else ("board week", self.board)
        return first, ("form web_read", self.form_read), ("form onchange", self.form_onchange)


def run_clients(technicians, dispatchers, clients, duration, max_requests):
    """Run ``clients`` threads until ``duration`` or ``max_requests``; ``(timings, errors, seconds)``.

    One client in four is a dispatcher (the board), the others technicians (My Day); each goes through
    its screens in turn, as fast as the server answers.
    """
    timings = {screen: [] for screen in SCREENS}
    errors = []
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + duration
    count = [0]

    def work(index):
        if index % 4 == 1 or not technicians:
            user_screens = dispatchers[(index // 4) % len(dispatchers)]
        else:
            user_screens = technicians[(index - index // 4 - 1) % len(technicians)]
        calls = user_screens.calls()
        step = 0
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                if max_requests and count[0] >= max_requests:
                    stop.set()
                    return
                count[0] += 1
            name, call = calls[step % len(calls)]
            step += 1
            started = time.perf_counter()
            try:
                call()
            except Exception as error:  # noqa: BLE001 - counted and printed, the run goes on
                with lock:
                    errors.append(f"{name}: {error}")
                continue
            with lock:
                timings[name].append(time.perf_counter() - started)

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()) + 65)
    finally:
        stop.set()
    return timings, errors, time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(timings, errors, seconds, clients, users, url, workers):
    total = sum(len(values) for values in timings.values())
    lines = [
        f"load: {clients} clients, {users} users on {url}{f' ({workers} workers)' if workers else ''}: "
        f"{total} requests in {seconds:.1f} s, {total / seconds:.1f} requests/s, {len(errors)} errors"
    ]
    for screen in SCREENS:
        values = timings[screen]
        if not values:
            continue
        p95 = percentile(values, 0.95) * 1000
        lines.append(
            f"load: {screen}: {len(values)} requests, {len(values) / seconds:.1f}/s, "
            f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95:.0f} ms "
            f"(target p95 < {TARGET_P95_MS} ms){'' if p95 < TARGET_P95_MS else ' MISSED'}"
        )
    for error in sorted(set(errors))[:5]:
        lines.append(f"load: error: {error}")
    return lines


def start_server(args):
    """Serve ``args.database`` with ``args.workers`` workers on a free loopback port; ``(process, url)``."""
    port = free_port()
    command = [
        sys.executable,
        os.path.join(args.odoo, "odoo-bin"),
        "-c",
        args.config,
        "-d",
        args.database,
        f"--db-filter=^{args.database}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--no-database-list",
        f"--logfile={args.server_log}",
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadError(f"the server stopped at once; see {args.server_log}")
        try:
            if requests.get(f"{url}/web/health", timeout=2).ok:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(process)
    raise LoadError(f"the server did not answer within 120 s; see {args.server_log}")


def stop_server(process):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", "-d", default="service_demo")
    parser.add_argument("--url", help="a running Odoo, http://127.0.0.1:PORT or http://localhost:PORT")
    parser.add_argument("--start", action="store_true", help="serve the database here for the run, then stop")
    parser.add_argument("--config", "-c", default=".run/odoo.conf", help="Odoo configuration for --start")
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo"))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--server-log", default=".run/load-server.log")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--technicians", type=int, default=6)
    parser.add_argument("--dispatchers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many requests (0: no limit)")
    parser.add_argument("--time-limit", type=int, default=0, help="hard limit in seconds (default: duration + 240)")
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    args = parser.parse_args(argv)
    if bool(args.url) == bool(args.start):
        parser.error("give either --url of a running server or --start")
    if not 1 <= args.clients <= 100 or args.duration <= 0 or args.duration > 3600:
        parser.error("--clients must be 1 to 100 and --duration 1 to 3600 seconds")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        url = check_loopback(args.url) if args.url else None
    except LoadError as error:
        print(f"load: {error}", file=sys.stderr)
        return 2

    def on_alarm(_signum, _frame):
        raise HardLimit

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.time_limit or int(args.duration) + 240)
    process = None
    try:
        if args.start:
            process, url = start_server(args)
        technicians, dispatchers, my_day_view = prepare_users(
            url, args.database, args.admin_login, args.admin_password, args.technicians, args.dispatchers
        )
        technician_screens = [Screens(client, True, my_day_view) for client in technicians]
        dispatcher_screens = [Screens(client, False, my_day_view) for client in dispatchers]
        for user_screens in technician_screens + dispatcher_screens:  # each screen once, as on a first visit
            for _name, call in user_screens.calls():
                call()
        timings, errors, seconds = run_clients(
            technician_screens, dispatcher_screens, args.clients, args.duration, args.requests
        )
        users = len(technician_screens) + len(dispatcher_screens)
        for line in report(timings, errors, seconds, args.clients, users, url, args.workers if args.start else 0):
            print(line, flush=True)
        return 1 if errors else 0
    except HardLimit:
        print(f"load: stopped by the hard time limit at {datetime.now():%H:%M:%S}", file=sys.stderr)
        return 3
    except (LoadError, requests.RequestException, json.JSONDecodeError) as error:
        print(f"load: {error}", file=sys.stderr)
        return 2
    finally:
        signal.alarm(0)
        stop_server(process)


if __name__ == "__main__":
    sys.exit(main())
