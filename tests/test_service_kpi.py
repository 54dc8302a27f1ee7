from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestServiceKpi(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.now = fields.Datetime.now().replace(microsecond=0)
        cls.accountant = new_test_user(
            cls.env,
            login="accountant_kpi",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.zone = cls.env["service.zone"].create({"name": "Lyon Presqu'île (KPI)"})

    def _contract(self, price, unit, **vals):
        values = {
            "date_start": self.today - relativedelta(months=2),
            "recurring_rule_type": unit,
            "lines": [Command.create({"product_id": self.maintenance.id, "quantity": 1, "price_unit": price})],
        }
        values.update(vals)
        return self._create_billing_contract(**values)

    def _kpi(self, model, domain, fields_):
        return self.env[model]._read_group(domain, [], fields_)[0]

    # Recurring revenue -------------------------------------------------------------------------
    def test_mrr_and_arr_are_normalised_per_month(self):
        yearly = self._contract(1200.0, "yearly")
        quarterly = self._contract(300.0, "quarterly")
        contracts = yearly | quarterly
        mrr, arr = self._kpi("service.kpi.contract", [("contract_id", "in", contracts.ids)], ["mrr:sum", "arr:sum"])
        self.assertEqual((mrr, arr), (200.0, 2400.0))
        self.assertEqual(self.env["service.kpi.contract"].search([("contract_id", "=", yearly.id)]).mrr, 100.0)

    def test_mrr_per_company_and_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        pricelist = self.env["product.pricelist"].create(
            {"name": "USD (kpi)", "currency_id": usd.id, "company_id": self.company_b.id}
        )
        eur_contract = self._contract(1200.0, "yearly")
        usd_contract = self.env["service.contract"].with_company(self.company_b).create(
            {
                "partner_id": self.other_customer.id,
                "company_id": self.company_b.id,
                "pricelist_id": pricelist.id,
                "date_start": self.today,
                "billing_rule": "advance",
                "recurring_rule_type": "monthly",
                "line_ids": [Command.create({"name": "Boiler care", "quantity": 2, "price_unit": 45.0,
                                             "product_id": self.service_product.id, "tax_ids": []})],
            }
        )  # fmt: skip
        usd_contract.action_start()
        groups = self.env["service.kpi.contract"]._read_group(
            [("contract_id", "in", (eur_contract | usd_contract).ids)], ["company_id", "currency_id"], ["mrr:sum"]
        )
        self.assertEqual(
            sorted((company.id, currency.id, mrr) for company, currency, mrr in groups),
            sorted([(self.company.id, eur_contract.currency_id.id, 100.0), (self.company_b.id, usd.id, 90.0)]),
        )
        # each company's manager sees only its own contracts' revenue
        manager_b = new_test_user(
            self.env, login="manager_b_kpi", groups="service_management.group_service_manager",
            company_id=self.company_b.id, company_ids=[self.company_b.id],
        )  # fmt: skip
        rows = self.env["service.kpi.contract"].with_user(manager_b).search([])
        self.assertEqual(rows.contract_id, usd_contract)

    def test_recurring_revenue_in_the_company_currency_never_adds_currencies(self):
        company_currency = self.company_b.currency_id
        foreign = self.env.ref("base.CHF") if company_currency != self.env.ref("base.CHF") else self.env.ref("base.USD")
        foreign.active = True
        Rate = self.env["res.currency.rate"]
        # one company currency unit is worth 1.25 units of the foreign one (the company's own rates)
        Rate.create([
            {"currency_id": company_currency.id, "rate": 1.0, "name": self.today - timedelta(days=1),
             "company_id": self.company_b.id},
            {"currency_id": foreign.id, "rate": 1.25, "name": self.today - timedelta(days=1),
             "company_id": self.company_b.id},
            # a rate of the future is not today's
            {"currency_id": foreign.id, "rate": 5.0, "name": self.today + timedelta(days=3),
             "company_id": self.company_b.id},
        ])  # fmt: skip
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign (kpi)", "currency_id": foreign.id, "company_id": self.company_b.id}
        )
        Contract = self.env["service.contract"].with_company(self.company_b)
        contracts = Contract.create(
            [
                {
                    "partner_id": self.other_customer.id, "company_id": self.company_b.id, "pricelist_id": pricelist.id,
                    "date_start": self.today, "billing_rule": "advance", "recurring_rule_type": "monthly",
                    "line_ids": [Command.create({"name": "Boiler care", "quantity": 2, "price_unit": 45.0,
                                                 "product_id": self.service_product.id, "tax_ids": []})],
                },
                {
                    "partner_id": self.other_customer.id, "company_id": self.company_b.id,
                    "date_start": self.today, "billing_rule": "advance", "recurring_rule_type": "yearly",
                    "line_ids": [Command.create({"name": "Lift care", "quantity": 1, "price_unit": 1200.0,
                                                 "product_id": self.service_product.id, "tax_ids": []})],
                },
            ]
        )  # fmt: skip
        contracts.action_start()
        self.assertEqual(contracts.currency_id, foreign | company_currency)
        Kpi = self.env["service.kpi.contract"]
        domain = [("contract_id", "in", contracts.ids)]
        # 90 a month in the foreign currency is 72 in the company's; 100 a month already in it
        self.assertEqual(Kpi._read_group(domain, [], ["mrr_company:sum", "arr_company:sum"])[0], (172.0, 2064.0))
        self.assertEqual(
            sorted(Kpi._read_group(domain, ["currency_id"], ["mrr:sum", "mrr_company:sum"]), key=lambda g: g[1]),
            [(foreign, 90.0, 72.0), (company_currency, 100.0, 100.0)],
        )
        row = Kpi.search([("contract_id", "=", contracts[0].id)])
        self.assertEqual((row.company_currency_id, row.mrr, row.mrr_company), (company_currency, 90.0, 72.0))

    def test_renewals_due_within_90_days(self):
        soon = self._contract(1200.0, "yearly", date_end=self.today + timedelta(days=60))
        later = self._contract(600.0, "yearly", date_end=self.today + timedelta(days=200))
        rows = self.env["service.kpi.contract"].search([("contract_id", "in", (soon | later).ids)])
        self.assertEqual(rows.filtered("renewal_due").contract_id, soon)
        self.assertEqual(sum(rows.mapped("renewal_amount")), 1200.0)

    def test_churn_by_reason(self):
        reason = self.env["service.contract.termination.reason"].create({"name": "Went to a competitor (KPI)"})
        lost = self._contract(2400.0, "yearly")
        lost.terminate(reason, self.today)
        kept = self._contract(1200.0, "yearly")
        rows = self.env["service.kpi.contract"].search([("contract_id", "in", (lost | kept).ids)])
        churned = rows.filtered("churn_kind")
        self.assertEqual(
            (churned.contract_id, churned.churn_kind, churned.churn_reason_id, churned.churned_mrr, churned.mrr),
            (lost, "terminated", reason, 200.0, 0.0),
        )
        self.assertEqual(churned.churn_date, self.today)

    # Interventions -------------------------------------------------------------------------------
    def _intervention(self, **vals):
        values = {"partner_id": self.customer.id, "intervention_type": "corrective", "zone_id": self.zone.id}
        values.update(vals)
        return self.env["service.intervention"].create(values)

    def _set(self, interventions, **values):
        """Set stored SLA figures directly, as the SLA computation would have left them."""
        interventions.flush_recordset()
        columns = ", ".join(f"{name} = %s" for name in values)
        self.env.cr.execute(
            f"UPDATE service_intervention SET {columns} WHERE id = ANY(%s)", [*values.values(), interventions.ids]
        )
        interventions.invalidate_recordset()

    def test_backlog_by_zone_and_age(self):
        recent = self._intervention(call_date=self.now - timedelta(days=3))
        older = self._intervention(call_date=self.now - timedelta(days=12))
        done = self._create_done_intervention(end=self.now - timedelta(days=1), zone_id=self.zone.id)
        rows = self.env["service.kpi.intervention"].search([("zone_id", "=", self.zone.id)])
        self.assertEqual(sum(rows.mapped("open_count")), 2)
        by_id = {row.intervention_id: row for row in rows}
        self.assertEqual((by_id[recent].age_bucket, by_id[recent].age_days), ("0_7", 3))
        self.assertEqual((by_id[older].age_bucket, by_id[older].age_days), ("8_30", 12))
        self.assertFalse(by_id[done].is_open)
        # a visit called for a later day (a preventive visit planned ahead) is not negatively old
        ahead = self._intervention(call_date=self.now + timedelta(days=6))
        row = self.env["service.kpi.intervention"].search([("intervention_id", "=", ahead.id)])
        self.assertEqual((row.age_bucket, row.age_days), ("0_7", 0))

    def test_sla_compliance_and_late_now(self):
        on_time = self._create_done_intervention(end=self.now - timedelta(days=2), zone_id=self.zone.id)
        late = self._create_done_intervention(end=self.now - timedelta(days=2), zone_id=self.zone.id)
        open_late = self._intervention(call_date=self.now - timedelta(days=2))
        no_sla = self._create_done_intervention(end=self.now - timedelta(days=2), zone_id=self.zone.id)
        self._set(on_time | late | open_late, resolution_deadline=self.now - timedelta(days=1))
        self._set(on_time, sla_breached=False)
        self._set(late | open_late, sla_breached=True)
        self._set(no_sla, resolution_deadline=None, sla_breached=False)
        on_time_pct, late_now = self._kpi(
            "service.kpi.intervention", [("zone_id", "=", self.zone.id)], ["sla_on_time:avg", "sla_late_now:sum"]
        )
        self.assertEqual((on_time_pct, late_now), (50.0, 1))

    def test_first_time_fix_and_time_to_resolve(self):
        lift_a = self._create_equipment(name="Lift A (KPI)")
        lift_b = self._create_equipment(name="Lift B (KPI)", serial_no="KPI-B")
        fixed = self._create_done_intervention(
            hours=2.0, end=self.now - timedelta(days=20), equipment_id=lift_b.id, zone_id=self.zone.id,
        )  # fmt: skip
        repeated = self._create_done_intervention(
            hours=2.0, end=self.now - timedelta(days=20), equipment_id=lift_a.id, zone_id=self.zone.id,
        )  # fmt: skip
        # called back on lift A 10 days later: the first visit did not fix it
        self._intervention(equipment_id=lift_a.id, call_date=self.now - timedelta(days=10))
        # a preventive visit on lift B does not count as a call-back
        self._intervention(
            equipment_id=lift_b.id, intervention_type="preventive", call_date=self.now - timedelta(days=5)
        )
        rows = self.env["service.kpi.intervention"].search([("intervention_id", "in", (fixed | repeated).ids)])
        self.assertEqual({row.intervention_id: row.first_time_fix for row in rows}, {fixed: 100.0, repeated: 0.0})
        ftf, hours = self._kpi(
            "service.kpi.intervention", [("zone_id", "=", self.zone.id)], ["first_time_fix:avg", "resolve_hours:avg"]
        )
        self.assertEqual(ftf, 50.0)
        # called at 7:00, finished 2 hours after starting: call_date is set 7 h before the end's day start
        expected = [(i.actual_end - i.call_date).total_seconds() / 3600 for i in fixed | repeated]
        self.assertAlmostEqual(hours, sum(expected) / 2, places=4)

    def test_done_but_unbilled(self):
        done = self._create_done_intervention(hours=1.5, end=self.now - timedelta(days=1), zone_id=self.zone.id)
        self.assertEqual(done.invoice_state, "to_invoice")
        count, hours = self._kpi(
            "service.kpi.intervention", [("zone_id", "=", self.zone.id)], ["unbilled_count:sum", "unbilled_hours:sum"]
        )
        self.assertEqual((count, hours), (1, 1.5))

    # Technicians ---------------------------------------------------------------------------------
    def test_utilisation_against_the_working_hours(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Mornings (KPI)",
                "company_id": self.company.id,
                "attendance_ids": [
                    Command.create({"name": "Mon", "dayofweek": "0", "hour_from": 8, "hour_to": 12}),
                    Command.create({"name": "Wed", "dayofweek": "2", "hour_from": 8, "hour_to": 12}),
                ],
            }
        )
        self.env["resource.resource"].create(
            {"name": "Technician (KPI)", "user_id": self.technician.id, "calendar_id": calendar.id}
        )
        month = self.today.replace(day=1)
        planned_start = fields.Datetime.to_datetime(month) + timedelta(hours=9)
        self._intervention(user_id=self.technician.id, planned_start=planned_start, planned_duration=3.0)
        self._intervention(
            user_id=self.technician.id, planned_start=planned_start + timedelta(days=1), planned_duration=1.0
        )
        days = [month + timedelta(days=n) for n in range(31) if (month + timedelta(days=n)).month == month.month]
        working = 4.0 * sum(1 for day in days if day.weekday() in (0, 2))
        row = self.env["service.kpi.technician"].search([("user_id", "=", self.technician.id), ("month", "=", month)])
        self.assertEqual((row.planned_hours, row.working_hours), (4.0, working))
        self.assertEqual(row.utilisation, round(400.0 / working, 1))

    def test_utilisation_deducts_leaves_and_public_holidays(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Mornings, Paris (KPI)",
                "company_id": self.company.id,
                "tz": "Europe/Paris",
                "attendance_ids": [
                    Command.create({"name": "Mon", "dayofweek": "0", "hour_from": 8, "hour_to": 12}),
                    Command.create({"name": "Wed", "dayofweek": "2", "hour_from": 8, "hour_to": 12}),
                ],
            }
        )
        Resource = self.env["resource.resource"]
        resource = Resource.create(
            {"name": "Technician (KPI leaves)", "user_id": self.technician.id, "calendar_id": calendar.id,
             "tz": "Europe/Paris"}
        )  # fmt: skip
        other = Resource.create({"name": "Someone else (KPI)", "calendar_id": calendar.id, "tz": "Europe/Paris"})
        month = self.today.replace(day=1)
        days = [month + timedelta(days=n) for n in range(31) if (month + timedelta(days=n)).month == month.month]
        monday = next(day for day in days if day.weekday() == 0)
        wednesday = next(day for day in days if day.weekday() == 2)
        paris = pytz.timezone("Europe/Paris")

        def utc(day, hour):
            local = paris.localize(datetime.combine(day, time(hour)))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        Leave = self.env["resource.calendar.leaves"]
        # the technician's whole first Monday morning, and a public holiday on the first Wednesday from 10:00
        Leave.create({"name": "Day off", "resource_id": resource.id, "calendar_id": calendar.id,
                      "date_from": utc(monday, 0), "date_to": utc(monday, 23)})  # fmt: skip
        Leave.create({"name": "Holiday (KPI)", "calendar_id": calendar.id, "company_id": self.company.id,
                      "date_from": utc(wednesday, 10), "date_to": utc(wednesday, 23)})  # fmt: skip
        # someone else's leave and a leave of another company's calendar change nothing
        Leave.create({"name": "Not mine", "resource_id": other.id, "calendar_id": calendar.id,
                      "date_from": utc(wednesday, 0), "date_to": utc(wednesday, 9)})  # fmt: skip
        other_company = Leave.with_company(self.company_b).create(
            {
                "name": "Other company",
                "calendar_id": False,
                "date_from": utc(wednesday, 0),
                "date_to": utc(wednesday, 9),
            }
        )
        self.assertEqual(other_company.company_id, self.company_b)
        self._intervention(
            user_id=self.technician.id, planned_start=fields.Datetime.to_datetime(month) + timedelta(hours=9),
            planned_duration=6.0,
        )  # fmt: skip
        scheduled = 4.0 * sum(1 for day in days if day.weekday() in (0, 2))
        row = self.env["service.kpi.technician"].search([("user_id", "=", self.technician.id), ("month", "=", month)])
        self.assertEqual((row.working_hours, row.leave_hours), (scheduled - 6.0, 6.0))
        self.assertEqual(row.utilisation, round(600.0 / (scheduled - 6.0), 1))
        # Odoo's own count of the working hours agrees
        start, end = utc(month, 0), utc(days[-1] + timedelta(days=1), 0)
        intervals = calendar._work_intervals_batch(pytz.utc.localize(start), pytz.utc.localize(end), resources=resource)
        odoo_hours = sum((stop - begin).total_seconds() / 3600 for begin, stop, _meta in intervals[resource.id])
        self.assertEqual(row.working_hours, odoo_hours)

    def test_collected_on_site_per_technician(self):
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company), ("type", "=", "cash")], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 150.0,
                "journal_id": journal.id,
                "date": self.today,
                "collected_by_id": self.technician.id,
            }
        )
        payment.action_post()
        row = self.env["service.kpi.technician"].search(
            [("user_id", "=", self.technician.id), ("month", "=", self.today.replace(day=1))]
        )
        self.assertEqual(row.collected_amount, 150.0)

    # Receivables -----------------------------------------------------------------------------------
    def test_days_sales_outstanding(self):
        Kpi = self.env["service.kpi.receivable"]
        before = Kpi.search([("company_id", "=", self.company.id)])
        receivable, sales = before.receivable, before.sales_90
        for amount, paid in ((1000.0, False), (2000.0, True)):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": self.today - timedelta(days=10),
                    "invoice_line_ids": [Command.create({"name": "Work", "price_unit": amount, "tax_ids": []})],
                }
            )
            move.action_post()
            if paid:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create({"payment_date": self.today})._create_payments()
        self.env.invalidate_all()
        row = Kpi.search([("company_id", "=", self.company.id)])
        self.assertEqual((row.receivable, row.sales_90), (receivable + 1000.0, sales + 3000.0))
        self.assertEqual(row.dso, round((receivable + 1000.0) / (sales + 3000.0) * 90, 1))

    def test_demo_company_shows_every_figure(self):
        company = self.env.ref("service_management.res_company_rhone_demo", raise_if_not_found=False)
        if not company:
            self.skipTest("installed without demo data")
        domain = [("company_id", "=", company.id)]

        def total(model, aggregates, extra=()):
            return self.env[model]._read_group(domain + list(extra), [], aggregates)[0]

        figures = {
            "MRR, ARR": total("service.kpi.contract", ["mrr_company:sum", "arr_company:sum"]),
            "renewals": total("service.kpi.contract", ["renewal_amount_company:sum"], [("renewal_due", "=", True)]),
            "churn": total("service.kpi.contract", ["churned_mrr_company:sum"], [("churn_kind", "!=", False)]),
            "backlog": total("service.kpi.intervention", ["open_count:sum"]),
            "quality": total(
                "service.kpi.intervention",
                ["sla_on_time:avg", "sla_late_now:sum", "first_time_fix:avg", "resolve_hours:avg"],
            ),
            "done, not billed": total("service.kpi.intervention", ["unbilled_count:sum", "unbilled_hours:sum"]),
            "utilisation": total(
                "service.kpi.technician", ["planned_hours:sum", "working_hours:sum", "utilisation:avg"]
            ),
            "collected on site": total("service.kpi.technician", ["collected_amount:sum"]),
            "DSO": total("service.kpi.receivable", ["dso:max", "receivable:sum"]),
            "overdue": total("service.receivable.aging", ["amount_residual:sum"], [("days_late", ">", 0)]),
            "leaves": total("service.kpi.technician", ["leave_hours:sum"]),
        }
        for name, values in figures.items():
            self.assertTrue(all(values), f"the demo shows no {name}: {values}")
        grades = self.env["res.partner"]._read_group([("payer_grade", "!=", False)], ["payer_grade"], ["__count"])
        self.assertGreaterEqual(len(grades), 2)
        # the forecast: every source the demo feeds, and the running balance
        Line = self.env["service.forecast.line"]
        sources = {source for (source,) in Line._read_group(domain, ["source"], [])}
        self.assertTrue(
            {"opening", "invoice", "contract", "intervention_done", "intervention_planned", "bill", "manual"} <= sources
        )

    # Access and the manager's home -------------------------------------------------------------------
    def test_cfo_figures_are_for_managers_and_accountants_only(self):
        self._contract(1200.0, "yearly")
        for model in ("service.kpi.contract", "service.kpi.intervention", "service.kpi.technician",
                      "service.kpi.receivable", "service.receivable.aging"):  # fmt: skip
            self.env[model].with_user(self.manager).search_count([])
            self.env[model].with_user(self.accountant).search_count([])
            for user in (self.technician, self.dispatcher):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search_count([])

    def test_office_users_open_the_service_app_on_their_queue(self):
        home = self.env.ref("service_management.service_action_home")
        clerk = new_test_user(self.env, login="kpi_clerk", groups="base.group_user,account.group_account_invoice")
        controller = new_test_user(
            self.env,
            login="kpi_controller",
            groups="base.group_user,service_management.group_service_credit_controller",
        )
        review = self.env.ref("service_management.account_move_action_service_review")
        runs = self.env.ref("service_management.service_dunning_run_action")
        self.assertEqual(home.with_user(clerk).run()["id"], review.id)
        self.assertEqual(home.with_user(controller).run()["id"], runs.id)

    def test_managers_land_on_the_dashboard_and_technicians_on_my_day(self):
        dashboard = self.env.ref("service_management.spreadsheet_dashboard_service")
        home = self.env.ref("service_management.service_action_home")
        self.assertEqual(self.env.ref("service_management.service_menu_root").action, home)
        action = home.with_user(self.manager).run()
        self.assertEqual(
            (action["tag"], action["params"]), ("action_spreadsheet_dashboard", {"dashboard_id": dashboard.id})
        )
        my_day = self.env.ref("service_management.service_intervention_action_my_day")
        board = self.env.ref("service_management.service_dispatch_board_action")
        self.assertEqual(self.technician._get_service_app_action()["id"], my_day.id)
        self.assertEqual(self.dispatcher._get_service_app_action()["id"], board.id)
        # the dashboard is published for managers and accountants, not for technicians
        self.assertTrue(dashboard.with_user(self.manager).has_access("read"))
        self.assertTrue(dashboard.with_user(self.accountant).has_access("read"))
        self.assertFalse(dashboard.with_user(self.technician).has_access("read"))
