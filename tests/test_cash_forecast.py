import base64
import io
from datetime import date, datetime

import openpyxl
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.service_management.helpers import forecast

from .billing_common import BillingCommon

TODAY = date(2025, 7, 1)


@tagged("post_install", "-at_install")
class TestForecastHelper(BillingCommon):
    def test_monthly_amount(self):
        self.assertEqual(forecast.monthly_amount(1200.0, "yearly", 1), 100.0)
        self.assertEqual(forecast.monthly_amount(300.0, "quarterly", 1), 100.0)
        self.assertEqual(forecast.monthly_amount(600.0, "monthly", 6), 100.0)
        self.assertEqual(forecast.monthly_amount(600.0, False, 1), 0.0)

    def test_bounds_follow_tacit_renewal_notice_and_termination(self):
        start, end = date(2025, 1, 1), date(2025, 12, 31)
        self.assertEqual(forecast.forecast_bounds(start, None, end, None, True, False), (start, None))
        self.assertEqual(forecast.forecast_bounds(start, None, end, None, False, True), (start, end))
        self.assertEqual(
            forecast.forecast_bounds(start, date(2025, 3, 1), end, date(2025, 9, 30), True, False),
            (date(2025, 3, 1), date(2025, 9, 30)),
        )

    def test_index_value_and_factor_of_the_next_revision(self):
        values = [(date(2025, 4, 1), 104.0), (date(2025, 6, 1), 110.0)]
        # the month of the revision (less the lag), else the latest value published before it
        self.assertEqual(forecast.index_value_for_revision(values, date(2025, 6, 15)), 110.0)
        self.assertEqual(forecast.index_value_for_revision(values, date(2025, 8, 1)), 110.0)
        self.assertEqual(forecast.index_value_for_revision(values, date(2025, 8, 1), 3), 104.0)
        self.assertIsNone(forecast.index_value_for_revision(values, date(2025, 5, 1), 2))
        self.assertIsNone(forecast.index_value_for_revision([], date(2025, 8, 1)))
        self.assertAlmostEqual(forecast.revision_factor("index", 0.0, 0.15, 0.85, 110.0, 100.0), 1.085)
        self.assertEqual(forecast.revision_factor("percentage", 2.5, 0.15, 0.85, None, 100.0), 1.025)
        # the formula cannot be applied: no value, no base, no revision
        self.assertEqual(forecast.revision_factor("index", 0.0, 0.15, 0.85, None, 100.0), 1.0)
        self.assertEqual(forecast.revision_factor("index", 0.0, 0.15, 0.85, 110.0, 0.0), 1.0)
        self.assertEqual(forecast.revision_factor("none", 5.0, 0.15, 0.85, 110.0, 100.0), 1.0)

    def test_every_yearly_revision_within_the_horizon(self):
        start, last_day = date(2025, 9, 1), date(2028, 6, 30)
        steps = forecast.revision_steps(start, last_day, "percentage", 2.0, 0.0, 0.0, 0.0, [], 0)
        self.assertEqual([day for day, _factor in steps], [date(2025, 9, 1), date(2026, 9, 1), date(2027, 9, 1)])
        self.assertAlmostEqual(steps[-1][1], 1.02**3, msg="a percentage compounds each year")
        self.assertEqual(forecast.price_factor_at(date(2025, 8, 31), steps), 1.0)
        self.assertAlmostEqual(forecast.price_factor_at(date(2026, 9, 1), steps), 1.02**2)
        self.assertAlmostEqual(forecast.price_factor_at(date(2027, 8, 31), steps), 1.02**2)
        values = [(date(2025, 8, 1), 110.0), (date(2026, 8, 1), 121.0)]
        steps = forecast.revision_steps(start, last_day, "index", 0.0, 0.15, 0.85, 100.0, values, 1)
        first = 0.15 + 0.85 * 110.0 / 100.0
        self.assertAlmostEqual(steps[0][1], first)
        self.assertAlmostEqual(steps[1][1], first * (0.15 + 0.85 * 121.0 / 110.0), msg="from the value used before")
        self.assertAlmostEqual(steps[2][1], steps[1][1], msg="nothing newer published: no change")
        self.assertEqual(forecast.revision_steps(False, last_day, "percentage", 2.0, 0.0, 0.0, 0.0, [], 0), [])

    def test_occurrences_of_manual_lines(self):
        self.assertEqual(
            forecast.occurrences(date(2025, 1, 31), "monthly", None, date(2025, 3, 1), date(2025, 5, 1)),
            [date(2025, 3, 31), date(2025, 4, 30)],
        )
        self.assertEqual(
            forecast.occurrences(date(2025, 8, 1), False, None, TODAY, date(2026, 7, 1)), [date(2025, 8, 1)]
        )
        self.assertEqual(forecast.occurrences(date(2025, 6, 1), False, None, TODAY, date(2026, 7, 1)), [])


@tagged("post_install", "-at_install")
class TestCashForecast(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.service_forecast_horizon_months = 3
        cls.Line = cls.env["service.forecast.line"]
        cls.customer.sudo().payer_days_late = 10.0
        cls.accountant = new_test_user(
            cls.env,
            login="accountant_forecast",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.labour = cls.env["product.product"].create({"name": "Hour (forecast)", "type": "service", "list_price": 60})
        cls.company.service_labour_product_id = cls.labour
        cls.travel = cls.env["product.product"].create(
            {"name": "Travel (forecast)", "type": "service", "list_price": 0.0}
        )
        cls.company.service_travel_product_id = cls.travel

    def _invoice(self, amount, due, move_type="out_invoice", partner=None):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": date(2025, 5, 1),
                "invoice_date_due": due,
                "invoice_line_ids": [Command.create({"name": "Work", "price_unit": amount, "tax_ids": []})],
            }
        )
        move.action_post()
        return move

    def _generate(self, companies=None):
        self.Line._generate(companies or self.company, TODAY)

    def _lines(self, scenario="expected", **filters):
        domain = [("company_id", "=", self.company.id), ("scenario", "in", (scenario, "both"))]
        domain += [(key, "=", value) for key, value in filters.items()]
        return self.Line.search(domain, order="date, id")

    def _flows(self, scenario="expected", **filters):
        return [(line.date, line.amount) for line in self._lines(scenario, **filters)]

    def test_open_invoice_is_expected_after_the_customers_usual_delay(self):
        invoice = self._invoice(1000.0, date(2025, 7, 15))
        self._generate()
        self.assertEqual(self._flows(move_id=invoice.id), [(date(2025, 7, 25), 1000.0)])
        self.assertEqual(self._flows("on_time", move_id=invoice.id), [(date(2025, 7, 15), 1000.0)])
        line = self._lines(move_id=invoice.id)
        self.assertEqual((line.source, line.partner_id, line.name), ("invoice", self.customer, invoice.name))
        self.assertEqual(line.action_open_document()["res_id"], invoice.id)

    def test_overdue_invoice_is_expected_today_at_the_earliest(self):
        invoice = self._invoice(400.0, date(2025, 5, 31))
        self._generate()
        self.assertEqual(self._flows(move_id=invoice.id), [(TODAY, 400.0)])

    def test_partly_paid_invoice_counts_what_remains_due(self):
        invoice = self._invoice(1000.0, date(2025, 7, 15))
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 300.0, "payment_date": date(2025, 6, 20)}
        )._create_payments()
        self._generate()
        self.assertEqual(self._flows("on_time", move_id=invoice.id), [(date(2025, 7, 15), 700.0)])

    def test_promise_to_pay_gives_the_expected_date(self):
        invoice = self._invoice(800.0, date(2025, 7, 15))
        self.env["service.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_id": invoice.id,
                "amount": 800.0,
                "date": date(2025, 8, 5),
                "date_start": TODAY,
            }
        )
        self._generate()
        self.assertEqual(self._flows(move_id=invoice.id), [(date(2025, 8, 5), 800.0)])
        self.assertEqual(self._flows("on_time", move_id=invoice.id), [(date(2025, 7, 15), 800.0)])

    def test_disputed_invoice_is_shown_apart_and_not_counted(self):
        invoice = self._invoice(900.0, date(2025, 7, 15))
        invoice.write({"dunning_dispute": True, "dunning_dispute_reason": "Work not finished"})
        self._invoice(100.0, date(2025, 7, 15))
        self._generate()
        line = self._lines(move_id=invoice.id)
        self.assertEqual((line.source, line.in_balance), ("disputed", False))
        summary = self.Line._get_summary(self.company, "expected")[self.company.currency_id]
        self.assertEqual(summary["disputed"], 900.0)
        self.assertEqual(self._lines(source="invoice").move_id.mapped("amount_total"), [100.0])

    def test_vendor_bill_is_paid_at_its_due_date_in_both_scenarios(self):
        vendor = self.env["res.partner"].create({"name": "Parts Supplier (forecast)"})
        bill = self._invoice(500.0, date(2025, 7, 20), move_type="in_invoice", partner=vendor)
        self._generate()
        self.assertEqual(self._flows(move_id=bill.id), [(date(2025, 7, 20), -500.0)])
        self.assertEqual(self._flows("on_time", move_id=bill.id), [(date(2025, 7, 20), -500.0)])
        self.assertEqual(self._lines(move_id=bill.id).amount_out, -500.0)

    def test_contract_periods_are_paid_after_terms_and_delay(self):
        """100 a month in advance, 20% VAT, 30 days terms: July to September invoices paid within the horizon."""
        contract = self._create_billing_contract(price=100.0, billing_start_date=date(2025, 7, 1))
        self._generate()
        self.assertEqual(
            self._flows("on_time", contract_id=contract.id),
            [(date(2025, 7, 31), 120.0), (date(2025, 8, 31), 120.0), (date(2025, 10, 1), 120.0)],
        )
        # the customer pays 10 days late: the September invoice falls after the horizon
        self.assertEqual(self._flows(contract_id=contract.id), [(date(2025, 8, 10), 120.0), (date(2025, 9, 10), 120.0)])
        self.assertEqual(self._lines(contract_id=contract.id)[0].source, "contract")

    def test_contract_in_arrears_ending_without_renewal_is_prorated(self):
        contract = self._create_billing_contract(
            price=100.0, rule="arrears", billing_start_date=date(2025, 7, 1), auto_renew=False,
            date_end=date(2025, 8, 15), payment_term_id=False,
        )  # fmt: skip
        self._generate()
        # July billed on 1 August, 1-15 August (15/31 days) billed on 16 August
        self.assertEqual(
            self._flows("on_time", contract_id=contract.id),
            [(date(2025, 8, 1), 120.0), (date(2025, 8, 16), 58.06)],
        )

    def test_terminated_contract_stops_and_revision_by_percentage_applies(self):
        contract = self._create_billing_contract(
            price=100.0, billing_start_date=date(2025, 7, 1), payment_term_id=False,
            indexation_method="percentage", indexation_percentage=2.0, next_revision_date=date(2025, 8, 1),
        )  # fmt: skip
        self._generate()
        self.assertEqual(
            self._flows("on_time", contract_id=contract.id),
            [
                (date(2025, 7, 1), 120.0),
                (date(2025, 8, 1), 122.4),
                (date(2025, 9, 1), 122.4),
                (date(2025, 10, 1), 122.4),
            ],
        )
        # notice of termination at the end of August: September and October are no longer billed
        contract.sudo().termination_date = date(2025, 8, 31)
        self._generate()
        self.assertEqual(
            self._flows("on_time", contract_id=contract.id), [(date(2025, 7, 1), 120.0), (date(2025, 8, 1), 122.4)]
        )
        # terminated (effective at the end of August) it is still billed until then; cancelled, never
        contract.sudo().state = "terminated"
        self._generate()
        self.assertEqual(len(self._lines("on_time", contract_id=contract.id)), 2)
        contract.sudo().state = "cancelled"
        self._generate()
        self.assertFalse(self._lines(contract_id=contract.id))

    def test_revision_by_index_uses_the_index_value_the_revision_will_use(self):
        index = self.env["service.index"].create({"name": "Syntec (forecast)", "code": "FSYN"})
        self.env["service.index.value"].create(
            [
                {"index_id": index.id, "date": date(2025, 5, 1), "value": 105.0},
                {"index_id": index.id, "date": date(2025, 6, 1), "value": 110.0},
            ]
        )
        revision = {
            "indexation_method": "index", "index_id": index.id, "index_base_value": 100.0,
            "index_fixed_part": 0.15, "index_variable_part": 0.85, "next_revision_date": date(2025, 8, 1),
        }  # fmt: skip
        # August's value is not published yet: the latest known (June, 110) gives 0.15 + 0.85 x 1.10 = 1.085
        latest = self._create_billing_contract(
            price=100.0, billing_start_date=date(2025, 7, 1), payment_term_id=False, **revision
        )
        # three months of lag: the revision of August uses May's value, 105: 0.15 + 0.85 x 1.05 = 1.0425
        lagged = self._create_billing_contract(
            price=100.0, billing_start_date=date(2025, 7, 1), payment_term_id=False, index_lag_months=3, **revision
        )
        # no value known at all: the price stays
        unknown_index = self.env["service.index"].create({"name": "Unpublished (forecast)", "code": "FUNP"})
        unknown = self._create_billing_contract(
            price=100.0, billing_start_date=date(2025, 7, 1), payment_term_id=False,
            **dict(revision, index_id=unknown_index.id),
        )  # fmt: skip
        self._generate()
        self.assertEqual(
            self._flows("on_time", contract_id=latest.id),
            [(date(2025, 7, 1), 120.0), (date(2025, 8, 1), 130.2), (date(2025, 9, 1), 130.2),
             (date(2025, 10, 1), 130.2)],
        )  # fmt: skip
        self.assertEqual(
            [amount for _day, amount in self._flows("on_time", contract_id=lagged.id)], [120.0, 125.1, 125.1, 125.1]
        )
        self.assertEqual([amount for _day, amount in self._flows("on_time", contract_id=unknown.id)], [120.0] * 4)
        # the value of August published: the forecast follows it (115: 0.15 + 0.85 x 1.15 = 1.1275)
        self.env["service.index.value"].create({"index_id": index.id, "date": date(2025, 8, 1), "value": 115.0})
        self._generate()
        self.assertEqual(
            [amount for _day, amount in self._flows("on_time", contract_id=latest.id)], [120.0, 135.3, 135.3, 135.3]
        )
        # the forecast bills what the revision itself will give
        prices, index_value = latest._prepare_revision(date(2025, 8, 1))
        self.assertEqual((index_value, list(prices.values())), (115.0, [112.75]))

    def test_travel_fees_are_forecast_unless_covered(self):
        self.travel.list_price = 30.0
        done = self._create_done_intervention(hours=2.0, end=datetime(2025, 6, 20, 12, 0))
        lift = self._create_equipment(name="Lift (forecast travel)")
        self.env["service.equipment.warranty"].create(
            {"equipment_id": lift.id, "date_start": date(2025, 1, 1), "date_end": date(2026, 12, 31),
             "cover_labour": True, "cover_parts": True, "cover_travel": False}
        )  # fmt: skip
        boiler = self._create_equipment(name="Boiler (forecast travel)")
        self.env["service.equipment.warranty"].create(
            {"equipment_id": boiler.id, "date_start": date(2025, 1, 1), "date_end": date(2026, 12, 31),
             "cover_labour": True, "cover_parts": True, "cover_travel": True}
        )  # fmt: skip
        contract = self._create_billing_contract(price=100.0, billing_start_date=date(2025, 7, 1))
        Intervention = self.env["service.intervention"]
        planned = {"partner_id": self.customer.id, "intervention_type": "corrective", "planned_duration": 3.0,
                   "planned_start": datetime(2025, 7, 10, 8, 0)}  # fmt: skip
        billable = Intervention.create(planned)
        warranty_labour = Intervention.create(dict(planned, equipment_id=lift.id))
        warranty_all = Intervention.create(dict(planned, equipment_id=boiler.id))
        under_contract = Intervention.create(dict(planned, contract_id=contract.id))
        self._generate()
        # done: 2 h x 60 + 30 of travel; planned: 3 h x 60 + 30
        self.assertEqual(self._flows(intervention_id=done.id), [(date(2025, 7, 11), 150.0)])
        self.assertEqual(self._flows("on_time", intervention_id=billable.id), [(date(2025, 7, 10), 210.0)])
        # the warranty pays the labour, not the travel
        self.assertEqual(warranty_labour.coverage, "warranty")
        self.assertEqual(self._flows("on_time", intervention_id=warranty_labour.id), [(date(2025, 7, 10), 30.0)])
        # travel covered by the warranty, or included in the contract line: nothing to collect
        self.assertFalse(self._lines(intervention_id=warranty_all.id))
        self.assertFalse(self._lines(intervention_id=under_contract.id))
        # the forecast charges what billing charges for the finished one
        self.assertEqual(done.billing_amount, 150.0)

    def test_interventions_done_and_planned(self):
        done = self._create_done_intervention(hours=2.0, end=datetime(2025, 6, 20, 12, 0))
        contactor = self.env["product.product"].create({"name": "Contactor (forecast)", "type": "consu"})
        self.env["service.intervention.part"].create(
            {"intervention_id": done.id, "product_id": contactor.id, "quantity": 1, "price_unit": 45.0}
        )
        planned = self.env["service.intervention"].create(
            {
                "partner_id": self.customer.id,
                "intervention_type": "corrective",
                "planned_start": datetime(2025, 7, 10, 8, 0),
                "planned_duration": 3.0,
            }
        )
        self.assertEqual(done.invoice_state, "to_invoice")
        self._generate()
        # 2 h x 60 + 45 of parts, billed today, paid 10 days later; planned: 3 h x 60 on 10 July
        self.assertEqual(self._flows(intervention_id=done.id), [(date(2025, 7, 11), 165.0)])
        self.assertEqual(self._lines(intervention_id=done.id).source, "intervention_done")
        self.assertEqual(self._flows("on_time", intervention_id=planned.id), [(date(2025, 7, 10), 180.0)])
        self.assertEqual(self._lines(intervention_id=planned.id).source, "intervention_planned")

    def test_manual_lines_recur_within_the_horizon(self):
        rent = self.env["service.forecast.manual"].create(
            {
                "name": "Rent",
                "direction": "out",
                "amount": 1000.0,
                "date_start": date(2025, 7, 5),
                "recurrence": "monthly",
            }
        )
        grant = self.env["service.forecast.manual"].create(
            {"name": "Grant", "direction": "in", "amount": 5000.0, "date_start": date(2025, 9, 15)}
        )
        self.env["service.forecast.manual"].create(
            {"name": "Archived", "direction": "in", "amount": 7.0, "date_start": date(2025, 9, 15), "active": False}
        )
        self._generate()
        self.assertEqual(
            self._flows(manual_id=rent.id),
            [(date(2025, 7, 5), -1000.0), (date(2025, 8, 5), -1000.0), (date(2025, 9, 5), -1000.0)],
        )
        self.assertEqual(self._flows("on_time", manual_id=grant.id), [(date(2025, 9, 15), 5000.0)])
        self.assertEqual(len(self._lines(source="manual")), 4)

    def _summary_by_month(self, scenario="on_time"):
        summary = self.Line._get_summary(self.company, scenario).get(self.company.currency_id)
        if not summary:
            return 0.0, {}
        return summary["opening"], {row["period"]: row for row in summary["periods"]}

    def test_opening_balance_and_running_balance(self):
        Journal, Account = self.env["account.journal"], self.env["account.account"]
        bank = Journal.search([*Journal._check_company_domain(self.company), ("type", "=", "bank")], limit=1)
        misc = Journal.search([*Journal._check_company_domain(self.company), ("type", "=", "general")], limit=1)
        equity = Account.search(
            [*Account._check_company_domain(self.company), ("account_type", "=", "equity")], limit=1
        )
        self._generate()
        opening_before, months_before = self._summary_by_month()
        entry = self.env["account.move"].create(
            {
                "journal_id": misc.id,
                "date": date(2025, 6, 1),
                "line_ids": [
                    Command.create({"account_id": bank.default_account_id.id, "debit": 5000.0}),
                    Command.create({"account_id": equity.id, "credit": 5000.0}),
                ],
            }
        )
        entry.action_post()
        self.env["service.forecast.manual"].create(
            {"name": "Rent", "direction": "out", "amount": 1000.0, "date_start": date(2025, 8, 5)}
        )
        self._invoice(300.0, date(2025, 9, 1))
        self._generate()
        opening, months = self._summary_by_month()
        self.assertEqual(round(opening - opening_before, 2), 5000.0)
        self.assertEqual(self._lines(source="opening", journal_id=bank.id).date, TODAY)

        def delta(month, key):
            before = months_before.get(month, {}).get(key)
            if before is None:  # a month without flows before keeps the balance of the month before it
                before = max((row["balance"] for period, row in months_before.items() if period < month),
                             default=opening_before) if key == "balance" else 0.0  # fmt: skip
            return round(months[month][key] - before, 2)

        self.assertEqual(delta(date(2025, 8, 1), "net"), -1000.0)
        self.assertEqual(delta(date(2025, 8, 1), "balance"), 4000.0)
        self.assertEqual(delta(date(2025, 9, 1), "balance"), 4300.0)

    def test_second_company_and_currency_are_kept_apart(self):
        chf = self.env.ref("base.CHF")
        chf.active = True
        pricelist = self.env["product.pricelist"].create(
            {"name": "CHF (forecast)", "currency_id": chf.id, "company_id": self.company_b.id}
        )
        contract_b = self.env["service.contract"].with_company(self.company_b).create(
            {
                "partner_id": self.other_customer.id,
                "company_id": self.company_b.id,
                "pricelist_id": pricelist.id,
                "date_start": date(2025, 7, 1),
                "billing_rule": "advance",
                "recurring_rule_type": "yearly",
                "line_ids": [Command.create({"name": "Boiler care", "quantity": 1, "price_unit": 1200.0,
                                             "product_id": self.service_product.id, "tax_ids": []})],
            }
        )  # fmt: skip
        contract_b.action_start()
        self.company_b.service_forecast_horizon_months = 12
        self._invoice(1000.0, date(2025, 7, 15))
        self._generate(self.company | self.company_b)
        line_b = self.Line.search([("contract_id", "=", contract_b.id), ("scenario", "in", ("on_time", "both"))])
        # calendar years: July to December 2025 pro rata (184/365 days), then 2026
        self.assertEqual(line_b.mapped("date"), [date(2025, 7, 1), date(2026, 1, 1)])
        self.assertEqual(
            (line_b.company_id, line_b.currency_id, line_b.mapped("amount")), (self.company_b, chf, [604.93, 1200.0])
        )
        self.assertIn(chf, self.Line._get_summary(self.company_b, "on_time"))
        self.assertFalse(line_b[0].in_company_currency)
        self.assertTrue(self._lines(source="invoice").in_company_currency)
        # recomputing one company leaves the other's forecast alone
        self._generate(self.company)
        self.assertTrue(line_b.exists())
        # a manager of the first company sees only its lines
        lines = self.Line.with_user(self.manager).search([])
        self.assertTrue(lines)
        self.assertEqual(lines.company_id, self.company)

    def test_company_currency_amounts_convert_at_the_rate_of_the_day(self):
        company_currency = self.company_b.currency_id
        foreign = self.env.ref("base.CHF") if company_currency != self.env.ref("base.CHF") else self.env.ref("base.USD")
        foreign.active = True
        self.env["res.currency.rate"].create([
            {"currency_id": company_currency.id, "rate": 1.0, "name": date(2025, 6, 1),
             "company_id": self.company_b.id},
            {"currency_id": foreign.id, "rate": 2.0, "name": date(2025, 6, 1), "company_id": self.company_b.id},
            {"currency_id": foreign.id, "rate": 4.0, "name": date(2025, 8, 1), "company_id": self.company_b.id},
        ])  # fmt: skip
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign (forecast)", "currency_id": foreign.id, "company_id": self.company_b.id}
        )
        Manual = self.env["service.forecast.manual"].with_company(self.company_b)
        Manual.create(
            [
                {"name": "Foreign grant", "direction": "in", "amount": 1000.0, "date_start": date(2025, 8, 15),
                 "currency_id": foreign.id, "company_id": self.company_b.id},
                {"name": "Rent", "direction": "out", "amount": 300.0, "date_start": date(2025, 8, 5),
                 "company_id": self.company_b.id},
            ]
        )  # fmt: skip
        contract = self.env["service.contract"].with_company(self.company_b).create(
            {
                "partner_id": self.other_customer.id, "company_id": self.company_b.id, "pricelist_id": pricelist.id,
                "date_start": date(2025, 7, 1), "billing_start_date": date(2025, 7, 1), "billing_rule": "advance",
                "recurring_rule_type": "monthly",
                "line_ids": [Command.create({"name": "Boiler care", "quantity": 1, "price_unit": 100.0,
                                             "product_id": self.service_product.id, "tax_ids": []})],
            }
        )  # fmt: skip
        contract.action_start()
        self.company_b.service_forecast_horizon_months = 3
        self._generate(self.company_b)
        lines = self.Line.search([("company_id", "=", self.company_b.id), ("scenario", "in", ("on_time", "both"))])
        # the rate of the day the forecast is computed (2 on 1 July), not that of the flow's date
        grant = lines.filtered(lambda line: line.name == "Foreign grant")
        self.assertEqual((grant.amount, grant.amount_company, grant.amount_in_company), (1000.0, 500.0, 500.0))
        self.assertEqual((grant.currency_id, grant.company_currency_id), (foreign, company_currency))
        self.assertFalse(grant.in_company_currency)
        rent = lines.filtered(lambda line: line.name == "Rent")
        self.assertEqual(
            (rent.amount_company, rent.amount_out_company, rent.in_company_currency), (-300.0, -300.0, True)
        )
        # August in the company's currency: 500 of the grant, 50 of the contract, 300 of rent out
        august = self.Line._read_group(
            [("id", "in", lines.ids), ("date", ">=", date(2025, 8, 1)), ("date", "<", date(2025, 9, 1))],
            [], ["amount_company:sum", "amount:sum"],
        )[0]  # fmt: skip
        self.assertEqual(august, (250.0, 800.0))
        # the board and the export: all currencies together in the company's first, then each currency
        blocks = self.Line._get_summary_blocks(self.company_b, "on_time")
        self.assertEqual([(currency, consolidated) for currency, _summary, consolidated in blocks],
                         [(company_currency, True), (company_currency, False), (foreign, False)])  # fmt: skip
        august_rows = [
            next(row for row in summary["periods"] if row["period"] == date(2025, 8, 1)) for _c, summary, _f in blocks
        ]
        self.assertEqual([row["net"] for row in august_rows], [250.0, -300.0, 1100.0])
        html = (
            self.env["ir.actions.report"]
            .with_context(allowed_company_ids=[self.company_b.id])
            ._render_qweb_html("service_management.service_forecast_report_board", self.company_b.ids)[0]
            .decode()
        )
        self.assertIn("All currencies, in", html)
        book = openpyxl.load_workbook(io.BytesIO(self.Line._build_xlsx(self.company_b)))
        titles = [row[0] for row in book["Everyone Pays on Time"].iter_rows(values_only=True) if row[0]]
        self.assertEqual(
            [title for title in titles if "(" in title or "currencies" in title],
            [f"{self.company_b.name}: all currencies in {company_currency.name} at today's rate",
             f"{self.company_b.name} ({company_currency.name})", f"{self.company_b.name} ({foreign.name})"],
        )  # fmt: skip
        consolidated_august = next(
            row for row in book["Everyone Pays on Time"].iter_rows(values_only=True) if row[0] == "2025-08-01"
        )
        self.assertEqual(consolidated_august[-2], 250.0)
        # the views total the company-currency amount
        for view in ("service_forecast_line_view_graph", "service_forecast_line_view_pivot"):
            arch = self.env.ref(f"service_management.{view}").arch
            self.assertIn('name="amount_company" type="measure"', arch)

    def test_list_buttons_answer_the_web_client(self):
        """The list's header buttons are called with the selected ids (none or some), as the web client does."""
        Line = self.Line.with_user(self.manager)
        self.assertEqual(call_kw(Line, "action_generate", [[]], {})["res_model"], "service.forecast.line")
        ids = Line.search([], limit=2).ids
        self.assertEqual(call_kw(Line, "action_export_xlsx", [ids], {})["type"], "ir.actions.act_url")
        self.assertEqual(call_kw(Line, "action_print_board_report", [[]], {})["type"], "ir.actions.report")

    def test_who_may_compute_and_read_the_forecast(self):
        self._invoice(1000.0, date(2025, 7, 15))
        self.assertEqual(self.Line.with_user(self.manager).action_generate()["res_model"], "service.forecast.line")
        self.assertTrue(self.Line.with_user(self.accountant).search_count([]))
        self.Line.with_user(self.accountant).action_generate()
        for user in (self.technician, self.dispatcher):
            with self.assertRaises(AccessError):
                self.Line.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.Line.with_user(user).action_generate()
            with self.assertRaises(AccessError):
                self.env["service.forecast.manual"].with_user(user).create(
                    {"name": "Rent", "amount": 10.0, "direction": "out"}
                )
        manual = (
            self.env["service.forecast.manual"]
            .with_user(self.accountant)
            .create({"name": "Loan", "amount": 10.0, "direction": "out"})
        )
        self.assertEqual(manual.company_id, self.company)

    def test_bad_input_is_refused(self):
        Manual = self.env["service.forecast.manual"].with_user(self.manager)
        with self.assertRaisesMessage(ValidationError, "end date cannot be before"):
            Manual.create(
                {"name": "Rent", "amount": 10.0, "date_start": date(2025, 7, 1), "date_end": date(2025, 6, 1),
                 "recurrence": "monthly"}
            )  # fmt: skip
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Manual.create({"name": "Rent", "amount": -10.0})
        with self.assertRaisesMessage(ValidationError, "between 1 and 60 months"):
            self.company.service_forecast_horizon_months = 0

    def test_xlsx_export_has_the_same_figures(self):
        self.env["service.forecast.manual"].create(
            {"name": "Rent", "direction": "out", "amount": 1000.0, "date_start": date(2025, 8, 5)}
        )
        self._invoice(300.0, date(2025, 8, 20))
        self._generate()
        action = self.Line.with_user(self.manager).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(book.sheetnames, ["Expected", "Everyone Pays on Time"])
        rows = [row for row in book["Everyone Pays on Time"].iter_rows(values_only=True) if row[0] == "2025-08-01"]
        august = self._summary_by_month()[1][date(2025, 8, 1)]
        self.assertEqual(rows[0][-4:], (august["inflow"], august["outflow"], august["net"], august["balance"]))
        self.assertEqual(rows[0][1], august["inflows"]["invoice"])
        self.assertGreaterEqual(august["inflows"]["invoice"], 300.0)
        self.assertLessEqual(august["outflow"], -1000.0)

    def test_board_report_shows_the_balance(self):
        self.env["service.forecast.manual"].create(
            {"name": "Rent", "direction": "out", "amount": 1234.0, "date_start": date(2025, 8, 5)}
        )
        self._generate()
        action = self.Line.with_user(self.manager).action_print_board_report()
        self.assertEqual(action["report_name"], "service_management.report_service_forecast_board")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_management.service_forecast_report_board", self.company.ids)[0]
            .decode()
        )
        self.assertIn("Cash Forecast", html)
        balance = self._summary_by_month("expected")[1][date(2025, 8, 1)]["balance"]
        self.assertIn(f"{abs(balance):,.2f}", html)

    def test_cron_recomputes_every_company(self):
        self.env["service.forecast.manual"].create(
            {"name": "Rent", "direction": "out", "amount": 1000.0, "date_start": fields.Date.today()}
        )
        self.Line._cron_generate()
        self.assertTrue(self.Line.search([("source", "=", "manual"), ("company_id", "=", self.company.id)]))
