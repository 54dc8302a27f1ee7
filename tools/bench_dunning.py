"""Benchmark of dunning runs: their computation over many open invoices, and the execution of a run.

``bench(env, scale)`` writes open posted customer invoices over many customers straight into the ledger
tables (set-based SQL, with the residuals, due dates and payment states the dunning reads), then

- times the computation step of a dunning run over them, against plain Odoo reading the same open invoices;
- executes the run for part of its customers (letter, e-mail, call and charge invoice each) through the
  background job, batch after batch as the scheduler calls it, counts the wkhtmltopdf calls, and compares
  with plain Odoo creating and posting the same number of charge invoices in one call.

It returns one line per figure, each with its target, and rolls back everything it wrote.

Standalone (serves the report assets on ``--http-port`` for wkhtmltopdf while it runs):

    .venv/bin/python tools/bench_dunning.py -c .run/odoo.conf -d service_demo [--scale small|full] \
        [--http-port 8172] [--batch-size 50]
"""

import argparse
import os
import sys
import time
from datetime import date

# open invoices, customers, customers executed
SIZES = {"small": (5000, 1200, 100), "full": (50000, 12000, 1000)}
# seconds, at full scale; the small scale is a tenth of it
COMPUTE_TARGET = 20.0
EXECUTE_TARGET = 120.0


def _company(env):
    company = env.ref("service_management.res_company_rhone_demo", raise_if_not_found=False)
    if company:
        return company
    return env["res.company"].search([("chart_template", "!=", False)], limit=1) or env.company


def _create_policy(env, company):
    from odoo import Command  # noqa: PLC0415

    channels = {"send_email": True, "print_letter": True, "create_activity": True}
    return env["service.dunning.policy"].create(
        {
            "name": "Benchmark policy",
            "company_id": company.id,
            "level_ids": [
                Command.create({"sequence": 1, "name": "Reminder", "days": 5, "fee_amount": 5.0, **channels}),
                Command.create({"sequence": 2, "name": "Second", "days": 20, "apply_indemnity": True, **channels}),
                Command.create(
                    {
                        "sequence": 3,
                        "name": "Notice",
                        "days": 45,
                        "apply_interest": True,
                        "apply_indemnity": True,
                        "fee_amount": 15.0,
                        **channels,
                    }
                ),
                Command.create({"sequence": 4, "name": "Final", "days": 75, "apply_interest": True, **channels}),
            ],
        }
    )


def _build_invoices(env, company, customers, invoice_count, run_date):
    """``invoice_count`` open posted customer invoices over ``customers``, written straight into the ledger tables.

    Set-based SQL: one row per invoice in ``account_move`` and its two journal items (the receivable, whose
    residual is the invoice's, and the income) in ``account_move_line``, with every column the dunning reads
    (residuals, due dates, payment state, commercial partner). Due dates spread over the 120 days before the
    run, amounts from 100 to 999.
    """
    journal = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
    )
    receivable = customers[:1].with_company(company).property_account_receivable_id
    env.flush_all()
    env.cr.execute(
        """
        WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM res_partner WHERE id = ANY(%(partners)s)),
        src AS (
            SELECT n, p.ids[1 + n %% array_length(p.ids, 1)] AS partner_id, (100 + n %% 900)::numeric AS amount,
                   %(run_date)s::date - (n %% 120) AS due
              FROM generate_series(0, %(count)s - 1) n, p
        ),
        m AS (
            INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                      name, sequence_prefix, sequence_number, invoice_date, invoice_date_due,
                                      payment_state, amount_untaxed, amount_tax, amount_total, amount_residual,
                                      amount_untaxed_signed, amount_tax_signed, amount_total_signed,
                                      amount_total_in_currency_signed, amount_residual_signed,
                                      partner_id, commercial_partner_id, invoice_partner_display_name,
                                      posted_before, create_uid, write_uid, create_date, write_date)
            SELECT %(journal)s, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no', due - 30,
                   'BENCH/' || n, 'BENCH/', n, due - 30, due,
                   'not_paid', amount, 0, amount, amount, amount, 0, amount, amount, amount,
                   partner_id, partner_id, 'Bench customer', TRUE, 1, 1, now(), now()
              FROM src
            RETURNING id, partner_id, date, invoice_date_due, amount_total, name
        )
        INSERT INTO account_move_line (move_id, journal_id, company_id, company_currency_id, currency_id,
                                       account_id, partner_id, date, date_maturity, name, display_type,
                                       parent_state, move_name, debit, credit, balance, amount_currency,
                                       amount_residual, amount_residual_currency, reconciled, quantity,
                                       price_unit, price_subtotal, price_total, sequence,
                                       create_uid, write_uid, create_date, write_date)
        SELECT m.id, %(journal)s, %(company)s, %(currency)s, %(currency)s, %(receivable)s, m.partner_id, m.date,
               m.invoice_date_due, m.name, 'payment_term', 'posted', m.name, m.amount_total, 0, m.amount_total,
               m.amount_total, m.amount_total, m.amount_total, FALSE, NULL, NULL, NULL, NULL, 10,
               1, 1, now(), now()
          FROM m
         UNION ALL
        SELECT m.id, %(journal)s, %(company)s, %(currency)s, %(currency)s, %(income)s, m.partner_id, m.date,
               NULL, 'Bench service', 'product', 'posted', m.name, 0, m.amount_total, -m.amount_total,
               -m.amount_total, 0, 0, FALSE, 1, m.amount_total, m.amount_total, m.amount_total, 10,
               1, 1, now(), now()
          FROM m
        """,
        {
            "partners": customers.ids,
            "count": invoice_count,
            "run_date": run_date,
            "journal": journal.id,
            "company": company.id,
            "currency": company.currency_id.id,
            "receivable": receivable.id,
            "income": journal.default_account_id.id,
        },
    )
    # as autovacuum would have done on tables of this size
    env.cr.execute("ANALYZE account_move, account_move_line, res_partner")
    env.invalidate_all()


class _RenderCounter:
    """Counts the wkhtmltopdf calls of the registry's report model while it is active."""

    def __init__(self, env):
        self.model_class = type(env["ir.actions.report"])
        self.calls = 0

    def __enter__(self):
        original = self.original = self.model_class._run_wkhtmltopdf
        counter = self

        def _run_wkhtmltopdf(report, *args, **kwargs):
            counter.calls += 1
            return original(report, *args, **kwargs)

        self.model_class._run_wkhtmltopdf = _run_wkhtmltopdf
        return self

    def __exit__(self, *exc):
        self.model_class._run_wkhtmltopdf = self.original


def _time_computation(env, company, customers, run_date):
    Run = env["service.dunning.run"]
    Run.search([("company_id", "=", company.id), ("date", "=", run_date)]).unlink()
    # Plain Odoo: read the same open invoices and total them per customer.
    env.invalidate_all()
    started = time.perf_counter()
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
    run = Run.create({"company_id": company.id, "date": run_date})
    run.action_compute()
    env.flush_all()
    return run, time.perf_counter() - started, baseline


def _time_execution(env, run, policy, count, batch_size=None):
    """Execute ``count`` customers of ``run`` through the background job (``batch_size`` customers per call,
    the job's default if not given); (seconds, renders, lines)."""
    lines = run.line_ids.filtered(lambda line: line.policy_id == policy).sorted("id")
    executed = lines[:count]
    (run.line_ids - executed).write({"state": "excluded"})
    Run = env["service.dunning.run"]
    env.flush_all()
    env.invalidate_all()
    with _RenderCounter(env) as counter:
        started = time.perf_counter()
        run.action_review()
        run.action_execute()
        for _call in range(10 * count + 10):
            if run.state != "executing":
                break
            Run._cron_execute_runs(**({"batch_size": batch_size} if batch_size else {}))
            env.flush_all()
        seconds = time.perf_counter() - started
    return seconds, counter.calls, executed


def _time_plain_odoo(env, run, lines):
    """Plain Odoo producing the same documents as the execution of ``lines``: the same charge invoices created
    and posted in one call, and the same letters printed in one call."""
    vals_list = [run._prepare_charge_move_vals(line) for line in lines.filtered("charge_move_id")]
    report = env.ref("service_management.action_report_service_dunning_letter")
    env.flush_all()
    started = time.perf_counter()
    moves = env["account.move"].create(vals_list)
    moves.action_post()
    env.flush_all()
    report._render_qweb_pdf(report.report_name, lines.ids)
    return time.perf_counter() - started


def bench(env, scale, batch_size=None):
    """Build ``scale``'s ("small" or "full") open invoices, time the dunning computation and execution
    (``batch_size`` customers per job call, the job's default if not given), roll back."""
    invoice_count, customer_count, execute_count = SIZES.get(scale, SIZES["small"])
    share = 1.0 if scale == "full" else 0.1
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
    savepoint = env.cr.savepoint(flush=True)
    try:
        policy = _create_policy(env, company)
        started = time.perf_counter()
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Bench customer {i:05d}",
                    "is_company": True,
                    "email": f"bench{i:05d}@example.com",
                    "dunning_policy_id": policy.id,
                }
                for i in range(customer_count)
            ]
        )
        _build_invoices(env, company, customers, invoice_count, run_date)
        build_time = time.perf_counter() - started

        run, compute_time, baseline = _time_computation(env, company, customers, run_date)
        lines = run.line_ids.filtered(lambda line: line.policy_id == policy)
        proposed = f"{len(lines)} customers, {len(lines.item_ids)} invoices proposed"

        execute_time, renders, executed = _time_execution(env, run, policy, execute_count, batch_size)
        charges = len(executed.charge_move_id)
        letters = env["ir.attachment"].search_count(
            [("res_model", "=", "service.dunning.run.line"), ("res_id", "in", executed.ids)]
        )
        raw_time = _time_plain_odoo(env, run, executed)
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
    compute_target, execute_target = COMPUTE_TARGET * share, EXECUTE_TARGET * share
    return [
        f"dunning run: {invoice_count} open invoices, {customer_count} customers -> computed in {compute_time:.1f} s "
        f"(target < {compute_target:.0f} s); {proposed}; plain Odoo read of the same open invoices: "
        f"{baseline:.2f} s; ratio {compute_time / max(baseline, 1e-6):.1f}",
        f"dunning run: executed {len(executed)} customers in {execute_time:.1f} s through the background job "
        f"(target < {execute_target:.0f} s): {renders} PDF renders, {letters} letters, {charges} charge invoices; "
        f"plain Odoo creating and posting the same {charges} invoices and printing the same letters, one call each: "
        f"{raw_time:.1f} s; ratio {execute_time / max(raw_time, 1e-6):.2f}",
        f"dunning run: building the {invoice_count} posted invoices and {customer_count} customers took "
        f"{build_time:.1f} s (set-based SQL; no target)",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=".run/odoo.conf", help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database with service_management installed")
    parser.add_argument("--scale", default="small", choices=sorted(SIZES))
    parser.add_argument("--http-port", type=int, default=0, help="serve the report assets on this port")
    parser.add_argument("--batch-size", type=int, default=0, help="customers per job call (default: the job's)")
    args = parser.parse_args(argv)

    import odoo  # noqa: PLC0415
    from odoo.api import Environment  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    options = ["-c", args.config, "-d", args.database, "--log-level=warn"]
    if args.http_port:
        options.append(f"--http-port={args.http_port}")
    odoo.tools.config.parse_config(options)
    registry = Registry(args.database)
    if args.http_port:
        # wkhtmltopdf fetches the report's assets over HTTP, as from a running server
        odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.http.root)
        odoo.service.server.server.http_spawn()
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        if args.http_port:
            env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{args.http_port}")
        try:
            for line in bench(env, args.scale, args.batch_size or None):
                print(line, flush=True)
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo"))
    sys.exit(main())
