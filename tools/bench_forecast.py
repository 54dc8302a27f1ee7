"""Benchmark of the cash forecast computation over many open items and running contracts.

``bench(env, scale)`` writes open customer invoices and vendor bills (half each) and running
contracts with two lines straight into the tables with set-based SQL (the forecast reads only
stored columns, and building them through the ledger would take most of the run), times
``service.forecast.line._generate`` for the company, and returns one line per figure with the
ratio against plain Odoo reading the same open items (``search_read`` of their residual and
due date). Everything is rolled back.

Standalone:

    .venv/bin/python tools/bench_forecast.py -c .run/odoo.conf -d service_demo [--scale small|full]
"""

import os
import sys
import time
from datetime import date

SIZES = {"small": (5000, 1000), "full": (50000, 10000)}


def _build(env, company, items, contracts):
    cr = env.cr
    journal = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
    )
    product = env["product.product"].create({"name": "Bench forecast service", "type": "service"})
    partners = env["res.partner"].create(
        [{"name": f"Bench forecast customer {i:05d}", "is_company": True} for i in range(2000)]
    )
    # a quarter of the customers pay 12 days late on average: their flows differ between the scenarios
    partners[::4].write({"payer_days_late": 12.0})
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date, name,
                                  invoice_date, invoice_date_due, payment_state, amount_residual,
                                  amount_total, commercial_partner_id, partner_id)
        SELECT %(journal)s, %(company)s, %(currency)s, 'posted',
               CASE WHEN n %% 2 = 0 THEN 'out_invoice' ELSE 'in_invoice' END, 'no',
               CURRENT_DATE - (n %% 90), 'BENCH/' || n, CURRENT_DATE - (n %% 90),
               CURRENT_DATE - (n %% 90) + (n %% 120), 'not_paid', 100 + n %% 900, 100 + n %% 900,
               p.ids[1 + n %% array_length(p.ids, 1)], p.ids[1 + n %% array_length(p.ids, 1)]
          FROM generate_series(1, %(items)s) n, (SELECT array_agg(id) AS ids FROM res_partner
                                                  WHERE id = ANY(%(partners)s)) p
        """,
        {"journal": journal.id, "company": company.id, "currency": company.currency_id.id, "items": items,
         "partners": partners.ids},
    )  # fmt: skip
    cr.execute(
        """
        WITH c AS (
            INSERT INTO service_contract (name, company_id, partner_id, partner_invoice_id, currency_id, state,
                                          date_start, date_end, duration_value, duration_unit, billing_rule,
                                          recurring_rule_type, recurring_interval, invoice_policy, auto_renew,
                                          renewal_value, renewal_unit, indexation_method)
            SELECT 'BENCH-C' || n, %(company)s, p.ids[1 + n %% array_length(p.ids, 1)],
                   p.ids[1 + n %% array_length(p.ids, 1)], %(currency)s, 'running',
                   date_trunc('year', CURRENT_DATE)::date,
                   (date_trunc('year', CURRENT_DATE) + INTERVAL '1 year' - INTERVAL '1 day')::date,
                   1, 'yearly', CASE WHEN n %% 3 = 0 THEN 'arrears' ELSE 'advance' END,
                   (ARRAY['monthly', 'quarterly', 'yearly'])[1 + n %% 3], 1, 'draft', TRUE, 1, 'yearly', 'none'
              FROM generate_series(1, %(contracts)s) n, (SELECT array_agg(id) AS ids FROM res_partner
                                                          WHERE id = ANY(%(partners)s)) p
            RETURNING id
        )
        INSERT INTO service_contract_line (contract_id, company_id, product_id, name, quantity, price_unit,
                                           price_subtotal, cover_labour, cover_travel, cover_parts)
        SELECT c.id, %(company)s, %(product)s, 'Bench line', 1, 100 + k * 50, 100 + k * 50,
               'included', 'included', 'billable'
          FROM c, generate_series(1, 2) k
        """,
        {"company": company.id, "currency": company.currency_id.id, "contracts": contracts,
         "partners": partners.ids, "product": product.id},
    )  # fmt: skip
    # as autovacuum would have done on tables of this size
    cr.execute("ANALYZE account_move, service_contract, service_contract_line, res_partner")
    env.invalidate_all()


def bench(env, scale):
    """Build ``scale``'s open items and contracts, time the forecast, roll back; return the printed lines."""
    items, contracts = SIZES.get(scale, SIZES["small"])
    company = env.ref("service_management.res_company_rhone_demo", raise_if_not_found=False) or env.company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    savepoint = env.cr.savepoint(flush=True)
    try:
        _build(env, company, items, contracts)
        env.flush_all()
        started = time.perf_counter()
        env["service.forecast.line"]._generate(company, date.today())
        seconds = time.perf_counter() - started
        lines = env["service.forecast.line"].search_count([("company_id", "=", company.id)])
        env.invalidate_all()
        started = time.perf_counter()
        env["account.move"].search_read(
            [("company_id", "=", company.id), ("state", "=", "posted"), ("payment_state", "=", "not_paid")],
            ["amount_residual", "invoice_date_due", "commercial_partner_id"],
        )
        raw = time.perf_counter() - started
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
    return [
        f"cash forecast: {items} open items and {contracts} contracts -> {lines} forecast lines in {seconds:.2f} s; "
        f"raw search_read of the open items: {raw:.2f} s; ratio {seconds / max(raw, 1e-6):.2f}"
    ]


def main(argv=None):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_standalone import run  # noqa: PLC0415

    return run(__doc__.splitlines()[0], SIZES, bench, argv)


if __name__ == "__main__":
    sys.exit(main())
