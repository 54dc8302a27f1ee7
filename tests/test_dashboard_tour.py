import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_open
from odoo.tools.translate import code_translations, extract_spreadsheet_terms


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.manager = new_test_user(
            cls.env, login="dashboard_manager", groups="service_management.group_service_manager",
            company_id=company.id, company_ids=[company.id],
        )  # fmt: skip
        cls.technician = new_test_user(
            cls.env, login="dashboard_technician", groups="service_management.group_service_technician",
            company_id=company.id, company_ids=[company.id],
        )  # fmt: skip

    def test_manager_lands_on_the_service_dashboard(self):
        self.start_tour("/odoo", "service_manager_dashboard_tour", login="dashboard_manager")

    def test_technician_lands_on_my_day(self):
        self.start_tour("/odoo", "service_technician_home_tour", login="dashboard_technician")

    def test_every_pivot_of_the_dashboard_reads_its_model(self):
        """Each pivot of the dashboard's spreadsheet is a valid query for a service manager."""
        dashboard = self.env.ref("service_management.spreadsheet_dashboard_service")
        data = json.loads(dashboard.spreadsheet_data)
        self.assertEqual(len(data["pivots"]), 9)
        for pivot in data["pivots"].values():
            model = self.env[pivot["model"]].with_user(self.manager)
            measures = [m["fieldName"] for m in pivot["measures"] if m["fieldName"] != "__count"]
            for name in measures + [r["fieldName"] for r in pivot["rows"] + pivot["columns"]]:
                self.assertIn(name, model._fields, pivot["name"])
            groupby = [r["fieldName"] for r in pivot["rows"] + pivot["columns"]]
            model.read_group(pivot["domain"], measures, groupby, lazy=False)

    def test_every_chart_of_the_dashboard_reads_its_model(self):
        """The charts: cash flows by month and their running balance, MRR, backlog, overdue, churn, grades and
        collections."""
        dashboard = self.env.ref("service_management.spreadsheet_dashboard_service")
        data = json.loads(dashboard.spreadsheet_data)
        charts = [figure["data"] for sheet in data["sheets"] for figure in sheet["figures"] if figure["tag"] == "chart"]
        self.assertEqual(len(charts), 8)
        by_title = {chart["title"]["text"]: chart for chart in charts}
        balance = by_title["Running Cash Balance (Expected)"]
        self.assertEqual((balance["type"], balance["cumulative"]), ("odoo_line", True))
        self.assertEqual(by_title["Cash Flows by Month (Expected)"]["metaData"]["groupBy"], ["date:month", "source"])
        for chart in charts:
            meta = chart["metaData"]
            model = self.env[meta["resModel"]].with_user(self.manager)
            measures = [] if meta["measure"] == "__count" else [meta["measure"]]
            for name in measures + [group.split(":")[0] for group in meta["groupBy"]]:
                self.assertIn(name, model._fields, chart["title"]["text"])
            model.read_group(chart["searchParams"]["domain"], measures, meta["groupBy"], lazy=False)
        # money is totalled in the company's currency, never across currencies
        money = {"amount_company", "mrr_company", "churned_mrr_company", "amount_residual", "collected_amount"}
        self.assertTrue({chart["metaData"]["measure"] for chart in charts} - {"__count", "open_count"} <= money)

    def test_the_dashboard_speaks_french(self):
        """Every title, header and chart title of the dashboard is translated in French, as Odoo extracts them."""
        with file_open("service_management/data/files/service_dashboard.json", "rb") as dashboard_file:
            terms = {term for _line, _func, term, _comments in extract_spreadsheet_terms(dashboard_file, [], [], {})}
        self.assertIn("Running Cash Balance (Expected)", terms)
        self.assertIn("Recurring Revenue", terms)
        french = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("service_management", "fr_FR")["messages"]
        }
        self.assertEqual(sorted(terms - set(french)), [])
        self.assertEqual(french["Running Cash Balance (Expected)"], "Solde de trésorerie cumulé (prévu)")
        # no pivot shows its (untranslatable) name: the titles are cells of their own
        data = json.loads(self.env.ref("service_management.spreadsheet_dashboard_service").spreadsheet_data)
        formulas = [cell["content"] for cell in data["sheets"][0]["cells"].values()]
        pivots = [formula for formula in formulas if formula.startswith("=PIVOT(")]
        self.assertEqual(len(pivots), 9)
        self.assertTrue(all(formula.endswith(",FALSE,FALSE)") for formula in pivots))
