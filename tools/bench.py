"""Billing benchmark: the billing run against plain Odoo creating and posting the same invoices.

Run by ``make bench`` (tools/harness.sh bench) on a fresh database holding the
addon without demo data:

    .venv/bin/python tools/bench.py ODOO_SRC ODOO_CONF DATABASE SCALE [PARTS]

It creates contracts of every billing rule (3 lines each) and finished
interventions for the per-intervention, per-service-order and month-end rules,
runs the billing job in its batches (committing after each batch as the
scheduler does), then creates and posts the same invoices with one
``account.move.create(list)`` and one ``action_post()``, and prints one line
per figure. Sizes: SCALE=small bills 1,000 contracts twice and gives the ratio
of both runs together (after a 100-contract run used for the queries-per-invoice
figure); SCALE=full bills 10,000 once. A warm-up run
of 20 contracts, billed and created raw, comes first and is not counted.

Then it calls ``bench(env, scale)`` of tools/bench_dunning.py, bench_jobs.py,
bench_forecast.py and bench_board.py (each when the file exists) and prints their
lines. A sixth argument (or the ``BENCH`` variable) names the parts to run, e.g.
``billing,board``; all of them by default.
"""

import gc
import importlib.util
import os
import sys
import time
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

# (queries-per-invoice size, measured size, runs at the measured size)
SIZES = {"small": (100, 1000, 2), "full": (100, 10000, 1)}
WARM_UP = 20
# share of contracts per (billing rule, recurrence); the rest are per-intervention contracts
MIX = [
    ("advance", "monthly", 0.40),
    ("arrears", "quarterly", 0.20),
    ("advance", "yearly", 0.10),
    ("intervention", "monthly", 0.10),
    ("service_order", "monthly", 0.10),
    ("month_end", "monthly", 0.10),
]


def setup_odoo(odoo_src, conf, database):
    sys.path.insert(0, odoo_src)
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "-d", database, "--max-cron-threads=0", "--log-level=warn"])
    return odoo


def prepare_catalog(env):
    """Products, a tax and a payment term shared by all bench contracts."""
    company = env.company
    Journal = env["account.journal"]
    if not Journal.search([*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    tax = env["account.tax"].create({"name": "VAT 20 (bench)", "amount": 20, "type_tax_use": "sale"})
    products = env["product.product"].create(
        [
            {"name": f"Bench Service {i}", "type": "service", "list_price": 100.0 + i, "taxes_id": [(6, 0, tax.ids)]}
            for i in range(3)
        ]
    )
    part = env["product.product"].create({"name": "Bench Part", "type": "consu", "list_price": 35.0})
    env.cr.commit()
    return {"products": products, "part": part, "term": env.ref("account.account_payment_term_30days")}


def create_contracts(env, catalog, count, tag, today):
    """``count`` running contracts of every rule with one period due on ``today``, and their interventions."""
    Partner = env["res.partner"]
    Contract = env["service.contract"].with_context(tracking_disable=True, mail_create_nolog=True)
    month_start = today.replace(day=1)
    quarter_start = month_start - relativedelta(months=(month_start.month - 1) % 3)
    starts = {
        ("advance", "monthly"): month_start,
        ("arrears", "quarterly"): quarter_start - relativedelta(months=3),
        ("advance", "yearly"): today.replace(month=1, day=1),
    }
    plan = []
    for rule, unit, share in MIX:
        plan += [(rule, unit)] * int(round(count * share))
    plan = plan[:count]
    contracts = env["service.contract"]
    for offset in range(0, len(plan), 200):
        chunk = plan[offset : offset + 200]
        partners = Partner.create(
            [{"name": f"Bench {tag} customer {offset + i}", "is_company": True} for i in range(len(chunk))]
        )
        vals_list = []
        for (rule, unit), partner in zip(chunk, partners, strict=True):
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "date_start": starts.get((rule, unit), today.replace(month=1, day=1)),
                    "duration_value": 2,
                    "billing_rule": rule,
                    "recurring_rule_type": unit,
                    "invoice_policy": "post_send",
                    "payment_term_id": catalog["term"].id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "quantity": 1 + i,
                                "price_unit": 50.0 + 10 * i,
                                "cover_labour": "billable",
                                "cover_travel": "billable",
                            },
                        )
                        for i, product in enumerate(catalog["products"])
                    ],
                }
            )
        chunk_contracts = Contract.create(vals_list)
        chunk_contracts.action_start()
        contracts |= chunk_contracts
        env.cr.commit()
    create_interventions(
        env, catalog, contracts.filtered(lambda c: c.billing_rule not in ("advance", "arrears")), today
    )
    return contracts


def create_interventions(env, catalog, contracts, today):
    """One finished intervention with one part for each per-intervention, per-order and month-end contract."""
    Intervention = env["service.intervention"].with_context(tracking_disable=True, mail_create_nolog=True)
    done = Intervention._get_stage("done")
    last_month = datetime.combine(today.replace(day=1) - timedelta(days=3), datetime.min.time()).replace(hour=10)
    for offset in range(0, len(contracts), 200):
        chunk = contracts[offset : offset + 200]
        orders = env["service.order"].create(
            [
                {"name": f"Order {contract.name}", "partner_id": contract.partner_id.id, "contract_id": contract.id}
                for contract in chunk.filtered(lambda c: c.billing_rule == "service_order")
            ]
        )
        order_of = {order.contract_id: order for order in orders}
        vals_list = []
        for contract in chunk:
            vals_list.append(
                {
                    "partner_id": contract.partner_id.id,
                    "contract_id": contract.id,
                    "service_order_id": order_of[contract].id if contract in order_of else False,
                    "intervention_type": "corrective",
                    "call_date": last_month - timedelta(hours=3),
                    "actual_start": last_month - timedelta(hours=2),
                    "actual_end": last_month,
                    "stage_id": done.id,
                    "part_ids": [(0, 0, {"product_id": catalog["part"].id, "quantity": 2})],
                }
            )
        Intervention.create(vals_list)
        env.cr.commit()


def run_billing(env, contracts):
    """The billing job, batch after batch, committed like the scheduler does; ``(seconds, queries, invoices)``."""
    Move = env["account.move"]
    before = Move.search([("service_billing", "=", True)], order="id desc", limit=1).id or 0
    cr = env.cr
    gc.collect()  # each side starts with no garbage of the one before
    queries = cr.sql_log_count
    start = time.perf_counter()
    Contract = env["service.contract"]
    progress = env["ir.cron.progress"].create({"cron_id": env.ref("service_management.ir_cron_service_billing").id})
    job = Contract.with_context(ir_cron_progress_id=progress.id)
    for _batch in range(10000):
        job._cron_bill_contracts()
        cr.commit()
        env.invalidate_all()
        if not progress.remaining:
            break
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    invoices = Move.search([("service_billing", "=", True), ("id", ">", before)])
    billed = invoices.service_contract_id
    missing = contracts - billed
    if missing:
        raise SystemExit(f"bench: {len(missing)} contracts were not billed, e.g. {missing[:3].mapped('billing_error')}")
    return seconds, queries, invoices


def invoice_copy_vals(invoice):
    """The values plain Odoo needs to create the same invoice."""
    lines = []
    for line in invoice.invoice_line_ids:
        if line.display_type == "product":
            vals = {
                "product_id": line.product_id.id,
                "name": line.name,
                "quantity": line.quantity,
                "product_uom_id": line.product_uom_id.id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": [(6, 0, line.tax_ids.ids)],
                "account_id": line.account_id.id,
                "analytic_distribution": line.analytic_distribution,
            }
        else:
            vals = {"display_type": line.display_type, "name": line.name}
        lines.append((0, 0, vals))
    return {
        "move_type": "out_invoice",
        "partner_id": invoice.partner_id.id,
        "journal_id": invoice.journal_id.id,
        "currency_id": invoice.currency_id.id,
        "invoice_date": invoice.invoice_date,
        "invoice_payment_term_id": invoice.invoice_payment_term_id.id,
        "fiscal_position_id": invoice.fiscal_position_id.id,
        "invoice_origin": invoice.invoice_origin,
        "invoice_line_ids": lines,
    }


def run_raw(env, invoices):
    """Plain Odoo: one create of all the invoices, one post; rolled back afterwards."""
    vals_list = [invoice_copy_vals(invoice) for invoice in invoices]
    env.invalidate_all()
    gc.collect()
    start = time.perf_counter()
    moves = env["account.move"].create(vals_list)
    moves.action_post()
    env.flush_all()
    seconds = time.perf_counter() - start
    env.cr.rollback()
    env.invalidate_all()
    return seconds


PARTS = ("billing", "dunning", "jobs", "forecast", "board")
# where a part's own lines do not name their target
TARGETS = {"forecast": {"small": "target < 5 s at SCALE=full", "full": "target < 5 s"}}


def selected_parts(text):
    """The parts of ``BENCH`` (``billing,dunning,jobs,forecast,board``; empty or ``all``: every part)."""
    if not text or text == "all":
        return list(PARTS)
    parts = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise SystemExit(f"bench: unknown part(s) {', '.join(unknown)}; choose among {','.join(PARTS)}")
    return [part for part in PARTS if part in parts]


def load_part(name):
    """The module ``tools/bench_<name>.py``, or None when that file does not exist (yet)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"bench_{name}.py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_billing(env, scale):
    """The billing run against plain Odoo, at 100 contracts then at the size of ``scale`` (twice at SCALE=small)."""
    small, large, repeats = SIZES.get(scale, SIZES["small"])
    today = datetime.now().date()
    catalog = prepare_catalog(env)
    # the first invoices of a process pay for its cold caches (registry, translations, query plans): a warm-up
    # run of both sides leaves that cost out of the comparison
    _seconds, _queries, invoices = run_billing(env, create_contracts(env, catalog, WARM_UP, f"{scale}-warm-up", today))
    run_raw(env, invoices)
    print(f"warm-up: {len(invoices)} invoices billed and created raw, not counted", flush=True)
    per_invoice = {}
    totals = [0.0, 0.0]
    for run, size in enumerate([small] + [large] * repeats):
        seconds, raw, queries = bench_billing_size(env, catalog, size, f"{scale}-{run}-{size}", today)
        per_invoice[size] = queries
        if size == large:
            totals[0] += seconds
            totals[1] += raw
    if repeats > 1:
        print(
            f"billing runs: {repeats} x {large} contracts in {totals[0]:.1f} s; raw Odoo {totals[1]:.1f} s; "
            f"ratio {totals[0] / totals[1]:.2f} (target <= 1.05)",
            flush=True,
        )
    print(
        f"queries per invoice: {small} contracts {per_invoice[small]:.1f}, "
        f"{large} contracts {per_invoice[large]:.1f} (target: flat with size)",
        flush=True,
    )


def bench_billing_size(env, catalog, size, tag, today):
    """Bill ``size`` new contracts, then create the same invoices raw; print the line, ``(seconds, raw, queries)``."""
    t0 = time.perf_counter()
    contracts = create_contracts(env, catalog, size, tag, today)
    # a database in use has planner statistics that match its tables: give them to the one just filled
    env.cr.execute("ANALYZE")
    env.cr.commit()
    print(
        f"set-up: {size} contracts with 3 lines and their interventions in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    cpu = time.process_time()
    seconds, queries, invoices = run_billing(env, contracts)
    cpu = time.process_time() - cpu
    raw_cpu = time.process_time()
    raw = run_raw(env, invoices)
    raw_cpu = time.process_time() - raw_cpu
    print(
        f"billing run: {size} contracts -> {len(invoices)} invoices in {seconds:.1f} s "
        f"({len(invoices) / seconds:.1f}/s); raw account.move create+post of the same: {raw:.1f} s; "
        f"ratio {seconds / raw:.2f} (target <= 1.05); Python CPU {cpu:.1f} s against {raw_cpu:.1f} s, "
        f"ratio {cpu / max(raw_cpu, 1e-6):.2f}",
        flush=True,
    )
    return seconds, raw, queries / max(len(invoices), 1)


def main():
    odoo_src, conf, database, scale = sys.argv[1:5]
    parts = selected_parts(sys.argv[5] if len(sys.argv) > 5 else os.environ.get("BENCH", ""))
    odoo = setup_odoo(odoo_src, conf, database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for part in parts:
            if part == "billing":
                bench_billing(env, scale)
                continue
            module = load_part(part)
            if module is None:
                print(f"{part}: skipped, tools/bench_{part}.py is not there", flush=True)
                continue
            target = TARGETS.get(part, {}).get(scale, "")
            for line in module.bench(env, scale):
                if target and "target" not in line:
                    line = f"{line} ({target})"
                print(line, flush=True)
            cr.commit()


if __name__ == "__main__":
    main()
