import base64
import io
import logging
import time
from collections import defaultdict
from functools import lru_cache

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.service_management.helpers import billing, forecast
from odoo.addons.service_management.models.service_contract_billing import BILLABLE_STATES

_logger = logging.getLogger(__name__)

FORECAST_SOURCES = [
    ("opening", "Opening Balance"),
    ("invoice", "Customer Invoice"),
    ("disputed", "Disputed Invoice"),
    ("contract", "Contract Period"),
    ("intervention_done", "Intervention Done, Not Billed"),
    ("intervention_planned", "Planned Intervention"),
    ("bill", "Vendor Bill"),
    ("manual", "Manual Line"),
]
SCENARIOS = [("expected", "Expected"), ("on_time", "Everyone Pays on Time"), ("both", "Both Scenarios")]
# a flow expected on the same day in both scenarios is stored once, as "both"
REPORT_SCENARIOS = ("expected", "on_time")
INSERT_COLUMNS = (
    "company_id, currency_id, scenario, source, date, amount, amount_in, amount_out, in_balance, "
    "partner_id, move_id, contract_id, intervention_id, manual_id, journal_id, name, "
    "create_uid, write_uid, create_date, write_date, "
    "company_currency_id, in_company_currency, amount_company, amount_in_company, amount_out_company"
)


class ServiceForecastLine(models.Model):
    """One expected cash flow of the forecast, regenerated from the documents by a button and a daily job."""

    _name = "service.forecast.line"
    _description = "Cash Forecast Line"
    _order = "date, id"
    # The table is written only by ``_generate``, hundreds of thousands of rows at a time: it is created
    # by ``init`` without foreign keys, whose checks would cost more than the whole computation.
    _auto = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    scenario = fields.Selection(SCENARIOS, required=True, readonly=True)
    source = fields.Selection(FORECAST_SOURCES, required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(string="Net Flow", readonly=True, help="Inflows positive, outflows negative.")
    amount_in = fields.Monetary(string="Inflow", readonly=True)
    amount_out = fields.Monetary(string="Outflow", readonly=True)
    in_balance = fields.Boolean(
        string="Counted in the Balance", readonly=True, help="Disputed invoices are shown apart, not counted."
    )
    in_company_currency = fields.Boolean(readonly=True, help="Flows in another currency are forecast apart.")
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    amount_company = fields.Monetary(
        string="Net Flow (Company Currency)", currency_field="company_currency_id", readonly=True,
        help="The net flow converted into the company's currency at the rate of the day the forecast was computed.",
    )  # fmt: skip
    amount_in_company = fields.Monetary(
        string="Inflow (Company Currency)", currency_field="company_currency_id", readonly=True
    )
    amount_out_company = fields.Monetary(
        string="Outflow (Company Currency)", currency_field="company_currency_id", readonly=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice or Bill", readonly=True)
    contract_id = fields.Many2one("service.contract", readonly=True)
    intervention_id = fields.Many2one("service.intervention", readonly=True)
    manual_id = fields.Many2one("service.forecast.manual", string="Manual Line", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    name = fields.Char(string="Description", readonly=True)

    def init(self):
        columns = {
            "company_id": "int4 NOT NULL",
            "currency_id": "int4 NOT NULL",
            "scenario": "varchar NOT NULL",
            "source": "varchar NOT NULL",
            "date": "date NOT NULL",
            "amount": "numeric",
            "amount_in": "numeric",
            "amount_out": "numeric",
            "in_balance": "boolean",
            "in_company_currency": "boolean",
            "company_currency_id": "int4",
            "amount_company": "numeric",
            "amount_in_company": "numeric",
            "amount_out_company": "numeric",
            "partner_id": "int4",
            "move_id": "int4",
            "contract_id": "int4",
            "intervention_id": "int4",
            "manual_id": "int4",
            "journal_id": "int4",
            "name": "varchar",
            "create_uid": "int4",
            "write_uid": "int4",
            "create_date": "timestamp",
            "write_date": "timestamp",
        }
        cr = self.env.cr
        cr.execute("CREATE TABLE IF NOT EXISTS service_forecast_line (id SERIAL PRIMARY KEY)")
        for name, definition in columns.items():
            cr.execute(
                SQL(
                    "ALTER TABLE service_forecast_line ADD COLUMN IF NOT EXISTS %s %s",
                    SQL.identifier(name),
                    SQL(definition),
                )
            )
        cr.execute(
            "CREATE INDEX IF NOT EXISTS service_forecast_line_company_scenario_date_index "
            "ON service_forecast_line (company_id, scenario, date)"
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def _check_forecast_access(self):
        user = self.env.user
        if not (
            user.has_group("service_management.group_service_manager")
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(self.env._("Only service managers and accountants may compute the cash forecast."))

    def action_generate(self):
        """Recompute the forecast of the companies the user works in, then show it."""
        self._check_forecast_access()
        self.sudo()._generate(self.env.companies, fields.Date.context_today(self))
        return self.env["ir.actions.act_window"]._for_xml_id("service_management.service_forecast_line_action")

    def action_open_document(self):
        """Open the document this forecast line comes from."""
        self.ensure_one()
        record = self.move_id or self.contract_id or self.intervention_id or self.manual_id or self.journal_id
        if not record:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_export_xlsx(self):
        """Download the forecast of the user's companies: one sheet per scenario, a table per company and currency."""
        self._check_forecast_access()
        content = self._build_xlsx(self.env.companies)
        name = self.env._("Cash forecast %(date)s.xlsx", date=fields.Date.context_today(self))
        attachment = self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(content), "res_model": self._name, "res_id": 0}
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def action_print_board_report(self):
        """The one-page forecast for the board, per company."""
        self._check_forecast_access()
        return self.env.ref("service_management.service_forecast_report_board").report_action(self.env.companies)

    @api.model
    def _cron_generate(self):
        companies = self.env["res.company"].search([])
        self._generate(companies, fields.Date.context_today(self))
        return True

    # ------------------------------------------------------------------
    # Summaries: the figures of the graph, the export and the board report
    # ------------------------------------------------------------------
    @api.model
    def _get_inflow_sources(self):
        return [key for key, _label in FORECAST_SOURCES if key not in ("opening", "disputed", "bill")]

    @api.model
    def _get_summary(self, company, scenario, interval="month", in_company_currency=False):
        """``{currency: {"opening": x, "periods": [{period, inflows: {source: x}, inflow, outflow, net,
        balance}], "disputed": x}}`` of the forecast lines of ``company`` in ``scenario``; with
        ``in_company_currency``, every currency together in the company's currency (one key)."""
        domain = [("company_id", "=", company.id), ("scenario", "in", (scenario, "both"))]
        if in_company_currency:
            groupby = ["company_currency_id", f"date:{interval}", "source"]
            aggregates = ["amount_in_company:sum", "amount_out_company:sum", "amount_company:sum"]
        else:
            groupby = ["currency_id", f"date:{interval}", "source"]
            aggregates = ["amount_in:sum", "amount_out:sum", "amount:sum"]
        groups = self._read_group(domain, groupby, aggregates)
        result = {}
        for currency, period, source, amount_in, amount_out, amount in groups:
            summary = result.setdefault(currency, {"opening": 0.0, "periods": {}, "disputed": 0.0})
            if source == "opening":
                summary["opening"] += amount
                continue
            if source == "disputed":
                summary["disputed"] += amount
                continue
            row = summary["periods"].setdefault(
                period, {"period": period, "inflows": defaultdict(float), "outflow": 0.0}
            )
            row["inflows"][source] += amount_in
            row["outflow"] += amount_out
        for currency, summary in result.items():
            summary["opening"] = currency.round(summary["opening"])
            summary["disputed"] = currency.round(summary["disputed"])
            balance = summary["opening"]
            rows = []
            for period in sorted(summary["periods"]):
                row = summary["periods"][period]
                row["inflow"] = sum(row["inflows"].values())
                row["net"] = currency.round(row["inflow"] + row["outflow"])
                balance = currency.round(balance + row["net"])
                row["balance"] = balance
                rows.append(row)
            summary["periods"] = rows
        return result

    @api.model
    def _get_summary_blocks(self, company, scenario):
        """``[(currency, summary, consolidated)]`` of the company's forecast, its currency first; when it holds
        several currencies, first all of them together in the company's currency (``consolidated``)."""
        summaries = sorted(
            self._get_summary(company, scenario).items(),
            key=lambda item: (item[0] != company.currency_id, item[0].name),
        )
        blocks = [(currency, summary, False) for currency, summary in summaries]
        if len(blocks) > 1:
            total = self._get_summary(company, scenario, in_company_currency=True).get(company.currency_id)
            if total:
                blocks.insert(0, (company.currency_id, total, True))
        return blocks

    @api.model
    def _build_xlsx(self, companies):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sources = dict(self._fields["source"]._description_selection(self.env))
        inflow_sources = self._get_inflow_sources()
        labels = dict(self._fields["scenario"]._description_selection(self.env))
        for scenario in REPORT_SCENARIOS:
            label = labels[scenario]
            sheet = workbook.add_worksheet(label[:31])
            sheet.set_column(0, 0, 16)
            sheet.set_column(1, len(inflow_sources) + 5, 16)
            row = 0
            for company in companies:
                for currency, summary, consolidated in self._get_summary_blocks(company, scenario):
                    title = f"{company.name} ({currency.name})"
                    if consolidated:
                        title = self.env._(
                            "%(company)s: all currencies in %(currency)s at today's rate",
                            company=company.name,
                            currency=currency.name,
                        )
                    sheet.write(row, 0, title, bold)
                    sheet.write(row, 2, self.env._("Opening balance"), bold)
                    sheet.write_number(row, 3, summary["opening"], money_bold)
                    sheet.write(row, 4, sources["disputed"], bold)
                    sheet.write_number(row, 5, summary["disputed"], money_bold)
                    row += 1
                    headers = [self.env._("Month")] + [sources[key] for key in inflow_sources]
                    headers += [self.env._("Inflows"), self.env._("Outflows"), self.env._("Net Flow"),
                                self.env._("Balance")]  # fmt: skip
                    sheet.write_row(row, 0, headers, bold)
                    row += 1
                    for line in summary["periods"]:
                        sheet.write(row, 0, fields.Date.to_string(line["period"]))
                        values = [line["inflows"].get(key, 0.0) for key in inflow_sources]
                        values += [line["inflow"], line["outflow"], line["net"], line["balance"]]
                        for col, value in enumerate(values, start=1):
                            sheet.write_number(row, col, value, money)
                        row += 1
                    row += 1
        workbook.close()
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # Computation: one query per source, never one per record
    # ------------------------------------------------------------------
    @api.model
    def _get_horizon_end(self, company, today):
        return today + relativedelta(months=company.service_forecast_horizon_months or 12)

    @api.model
    def _generate(self, companies, today):
        """Replace the forecast lines of ``companies`` by the flows expected from ``today`` on."""
        started = time.monotonic()
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM service_forecast_line WHERE company_id = ANY(%s)", [companies.ids])
        for company in companies:
            horizon_end = self._get_horizon_end(company, today)
            money = self._get_company_money(company, today)
            params = {
                "company": company.id, "today": today, "end": horizon_end, "uid": self.env.uid,
                "company_currency": money["currency"], "digits": money["digits"],
                "fx_currencies": list(money["factors"]), "fx_factors": list(money["factors"].values()),
            }  # fmt: skip
            self._insert_opening_balances(params)
            self._insert_customer_invoices(params)
            self._insert_vendor_bills(params)
            self._insert_interventions(params)
            self._insert_manual_lines(company, today, horizon_end, money)
            self._insert_contract_periods(company, today, horizon_end, money)
        self.invalidate_model()
        _logger.info("cash forecast of %s companies computed in %.2f s", len(companies), time.monotonic() - started)
        return True

    def _get_company_money(self, company, today):
        """The company's currency, its decimals and ``{currency id: factor}`` converting each currency into it
        at ``today``'s rates (Odoo's ``_get_rates``, in one query), so that each line gets its amount in the
        company's currency as it is written."""
        currencies = self.env["res.currency"].with_context(active_test=False).search([])
        rates = currencies._get_rates(company, today)
        target = company.currency_id
        return {
            "currency": target.id,
            "digits": target.decimal_places,
            "factors": {currency_id: rates[target.id] / rate for currency_id, rate in rates.items() if rate},
        }

    def _company_amounts(self, money, currency_id, amount):
        """The COPY fields of the company-currency columns of a line of ``amount`` in ``currency_id``."""
        converted = round(amount * money["factors"].get(currency_id, 1.0), money["digits"])
        same = "t" if currency_id == money["currency"] else "f"
        return f"{money['currency']}\t{same}\t{converted}\t{max(converted, 0.0)}\t{min(converted, 0.0)}"

    def _insert_select(self, select_sql, params):
        """Insert the rows of ``select_sql`` (columns: company, currency, source, date_expected, date_on_time,
        amount, in_balance, partner, move, contract, intervention, manual, journal, name): once when both
        dates are the same, else once per scenario."""
        self.env.cr.execute(
            f"""
            INSERT INTO service_forecast_line ({INSERT_COLUMNS})
            SELECT f.company_id, f.currency_id, sc.scenario, f.source, sc.date, f.amount,
                   GREATEST(f.amount, 0), LEAST(f.amount, 0), f.in_balance, f.partner_id, f.move_id,
                   f.contract_id, f.intervention_id, f.manual_id, f.journal_id, f.name,
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC',
                   %(company_currency)s, f.currency_id = %(company_currency)s, fx.amount,
                   GREATEST(fx.amount, 0), LEAST(fx.amount, 0)
              FROM ({select_sql}) f
              LEFT JOIN unnest(%(fx_currencies)s::int[], %(fx_factors)s::numeric[]) r(currency_id, factor)
                   ON r.currency_id = f.currency_id
             CROSS JOIN LATERAL (SELECT ROUND(f.amount::numeric * COALESCE(r.factor, 1), %(digits)s) AS amount) fx
             CROSS JOIN LATERAL (VALUES ('both', f.date_expected), ('expected', f.date_expected),
                                        ('on_time', f.date_on_time)) sc(scenario, date)
             WHERE (sc.scenario = 'both') = (f.date_expected = f.date_on_time)
               AND sc.date <= %(end)s AND f.amount != 0
            """,
            params,
        )

    def _insert_opening_balances(self, params):
        """The balance today of each bank and cash journal's account."""
        self._insert_select(
            """
            SELECT j.company_id, COALESCE(j.currency_id, c.currency_id) AS currency_id,
                   'opening' AS source, %(today)s::date AS date_expected, %(today)s::date AS date_on_time,
                   COALESCE(SUM(CASE WHEN j.currency_id IS NOT NULL AND j.currency_id != c.currency_id
                                     THEN l.amount_currency ELSE l.balance END), 0) AS amount,
                   TRUE AS in_balance, NULL::int AS partner_id, NULL::int AS move_id, NULL::int AS contract_id,
                   NULL::int AS intervention_id, NULL::int AS manual_id, j.id AS journal_id, NULL AS name
              FROM account_journal j
              JOIN res_company c ON c.id = j.company_id
              LEFT JOIN account_move_line l ON l.account_id = j.default_account_id
                   AND l.parent_state = 'posted' AND l.company_id = j.company_id
             WHERE j.company_id = %(company)s AND j.type IN ('bank', 'cash') AND j.active
             GROUP BY j.id, c.currency_id
            """,
            params,
        )

    def _insert_customer_invoices(self, params):
        """Open customer invoices and credit notes at their expected payment date: a pending promise's
        date, else the due date plus the customer's average delay; on time, at their due date."""
        self._insert_select(
            """
            SELECT m.company_id, m.currency_id,
                   CASE WHEN m.dunning_dispute THEN 'disputed' ELSE 'invoice' END AS source,
                   GREATEST(%(today)s::date, COALESCE(pr.date, COALESCE(m.invoice_date_due, m.invoice_date)
                            + ROUND(COALESCE(p.payer_days_late, 0))::int)) AS date_expected,
                   GREATEST(%(today)s::date, COALESCE(m.invoice_date_due, m.invoice_date)) AS date_on_time,
                   CASE WHEN m.move_type = 'out_refund' THEN -m.amount_residual ELSE m.amount_residual END AS amount,
                   NOT COALESCE(m.dunning_dispute, FALSE) AS in_balance, m.commercial_partner_id AS partner_id,
                   m.id AS move_id, m.service_contract_id AS contract_id, NULL::int AS intervention_id,
                   NULL::int AS manual_id, NULL::int AS journal_id, m.name
              FROM account_move m
              LEFT JOIN res_partner p ON p.id = m.commercial_partner_id
              LEFT JOIN (SELECT move_id, MAX(date) AS date FROM service_dunning_promise
                          WHERE state = 'pending' AND move_id IS NOT NULL AND company_id = %(company)s
                          GROUP BY move_id) pm ON pm.move_id = m.id
              LEFT JOIN (SELECT partner_id, MAX(date) AS date FROM service_dunning_promise
                          WHERE state = 'pending' AND move_id IS NULL AND company_id = %(company)s
                          GROUP BY partner_id) pp ON pp.partner_id = m.commercial_partner_id
              CROSS JOIN LATERAL (SELECT COALESCE(pm.date, pp.date) AS date) pr
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.payment_state IN ('not_paid', 'partial') AND m.amount_residual != 0
            """,
            params,
        )

    def _insert_vendor_bills(self, params):
        """Open vendor bills and refunds at their due date, in both scenarios."""
        self._insert_select(
            """
            SELECT m.company_id, m.currency_id, 'bill' AS source,
                   GREATEST(%(today)s::date, COALESCE(m.invoice_date_due, m.invoice_date, m.date)) AS date_expected,
                   GREATEST(%(today)s::date, COALESCE(m.invoice_date_due, m.invoice_date, m.date)) AS date_on_time,
                   CASE WHEN m.move_type = 'in_refund' THEN m.amount_residual ELSE -m.amount_residual END AS amount,
                   TRUE AS in_balance, m.commercial_partner_id AS partner_id, m.id AS move_id,
                   NULL::int AS contract_id, NULL::int AS intervention_id, NULL::int AS manual_id,
                   NULL::int AS journal_id, COALESCE(NULLIF(m.ref, ''), m.name) AS name
              FROM account_move m
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type IN ('in_invoice', 'in_refund')
               AND m.payment_state IN ('not_paid', 'partial') AND m.amount_residual != 0
            """,
            params,
        )

    def _insert_interventions(self, params):
        """Finished interventions not billed yet, and planned billable ones: labour at the hourly rate of
        their type (when billable), the parts not covered and the travel fee unless a warranty or the
        contract covers it (as ``_prepare_invoice_line_vals`` bills them), with taxes left aside. They are
        invoiced when finished (at the end of their month when grouped at month end), then paid after the
        contract's payment terms and, in the expected scenario, the customer's delay."""
        self._insert_select(
            """
            WITH rate AS (
                SELECT r.intervention_type, MAX(t.list_price) AS price
                  FROM service_labour_rate r
                  JOIN product_product pp ON pp.id = r.product_id
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                 WHERE r.company_id = %(company)s
                 GROUP BY r.intervention_type
            ), default_rate AS (
                SELECT t.list_price AS price FROM res_company c
                  JOIN product_product pp ON pp.id = COALESCE(c.service_labour_product_id, (
                       SELECT res_id FROM ir_model_data WHERE module = 'service_management'
                          AND name = 'product_service_labour' AND model = 'product.product'))
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                 WHERE c.id = %(company)s
            ), travel AS (
                SELECT t.list_price AS price FROM res_company c
                  JOIN product_product pp ON pp.id = COALESCE(c.service_travel_product_id, (
                       SELECT res_id FROM ir_model_data WHERE module = 'service_management'
                          AND name = 'product_service_travel' AND model = 'product.product'))
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                 WHERE c.id = %(company)s
            ), parts AS (
                SELECT p.intervention_id, SUM(p.price_subtotal) AS amount
                  FROM service_intervention_part p
                 WHERE p.company_id = %(company)s AND NOT COALESCE(p.covered, FALSE)
                 GROUP BY p.intervention_id
            ), term AS (
                SELECT l.payment_id AS term_id, MAX(l.nb_days) AS days
                  FROM account_payment_term_line l GROUP BY l.payment_id
            ), work AS (
                SELECT i.id, i.company_id, i.partner_id, i.contract_id, i.name,
                       CASE WHEN i.state = 'done' THEN 'intervention_done' ELSE 'intervention_planned' END AS source,
                       CASE WHEN i.coverage = 'billable'
                            THEN COALESCE(rate.price, (SELECT price FROM default_rate), 0)
                                 * CASE WHEN i.state = 'done' THEN i.actual_duration ELSE i.planned_duration END
                            ELSE 0 END + COALESCE(parts.amount, 0)
                       + CASE WHEN EXISTS (
                                  SELECT 1 FROM service_equipment_warranty w
                                   WHERE w.equipment_id = i.equipment_id AND w.cover_travel
                                     AND COALESCE(i.actual_start, i.planned_start, i.call_date)::date
                                         BETWEEN w.date_start AND w.date_end)
                              OR EXISTS (
                                  SELECT 1 FROM service_contract_line l
                                   WHERE l.contract_id = i.contract_id
                                     AND (l.cover_travel = 'included'
                                          OR (i.intervention_type = 'preventive' AND l.visits_per_year > 0))
                                     AND (i.equipment_id IS NULL OR EXISTS (
                                          SELECT 1 FROM service_contract_line_service_equipment_rel r
                                           WHERE r.service_contract_line_id = l.id
                                             AND r.service_equipment_id = i.equipment_id)))
                              THEN 0 ELSE COALESCE((SELECT price FROM travel), 0) END AS amount,
                       CASE WHEN ct.billing_rule = 'month_end'
                            THEN (date_trunc('month', COALESCE(i.actual_end, i.planned_end)) + interval '1 month')::date
                            ELSE COALESCE(i.actual_end, i.planned_end)::date END AS invoice_date,
                       COALESCE(term.days, 0) AS term_days
                  FROM service_intervention i
                  LEFT JOIN service_contract ct ON ct.id = i.contract_id
                  LEFT JOIN rate ON rate.intervention_type = i.intervention_type
                  LEFT JOIN parts ON parts.intervention_id = i.id
                  LEFT JOIN term ON term.term_id = ct.payment_term_id
                 WHERE i.company_id = %(company)s
                   AND ((i.state = 'done' AND i.invoice_state = 'to_invoice')
                        OR (i.state IN ('new', 'planned', 'in_progress') AND i.planned_start IS NOT NULL
                            AND i.planned_end::date >= %(today)s))
            )
            SELECT w.company_id, c.currency_id, w.source,
                   GREATEST(%(today)s::date, w.invoice_date) + w.term_days
                       + ROUND(COALESCE(p.payer_days_late, 0))::int AS date_expected,
                   GREATEST(%(today)s::date, w.invoice_date) + w.term_days AS date_on_time,
                   w.amount, TRUE AS in_balance, p.id AS partner_id, NULL::int AS move_id,
                   w.contract_id, w.id AS intervention_id, NULL::int AS manual_id, NULL::int AS journal_id, w.name
              FROM work w
              JOIN res_company c ON c.id = w.company_id
              LEFT JOIN res_partner p0 ON p0.id = w.partner_id
              LEFT JOIN res_partner p ON p.id = COALESCE(p0.commercial_partner_id, p0.id)
            """,
            params,
        )

    def _insert_manual_lines(self, company, today, horizon_end, money):
        """Each occurrence of the company's active manual lines within the horizon."""
        self.env.cr.execute(
            """
            SELECT id, currency_id, name, direction, amount, date_start, recurrence, date_end
              FROM service_forecast_manual WHERE company_id = %s AND active
            """,
            [company.id],
        )
        rows = []
        for manual_id, currency_id, name, direction, amount, date_start, unit, date_end in self.env.cr.fetchall():
            signed = amount if direction == "in" else -amount
            for day in forecast.occurrences(date_start, unit, date_end, today, horizon_end):
                rows.append((company.id, currency_id, "manual", day, signed, None, None, None, manual_id, name))
        self._copy_rows(rows, money)

    def _get_contract_line_rows(self, company):
        """The billable lines of the company's running contracts, with what the forecast needs, in one query."""
        self.env.cr.execute(
            """
            WITH term AS (
                SELECT l.payment_id AS term_id, MAX(l.nb_days) AS days
                  FROM account_payment_term_line l GROUP BY l.payment_id
            ), tax AS (
                SELECT r.service_contract_line_id AS line_id, SUM(t.amount) AS percent
                  FROM account_tax_service_contract_line_rel r
                  JOIN account_tax t ON t.id = r.account_tax_id
                 WHERE t.amount_type = 'percent'
                 GROUP BY r.service_contract_line_id
            )
            SELECT c.id, c.name, c.currency_id, p.id, c.date_start, c.billing_start_date, c.date_end,
                   c.termination_date, c.auto_renew, c.billing_rule = 'arrears',
                   COALESCE(l.recurring_rule_type, c.recurring_rule_type),
                   COALESCE(NULLIF(l.recurring_interval, 0), c.recurring_interval, 1),
                   l.billed_until, l.price_subtotal * (1 + COALESCE(tax.percent, 0) / 100.0),
                   COALESCE(term.days, 0), COALESCE(p.payer_days_late, 0),
                   c.indexation_method, c.next_revision_date, c.indexation_percentage,
                   c.index_id, c.index_fixed_part, c.index_variable_part, c.index_base_value, c.index_lag_months
              FROM service_contract_line l
              JOIN service_contract c ON c.id = l.contract_id
              JOIN res_partner p0 ON p0.id = c.partner_id
              JOIN res_partner p ON p.id = COALESCE(p0.commercial_partner_id, p0.id)
              LEFT JOIN term ON term.term_id = c.payment_term_id
              LEFT JOIN tax ON tax.line_id = l.id
             WHERE c.company_id = %s AND c.state IN %s AND c.billing_rule IN ('advance', 'arrears')
               AND l.price_subtotal != 0
            """,
            [company.id, BILLABLE_STATES],
        )
        return self.env.cr.fetchall()

    def _get_index_values(self, company):
        """``{index id: [(month, value)]}`` by month, of the indexes the company's contracts follow, in one query."""
        self.env.cr.execute(
            """
            SELECT v.index_id, v.date, v.value
              FROM service_index_value v
             WHERE v.index_id IN (SELECT index_id FROM service_contract
                                   WHERE company_id = %s AND indexation_method = 'index' AND index_id IS NOT NULL)
             ORDER BY v.index_id, v.date
            """,
            [company.id],
        )
        values = defaultdict(list)
        for index_id, month, value in self.env.cr.fetchall():
            values[index_id].append((month, value))
        return values

    def _insert_contract_periods(self, company, today, horizon_end, money):
        """The future invoices of running contracts, period by period as the billing run will issue them,
        with each yearly revision applied from its date (a fixed percentage, or the index formula with the
        index value the revision will use, else the latest one known); paid after the payment terms (and,
        expected, the customer's delay). One row per contract and payment date."""
        flows = defaultdict(float)
        # lines sharing a schedule (same start, recurrence and billed-until date) share its periods
        invoices = lru_cache(maxsize=None)(forecast.contract_invoices)
        index_values = self._get_index_values(company)
        for row in self._get_contract_line_rows(company):
            (contract_id, name, currency_id, partner_id, date_start, billing_start, date_end, termination_date,
             auto_renew, in_arrears, unit, interval, billed_until, amount, term_days, delay, method,
             revision_date, percentage, index_id, fixed_part, variable_part, base_value, lag) = row  # fmt: skip
            first, last = forecast.forecast_bounds(
                date_start, billing_start, date_end, termination_date, auto_renew, not auto_renew
            )
            steps = forecast.revision_steps(
                revision_date,
                horizon_end,
                method,
                percentage,
                fixed_part,
                variable_part,
                base_value,
                index_values.get(index_id, []),
                lag,
            )
            anchor = billing.period_anchor(date_start, unit)
            for invoice_date, fraction in invoices(
                anchor, unit, interval, first, last, billed_until, horizon_end, in_arrears
            ):
                value = amount * fraction * forecast.price_factor_at(invoice_date, steps)
                flows[(contract_id, currency_id, partner_id, name, invoice_date, term_days, delay)] += value
        # one formatted line per flow: hundreds of thousands of them, so no per-value conversion
        now = fields.Datetime.to_string(fields.Datetime.now())
        uid = self.env.uid
        names = {}
        buffer = io.StringIO()
        for (contract_id, currency_id, partner_id, name, invoice_date, term_days, delay), value in flows.items():
            on_time = forecast.payment_date(invoice_date, term_days, 0, today)
            expected = forecast.payment_date(invoice_date, term_days, delay, today)
            if name not in names:
                names[name] = self._copy_text(name)
            amount = round(value, 2)
            in_company = self._company_amounts(money, currency_id, amount)
            dates = [("both", on_time)] if on_time == expected else [("on_time", on_time), ("expected", expected)]
            for scenario, day in dates:
                if day > horizon_end:
                    continue
                buffer.write(
                    f"{company.id}\t{currency_id}\t{scenario}\tcontract\t{day.isoformat()}\t{amount}\t"
                    f"{max(amount, 0.0)}\t{min(amount, 0.0)}\tt\t{partner_id}\t\\N\t{contract_id}\t\\N\t\\N\t\\N\t"
                    f"{names[name]}\t{uid}\t{uid}\t{now}\t{now}\t{in_company}\n"
                )
        buffer.seek(0)
        self.env.cr.copy_expert(f"COPY service_forecast_line ({INSERT_COLUMNS}) FROM STDIN", buffer)

    @api.model
    def _copy_text(self, value):
        """``value`` as a field of PostgreSQL's COPY text format."""
        if value is None or value is False:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")

    def _copy_rows(self, rows, money):
        """Write rows ``(company, currency, source, date, amount, partner, contract, intervention, manual,
        name)`` with PostgreSQL's COPY, once for both scenarios."""
        if not rows:
            return
        now = fields.Datetime.to_string(fields.Datetime.now())
        uid = self.env.uid
        buffer = io.StringIO()

        for row in rows:
            company_id, currency_id, source, day, amount, partner_id, contract_id, intervention_id, manual_id, name = (
                row[:10]
            )
            for scenario in ("both",):
                values = (
                    company_id, currency_id, scenario, source, day, amount, max(amount, 0.0), min(amount, 0.0),
                    "t", partner_id, None, contract_id, intervention_id, manual_id, None, name, uid, uid, now, now,
                )  # fmt: skip
                in_company = self._company_amounts(money, currency_id, amount)
                buffer.write("\t".join(self._copy_text(value) for value in values) + f"\t{in_company}\n")
        buffer.seek(0)
        self.env.cr.copy_expert(f"COPY service_forecast_line ({INSERT_COLUMNS}) FROM STDIN", buffer)

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------
    @api.model
    def _service_demo_unbilled_work(self, env, company):
        """Demo: repairs finished in the last days, after the billing run, so that work waits to be billed."""
        Intervention = env["service.intervention"]
        billed = Intervention.search(
            [("company_id", "=", company.id), ("coverage", "=", "billable"), ("invoice_state", "=", "invoiced")],
            order="actual_end desc, id desc",
            limit=3,
        )
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        created = Intervention.create(
            [
                {
                    "partner_id": model.partner_id.id,
                    "site_id": model.site_id.id,
                    "equipment_id": model.equipment_id.id,
                    "zone_id": model.zone_id.id,
                    "user_id": model.user_id.id,
                    "intervention_type": "corrective",
                    "description": "Réparation après une panne, terminée sur place",
                    "call_date": now - relativedelta(days=index + 2),
                    # planned as it was done, so that the dispatch board shows it where it happened
                    "planned_start": now - relativedelta(days=index + 1, hours=2 + index),
                }
                for index, model in enumerate(billed)
            ]
        )
        done = Intervention._get_stage("done")
        for index, intervention in enumerate(created):
            end = now - relativedelta(days=index + 1)
            intervention.write(
                {"actual_start": end - relativedelta(hours=2 + index), "actual_end": end, "stage_id": done.id}
            )
        return True

    @api.model
    def _service_demo_forecast(self, company_id, vendor_ids):
        """Demo: the bank's opening balance, open vendor bills due over the next weeks, the payer
        scores, then the forecast itself."""
        company = self.env["res.company"].browse(company_id)
        env = self.with_company(company).with_context(allowed_company_ids=company.ids).env
        today = fields.Date.context_today(self)
        bank = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        equity = env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "equity")], limit=1
        )
        misc = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "general")], limit=1)
        if bank and equity and misc:
            opening = env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": misc.id,
                    "date": today - relativedelta(months=6),
                    "ref": "Capital and bank balance brought forward",
                    "line_ids": [
                        fields.Command.create({"account_id": bank.default_account_id.id, "debit": 42000.0}),
                        fields.Command.create({"account_id": equity.id, "credit": 42000.0}),
                    ],
                }
            )
            opening.action_post()
        purchase = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "purchase")], limit=1)
        bills = []
        amounts = [(850.0, 10), (1420.0, 25), (340.0, 40), (2300.0, 55), (750.0, 80), (980.0, -5)]
        for index, (amount, due_in) in enumerate(amounts):
            bill_date = today - relativedelta(days=30 - due_in) if due_in > 0 else today - relativedelta(days=35)
            bills.append(
                {
                    "move_type": "in_invoice",
                    "journal_id": purchase.id,
                    "partner_id": vendor_ids[index % len(vendor_ids)],
                    "invoice_date": bill_date,
                    "invoice_date_due": today + relativedelta(days=due_in),
                    "ref": f"SUP-{today.year}-{index + 101}",
                    "invoice_line_ids": [
                        fields.Command.create(
                            {"name": "Lift parts and subcontracting", "quantity": 1, "price_unit": amount}
                        )
                    ],
                }
            )
        moves = env["account.move"].create(bills)
        moves.action_post()
        self._service_demo_unbilled_work(env, company)
        env["res.partner"]._cron_compute_payer_scores()
        env["service.forecast.line"]._generate(company, today)
        return True
