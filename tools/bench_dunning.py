"""Benchmark of the dunning computation over many open invoices.

``bench(env, scale)`` builds open posted customer invoices over many customers in ``env``'s database
(batched create + post), times the computation step of a dunning run over them, and returns one line
per figure, with the ratio against plain Odoo reading the same open invoices.

Standalone (rolls back everything it created):

    .venv/bin/python tools/bench_dunning.py -c .run/odoo.conf -d service_demo [--scale small|full]
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta

SIZES = {"small": (5000, 1200), "full": (50000, 12000)}
BATCH = 1000


def _company(env):
    company = env.ref("service_management.res_company_rhone_demo", raise_if_not_found=False)
    if company:
        return company
    return env["res.company"].search([("chart_template", "!=", False)], limit=1) or env.company


def bench(env, scale):
    """Build the invoices of ``scale`` ("small" or "full") and time the dunning computation."""
    from odoo import Command

    invoice_count, customer_count = SIZES.get(scale, SIZES["small"])
    company = _company(env)
    env = env(
        context=dict(
            env.context,
            allowed_company_ids=[company.id],
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    run_date = date(2045, 1, 15)
    env["service.dunning.run"].search([("company_id", "=", company.id), ("date", "=", run_date)]).unlink()
    policy = env["service.dunning.policy"].create(
        {
            "name": "Benchmark policy",
            "company_id": company.id,
            "level_ids": [
                Command.create({"sequence": 1, "name": "Reminder", "days": 5, "send_email": False}),
                Command.create(
                    {"sequence": 2, "name": "Second", "days": 20, "send_email": False, "apply_indemnity": True}
                ),
                Command.create(
                    {
                        "sequence": 3,
                        "name": "Notice",
                        "days": 45,
                        "send_email": False,
                        "apply_interest": True,
                        "apply_indemnity": True,
                        "fee_amount": 15.0,
                    }
                ),
                Command.create(
                    {"sequence": 4, "name": "Final", "days": 75, "send_email": False, "apply_interest": True}
                ),
            ],
        }
    )
    customers = env["res.partner"].create(
        [
            {"name": f"Bench customer {i:05d}", "is_company": True, "dunning_policy_id": policy.id}
            for i in range(customer_count)
        ]
    )
    product = env["product.product"].create({"name": "Bench service", "type": "service", "taxes_id": [Command.clear()]})
    started = time.perf_counter()
    for start in range(0, invoice_count, BATCH):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    # numbered up front: Odoo's per-invoice sequence lookup is not what is measured here
                    "name": f"BENCH/{(run_date - timedelta(days=(i % 120) + 30)).year}/{i + 1:05d}",
                    "partner_id": customers[i % customer_count].id,
                    "invoice_date": run_date - timedelta(days=(i % 120) + 30),
                    "invoice_date_due": run_date - timedelta(days=i % 120),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": product.id, "price_unit": 100.0 + i % 900, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
                for i in range(start, min(start + BATCH, invoice_count))
            ]
        )
        moves.action_post()
    env.flush_all()
    build_time = time.perf_counter() - started

    # Plain Odoo: read the same open invoices and total them per customer.
    started = time.perf_counter()
    env.invalidate_all()
    domain = [
        ("company_id", "=", company.id),
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "in", ("not_paid", "partial")),
        ("commercial_partner_id", "in", customers.ids),
    ]
    env["account.move"].search_fetch(domain, ["commercial_partner_id", "invoice_date_due", "amount_residual"])
    env["account.move"]._read_group(domain, ["commercial_partner_id"], ["amount_residual:sum"])
    baseline = time.perf_counter() - started

    env.invalidate_all()
    started = time.perf_counter()
    run = env["service.dunning.run"].create({"company_id": company.id, "date": run_date})
    run.action_compute()
    env.flush_all()
    elapsed = time.perf_counter() - started
    lines = run.line_ids.filtered(lambda line: line.policy_id == policy)
    return [
        f"dunning run: {invoice_count} open invoices, {customer_count} customers -> computed in {elapsed:.1f} s "
        f"(target < 10 s); {len(lines)} customers, {len(lines.item_ids)} invoices proposed",
        f"dunning run: plain Odoo read of the same open invoices: {baseline:.2f} s; ratio {elapsed / baseline:.1f}",
        f"dunning run: building the {invoice_count} posted invoices took {build_time:.1f} s",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=".run/odoo.conf", help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database with service_management installed")
    parser.add_argument("--scale", default="small", choices=sorted(SIZES))
    args = parser.parse_args(argv)

    import odoo
    from odoo.api import Environment
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            for line in bench(env, args.scale):
                print(line, flush=True)
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo"))
    sys.exit(main())
