import json

from odoo.tests import HttpCase, new_test_user, tagged


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
