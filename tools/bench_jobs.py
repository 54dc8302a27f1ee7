"""Benchmark of the daily jobs: payer score, contract renewals and alerts, preventive generation, price revision.

``bench(env, scale)`` writes customers with five years of settled and open invoices, and running
contracts with one preventive line and one equipment each, straight into the tables with set-based
SQL (the jobs read only stored columns, and building them through the ledger would take most of
the run), then runs each scheduled job the way the cron worker does (one call per batch until no
work remains), and returns one line per job with its figure, its target and its queries. Everything
is rolled back.

Standalone:

    .venv/bin/python tools/bench_jobs.py -c .run/odoo.conf -d service_demo [--scale small|full]
"""

import os
import sys
import time
from datetime import date, timedelta

# (customers scored, contracts renewed and alerted, contract lines planned)
SIZES = {"small": (1200, 1000, 1000), "full": (12000, 10000, 10000)}
INVOICES_PER_CUSTOMER = 10  # five years of half-yearly invoices
TARGETS = {"payer": 10.0, "renewal": 60.0, "preventive": 60.0, "revision": 60.0}


def _company(env):
    company = env.ref("service_management.res_company_rhone_demo", raise_if_not_found=False)
    if company:
        return company
    return env["res.company"].search([("chart_template", "!=", False)], limit=1) or env.company


def _insert_partners(env, count, prefix):
    env.cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, is_company, type, autopost_bills, lang)
        SELECT %(prefix)s || lpad(n::text, 5, '0'), %(prefix)s || lpad(n::text, 5, '0'), TRUE, TRUE, 'contact',
               'ask', 'en_US'
          FROM generate_series(1, %(count)s) n
        RETURNING id
        """,
        {"prefix": prefix, "count": count},
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    return env["res.partner"].browse(ids)


def _build_payment_history(env, company, customers):
    """Ten invoices per customer over five years: most paid (some late), the last ones partly open."""
    cr = env.cr
    journal = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
    )
    receivable = env["account.account"].search(
        [*env["account.account"]._check_company_domain(company), ("account_type", "=", "asset_receivable")], limit=1
    )
    today = date.today()
    cr.execute(
        """
        WITH m AS (
            INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date, name,
                                      invoice_date, invoice_date_due, payment_state, amount_total,
                                      amount_total_signed, amount_residual, amount_residual_signed,
                                      commercial_partner_id, partner_id)
            SELECT %(journal)s, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no', d.inv_date,
                   'BENCH/JOBS/' || p.id || '/' || k, d.inv_date, d.inv_date + 30,
                   CASE WHEN k >= 9 AND p.id %% 3 = 0 THEN 'partial' ELSE 'paid' END,
                   100 + (p.id * k) %% 900, 100 + (p.id * k) %% 900,
                   CASE WHEN k >= 9 AND p.id %% 3 = 0 THEN 50 ELSE 0 END,
                   CASE WHEN k >= 9 AND p.id %% 3 = 0 THEN 50 ELSE 0 END,
                   p.id, p.id
              FROM unnest(%(partners)s::int[]) AS p(id), generate_series(1, %(per)s) k,
                   LATERAL (SELECT %(today)s::date - (%(per)s - k) * 182 - 40 AS inv_date) d
            RETURNING id, partner_id, invoice_date_due, payment_state, amount_total
        ), l AS (
            INSERT INTO account_move_line (move_id, company_id, journal_id, account_id, currency_id, partner_id,
                                           display_type, date, date_maturity, debit, credit, balance,
                                           amount_currency, amount_residual, amount_residual_currency, parent_state)
            SELECT m.id, %(company)s, %(journal)s, %(account)s, %(currency)s, m.partner_id, 'payment_term',
                   m.invoice_date_due - 30, m.invoice_date_due, m.amount_total, 0, m.amount_total, m.amount_total,
                   0, 0, 'posted'
              FROM m
            RETURNING id, move_id, date_maturity
        )
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, company_id, debit_currency_id,
                                               credit_currency_id, amount, debit_amount_currency,
                                               credit_amount_currency, max_date)
        SELECT l.id, l.id, %(company)s, %(currency)s, %(currency)s, 1, 1, 1,
               -- a third of the customers pay 20 days late, the others on time
               l.date_maturity + CASE WHEN m.partner_id %% 3 = 1 THEN 20 ELSE -2 END
          FROM l JOIN m ON m.id = l.move_id
        """,
        {
            "journal": journal.id,
            "company": company.id,
            "currency": company.currency_id.id,
            "account": receivable.id,
            "partners": customers.ids,
            "per": INVOICES_PER_CUSTOMER,
            "today": today,
        },
    )


def _build_contracts(env, company, count):
    """``count`` contracts, one line with 4 to 12 visits a year and one equipment each, in four cases of the
    renewal job: tacitly renewed, expired, expiry alert, notice alert."""
    cr = env.cr
    today = date.today()
    customers = _insert_partners(env, max(count // 5, 1), "Bench jobs site ")
    product = env["product.product"].create({"name": "Bench jobs maintenance", "type": "service"})
    responsible = env["res.users"].search([("share", "=", False)], limit=5)
    cr.execute(
        """
        WITH c AS (
            INSERT INTO service_contract (name, company_id, partner_id, partner_invoice_id, currency_id, state,
                                          date_start, date_end, duration_value, duration_unit, billing_rule,
                                          recurring_rule_type, recurring_interval, invoice_policy, auto_renew,
                                          renewal_value, renewal_unit, indexation_method, notice_period_days,
                                          expiry_alert_days, notice_alert_days, notice_deadline,
                                          expiry_alert_date, notice_alert_date, expiry_alert_done,
                                          notice_alert_done, user_id)
            SELECT 'BENCH-JOBS-' || n, %(company)s, p.ids[1 + n %% array_length(p.ids, 1)],
                   p.ids[1 + n %% array_length(p.ids, 1)], %(currency)s, 'running',
                   e.date_end - 364, e.date_end, 1, 'yearly', 'advance', 'monthly', 1, 'draft', e.auto_renew,
                   1, 'yearly', 'none', 90, 60, 30, e.date_end - 90, e.date_end - 60,
                   CASE WHEN e.auto_renew THEN e.date_end - 120 END, FALSE, FALSE,
                   u.ids[1 + n %% array_length(u.ids, 1)]
              FROM generate_series(1, %(count)s) n,
                   (SELECT array_agg(id) AS ids FROM res_partner WHERE id = ANY(%(partners)s)) p,
                   (SELECT %(users)s::int[] AS ids) u,
                   LATERAL (
                       SELECT CASE n %% 4
                                  WHEN 0 THEN %(today)s::date + 30   -- renewed: notice deadline passed
                                  WHEN 1 THEN %(today)s::date - 1    -- fixed term: expires
                                  WHEN 2 THEN %(today)s::date + 30   -- fixed term: expiry alert
                                  ELSE %(today)s::date + 100          -- renewable: notice alert
                              END AS date_end,
                              n %% 4 IN (0, 3) AS auto_renew
                   ) e
            RETURNING id, partner_id
        ), l AS (
            INSERT INTO service_contract_line (contract_id, company_id, product_id, name, quantity, price_unit,
                                               price_subtotal, cover_labour, cover_travel, cover_parts,
                                               recurring_rule_type, recurring_interval, visits_per_year)
            SELECT c.id, %(company)s, %(product)s, 'Bench jobs maintenance', 1, 1000, 1000, 'included',
                   'included', 'billable', 'monthly', 1, (ARRAY[4, 6, 12])[1 + c.id %% 3]
              FROM c
            RETURNING id, contract_id
        ), eq AS (
            INSERT INTO service_equipment (name, company_id, partner_id, site_id, state)
            SELECT 'Bench lift ' || c.id, %(company)s, c.partner_id, c.partner_id, 'in_service' FROM c
            RETURNING id, name
        )
        INSERT INTO service_contract_line_service_equipment_rel (service_contract_line_id, service_equipment_id)
        SELECT l.id, eq.id FROM l JOIN eq ON eq.name = 'Bench lift ' || l.contract_id
        """,
        {
            "company": company.id,
            "currency": company.currency_id.id,
            "count": count,
            "partners": customers.ids,
            "product": product.id,
            "users": responsible.ids,
            "today": today,
        },
    )


def _run_cron(env, cron_xmlid):
    """Run the job once per batch until it reports nothing left, as the cron worker does (its commits aside)."""
    cron = env.ref(cron_xmlid)
    calls = 0
    while True:
        calls += 1
        progress = env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        # the worker's context: nothing but the progress record
        cron.ir_actions_server_id.with_context(ir_cron_progress_id=progress.id).run()
        if not progress.remaining or not progress.done or calls > 1000:
            return calls


def _timed(env, function):
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    env.flush_all()
    env.cr.flush()  # the commit hooks (tracking) the scheduler's commit runs
    # the Python time of this process: on a loaded shared machine, the wall time also counts the waits for a core
    return result, time.perf_counter() - started, time.process_time() - cpu, env.cr.sql_log_count - queries


def _bench_revision(env, contracts):
    """Make the contracts due for a revision today, by 2.5 % (one in a hundred by an index with no value, which
    blocks it), run the revision job; return its line."""
    cr = env.cr
    index = env["service.index"].create({"name": "Bench jobs index", "code": "BJOBS"})
    cr.execute(
        """
        UPDATE service_contract
           SET state = 'running', next_revision_date = %(today)s,
               indexation_method = CASE WHEN id %% 100 = 0 THEN 'index' ELSE 'percentage' END,
               indexation_percentage = 2.5, index_id = CASE WHEN id %% 100 = 0 THEN %(index)s END,
               index_base_value = 100, index_fixed_part = 0.15, index_variable_part = 0.85
         WHERE id = ANY(%(ids)s)
        """,
        {"today": date.today(), "index": index.id, "ids": contracts.ids},
    )
    cr.execute("ANALYZE service_contract")
    env.invalidate_all()
    calls, seconds, cpu, queries = _timed(
        env, lambda: _run_cron(env, "service_management.ir_cron_service_contract_revision")
    )
    revised = env["service.contract"].search_count(
        [("id", "in", contracts.ids), ("next_revision_date", ">", date.today())]
    )
    amendments = env["service.contract.amendment"].search_count([("contract_id", "in", contracts.ids)])
    blocked = env["mail.activity"].search_count(
        [
            ("res_model", "=", "service.contract"),
            ("res_id", "in", contracts.ids),
            ("activity_type_id", "=", env.ref("service_management.mail_activity_type_revision_blocked").id),
        ]
    )
    return (
        f"price revision: {len(contracts)} contracts -> {revised} revised ({amendments} amendments), "
        f"{blocked} blocked by a missing index value in {seconds:.1f} s (target < {TARGETS['revision']:.0f} s; "
        f"Python {cpu:.1f} s); {calls} batches, {queries} queries"
    )


def bench(env, scale):
    """Build ``scale``'s customers and contracts, time the three jobs, roll back; return the printed lines."""
    customer_count, contract_count, line_count = SIZES.get(scale, SIZES["small"])
    company = _company(env)
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    lines = []
    savepoint = env.cr.savepoint(flush=True)
    try:
        started = time.perf_counter()
        customers = _insert_partners(env, customer_count, "Bench jobs payer ")
        _build_payment_history(env, company, customers)
        # one preventive line per contract: the same contracts serve both jobs
        _build_contracts(env, company, max(contract_count, line_count))
        env.cr.execute("ANALYZE res_partner, account_move, account_move_line, account_partial_reconcile")
        env.cr.execute("ANALYZE service_contract, service_contract_line, service_equipment, service_intervention")
        env.invalidate_all()
        build = time.perf_counter() - started
        Partner, Contract, Line = env["res.partner"], env["service.contract"], env["service.contract.line"]

        calls, seconds, cpu, queries = _timed(
            env, lambda: _run_cron(env, "service_management.ir_cron_service_payer_score")
        )
        graded = Partner.search_count([("id", "in", customers.ids), ("payer_score_date", "=", date.today())])
        late = Partner.search_count([("id", "in", customers.ids), ("payer_grade", "!=", "good")])
        lines.append(
            f"payer score: {graded} customers ({graded * INVOICES_PER_CUSTOMER} invoices) scored in {seconds:.1f} s "
            f"(target < {TARGETS['payer']:.0f} s; Python {cpu:.1f} s); {calls} batches, {queries} queries; "
            f"{late} not graded good"
        )

        horizon = company.service_preventive_horizon_days
        calls, seconds, cpu, queries = _timed(
            env, lambda: _run_cron(env, "service_management.ir_cron_service_preventive_interventions")
        )
        bench_lines = Line.search([("contract_id.name", "=like", "BENCH-JOBS-%")])
        created = env["service.intervention"].search_count([("contract_line_id", "in", bench_lines.ids)])
        lines.append(
            f"preventive generation: {len(bench_lines)} contract lines over {horizon} days -> {created} "
            f"interventions in {seconds:.1f} s (target < {TARGETS['preventive']:.0f} s; "
            f"Python {cpu:.1f} s); "
            f"{calls} batches, {queries} queries"
        )

        contracts = Contract.search([("name", "=like", "BENCH-JOBS-%")], order="id")
        calls, seconds, cpu, queries = _timed(
            env, lambda: _run_cron(env, "service_management.ir_cron_service_contract_renewal")
        )
        states = dict(Contract._read_group([("id", "in", contracts.ids)], ["state"], ["__count"]))
        activities = env["mail.activity"].search_count(
            [("res_model", "=", "service.contract"), ("res_id", "in", contracts.ids)]
        )
        mails = env["mail.mail"].search_count([("model", "=", "service.contract"), ("res_id", "in", contracts.ids)])
        renewed = Contract.search_count([("id", "in", contracts.ids), ("date_end", ">", date.today() + timedelta(300))])
        lines.append(
            f"renewal and alerts: {len(contracts)} contracts -> {renewed} renewed, {states.get('expired', 0)} expired, "
            f"{activities} activities and {mails} e-mails in {seconds:.1f} s (target < {TARGETS['renewal']:.0f} s; "
            f"Python {cpu:.1f} s); "
            f"{calls} batches, {queries} queries"
        )
        lines.append(_bench_revision(env, contracts))
        lines.append(f"jobs: building the data took {build:.1f} s (not measured)")
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
    return lines


def main(argv=None):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_standalone import run  # noqa: PLC0415

    return run(__doc__.splitlines()[0], SIZES, bench, argv)


if __name__ == "__main__":
    sys.exit(main())
