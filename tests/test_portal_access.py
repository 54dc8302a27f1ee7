import secrets

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PdfReportCase
from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalPages(PdfReportCase, PortalCommon):
    """A portal user browses the pages of their own company and never another customer's."""

    def _get(self, url, **kwargs):
        return self.url_open(url, allow_redirects=False, **kwargs)

    def _assert_refused(self, url):
        response = self._get(url)
        self.assertIn(response.status_code, (303, 403, 404), url)
        if response.status_code == 303:
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""), url)
        for secret in ("Pharmacie du Parc", "Monte-charge", "PY-001", "Câble changé"):
            self.assertNotIn(secret, response.text, url)

    def test_home_counts_own_documents(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["service_contract_count", "service_equipment_count", "service_intervention_count"]},
        )
        self.assertEqual(
            counters,
            {"service_contract_count": 1, "service_equipment_count": 1, "service_intervention_count": 1},
        )
        home = self._get("/my/home")
        self.assertEqual(home.status_code, 200)
        for label in ("Service Contracts", "Equipment", "Interventions", "Account Statement"):
            self.assertIn(label, home.text)

    def test_lists_show_only_own_records(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        pages = {
            "/my/contracts": (self.contract_x.name, self.contract_y.name),
            "/my/equipment": ("PX-001", "PY-001"),
            "/my/interventions": (self.intervention_x.name, self.intervention_y.name),
        }
        for url, (own, other) in pages.items():
            response = self._get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(own, response.text, url)
            self.assertNotIn(other, response.text, url)

    def test_search_sort_filter_and_paging(self):
        self._create_equipment(name="Ascenseur Acacias", serial_no="PX-002", site_id=self.site_acacias.id)
        self.authenticate(self.portal_x.login, self.portal_x.login)
        found = self._get("/my/equipment?search=PX-002&search_in=name")
        self.assertIn("Ascenseur Acacias", found.text)
        self.assertNotIn("Ascenseur Tilleuls", found.text)
        by_site = self._get("/my/equipment?search=Acacias&search_in=site&sortby=site")
        self.assertIn("Ascenseur Acacias", by_site.text)
        self.assertNotIn("Ascenseur Tilleuls", by_site.text)
        nothing = self._get("/my/equipment?search=Pharmacie&search_in=site")
        self.assertIn("There is no equipment in your account.", nothing.text)
        done = self._get("/my/interventions?filterby=to_sign&sortby=planned")
        self.assertIn(self.intervention_x.name, done.text)
        # an unknown sort or filter falls back to the default instead of failing
        self.assertEqual(self._get("/my/contracts?sortby=id;drop&filterby=nope").status_code, 200)
        self.assertEqual(self._get("/my/contracts/page/2").status_code, 200)

    def test_detail_pages_show_what_the_customer_needs(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        contract = self._get(f"/my/contracts/{self.contract_x.id}")
        self.assertEqual(contract.status_code, 200)
        for text in (
            "Ascenseur - couverture complète",
            "Résidence Les Tilleuls",
            "Ascenseur Tilleuls",
            "Notice Deadline",
        ):
            self.assertIn(text, contract.text)
        equipment = self._get(f"/my/equipment/{self.lift_x.id}")
        self.assertEqual(equipment.status_code, 200)
        for text in ("PX-001", "Elevatis E-300", self.intervention_x.name, "Request an Intervention"):
            self.assertIn(text, equipment.text)
        intervention = self._get(f"/my/interventions/{self.intervention_x.id}")
        self.assertEqual(intervention.status_code, 200)
        first_name = self.technician.name.split(" ")[0]
        for text in ("Porte palière réglée.", first_name, "Sign the Report"):
            self.assertIn(text, intervention.text)

    def test_pdfs_of_own_documents(self):
        """The links answer the report as a PDF; in test mode Odoo renders the report's HTML in place of the PDF
        (``force_report_rendering``), so the real PDF is checked by rendering the same report and record."""
        self.authenticate(self.portal_x.login, self.portal_x.login)
        for url, report, record, text in (
            (
                f"/my/contracts/{self.contract_x.id}?report_type=pdf&download=1",
                "service_management.action_report_service_contract",
                self.contract_x,
                self.contract_x.name,
            ),
            (
                f"/my/interventions/{self.intervention_x.id}?report_type=pdf&download=1",
                "service_management.action_report_service_intervention",
                self.intervention_x,
                "Porte palière réglée.",
            ),
            (
                "/my/statement",
                "service_management.action_report_service_customer_statement",
                self.customer,
                "Syndic Bellecour Gestion",
            ),
        ):
            response = self._get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(response.headers["Content-Type"], "application/pdf", url)
            self.assertIn(text, response.text, url)
            self.assertNotIn("Pharmacie du Parc", response.text, url)
            self.assertGreaterEqual(self._render_pdf_pages(report, record), 1)
        self.assertIn(
            ".pdf",
            self._get(f"/my/contracts/{self.contract_x.id}?report_type=pdf&download=1").headers["Content-Disposition"],
        )

    def test_other_customer_pages_and_pdfs_are_refused(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        guessed = secrets.token_hex(16)
        for base in (
            f"/my/contracts/{self.contract_y.id}",
            f"/my/equipment/{self.lift_y.id}",
            f"/my/interventions/{self.intervention_y.id}",
        ):
            for query in (
                "",
                "?report_type=pdf",
                "?report_type=html",
                f"?access_token={guessed}",
                f"?report_type=pdf&access_token={guessed}",
                "?access_token=",
            ):
                self._assert_refused(base + query)
        for missing in ("/my/contracts/999999", "/my/equipment/999999", "/my/interventions/999999"):
            self._assert_refused(missing)
        form = self._get(f"/my/interventions/request?equipment_id={self.lift_y.id}")
        self.assertEqual(form.status_code, 200)
        self.assertNotIn("PY-001", form.text)
        self.assertIn("PX-001", form.text)

    def test_signing_another_customers_report_is_refused(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        result = self.make_jsonrpc_request(
            f"/my/interventions/{self.intervention_y.id}/sign",
            {"name": "Claire", "signature": "iVBORw0KGgo=", "access_token": secrets.token_hex(16)},
        )
        self.assertIn("error", result)
        self.assertFalse(self.intervention_y.signature)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in ("/my/contracts", "/my/equipment", "/my/interventions", "/my/statement"):
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"], url)
        self._assert_refused(f"/my/contracts/{self.contract_x.id}")

    def test_a_token_shared_by_the_company_opens_the_document(self):
        """As for Odoo's quotations and invoices, the document's own access token opens it without login."""
        response = self._get(self.intervention_x.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Porte palière réglée.", response.text)

    def test_label_qr_code_opens_the_right_screen(self):
        url = self.lift_x._get_label_url()
        self.authenticate(self.portal_x.login, self.portal_x.login)
        portal = self._get(url)
        self.assertEqual(portal.status_code, 303)
        self.assertTrue(portal.headers["Location"].endswith(f"/my/equipment/{self.lift_x.id}"))
        self.authenticate(self.dispatcher.login, self.dispatcher.login)
        employee = self._get(url)
        self.assertEqual(employee.status_code, 303)
        self.assertIn(
            f"/odoo/action-service_management.service_equipment_action/{self.lift_x.id}", employee.headers["Location"]
        )


@tagged("post_install", "-at_install")
class TestPortalRpc(PortalCommon):
    """Over RPC a portal user reads only their own records of this addon and writes none."""

    def test_portal_user_reads_only_own_records_of_every_model(self):
        own = {
            "service.contract": self.contract_x,
            "service.contract.line": self.contract_x.line_ids,
            "service.equipment": self.lift_x,
            "service.intervention": self.intervention_x,
        }
        other = {
            "service.contract": self.contract_y,
            "service.contract.line": self.contract_y.line_ids,
            "service.contract.sla": self.contract_y.sla_ids,
            "service.equipment": self.lift_y,
            "service.equipment.warranty": self.lift_y.warranty_ids,
            "service.intervention": self.intervention_y,
            "service.intervention.part": self.intervention_y.part_ids,
        }
        readable = set()
        model_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "service_management"), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        models = [
            name for name in self.env["ir.model"].browse(model_ids).mapped("model") if name.startswith("service.")
        ]
        self.assertIn("service.dunning.run", models)
        for name in models:
            Model = self.env[name].with_user(self.portal_x)
            for operation in ("write", "create", "unlink"):
                self.assertFalse(Model.has_access(operation), f"{name} {operation}")
            if not Model.has_access("read"):
                continue
            readable.add(name)
            found = Model.search([])
            if name in other:
                self.assertTrue(other[name], name)
                self.assertFalse(found & other[name], name)
                with self.assertRaises(AccessError, msg=name):
                    other[name].with_user(self.portal_x).read(["display_name"])
            if name in own:
                self.assertEqual(found & own[name], own[name], name)
        self.assertEqual(readable, set(other))

    def test_portal_user_cannot_write_own_records(self):
        for record, vals in (
            (self.lift_x, {"name": "Renamed"}),
            (self.contract_x, {"title": "Renamed"}),
            (self.intervention_x, {"signed_by": "Someone"}),
        ):
            with self.assertRaises(AccessError):
                record.with_user(self.portal_x).write(vals)
        with self.assertRaises(AccessError):
            self.env["service.intervention"].with_user(self.portal_x).create(
                {"partner_id": self.customer.id, "equipment_id": self.lift_x.id}
            )

    def test_payer_grade_is_not_shown_to_the_customer(self):
        self.customer.payer_grade = "bad"
        for record in (self.contract_x, self.intervention_x):
            self.assertEqual(record.with_user(self.dispatcher).partner_payer_grade, "bad")
            self.assertFalse(record.with_user(self.portal_x).read(["partner_payer_grade"])[0]["partner_payer_grade"])

    def test_internal_notes_are_hidden(self):
        self.lift_x.note = "<p>Clé chez le gardien, code 1234</p>"
        with self.assertRaises(AccessError):
            self.lift_x.with_user(self.portal_x).read(["note"])
        self.assertEqual(self.lift_x.with_user(self.portal_x).read(["serial_no"])[0]["serial_no"], "PX-001")


@tagged("post_install", "-at_install")
class TestPortalDemo(PdfReportCase):
    """The demo's portal users (README, "Portal") see their own company's records."""

    def test_demo_portal_users_see_their_own_equipment(self):
        bellecour = self.env.ref("service_management.user_portal_bellecour_demo", raise_if_not_found=False)
        if not bellecour:
            self.skipTest("no demo data in this database")
        dumas = self.env.ref("service_management.user_portal_dumas_demo")
        for user, customer in (
            (bellecour, self.env.ref("service_management.res_partner_gerance_bellecour_demo")),
            (dumas, self.env.ref("service_management.res_partner_cabinet_dumas_demo")),
        ):
            self.assertTrue(user._is_portal())
            equipment = self.env["service.equipment"].with_user(user).search([])
            self.assertTrue(equipment)
            self.assertEqual(equipment.partner_id.commercial_partner_id, customer)
            self.authenticate(user.login, user.login)
            self.assertEqual(self.url_open("/my/equipment").status_code, 200)
