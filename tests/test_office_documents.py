import io
import re
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import config
from odoo.tools.pdf import PdfFileReader

from .billing_common import BillingCommon
from .common import PdfReportCase
from .dunning_common import DunningCommon

CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def pdf_text(pdf):
    """The text of each page of ``pdf``, spaces collapsed."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_embedded_files(pdf):
    """``{name: bytes}`` of the files embedded in ``pdf`` (its EmbeddedFiles name tree)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    names = reader.trailer["/Root"].get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    files = {}
    for index in range(0, len(names), 2):
        spec = names[index + 1].get_object()
        files[str(names[index])] = spec["/EF"]["/F"].get_object().get_data()
    return files


class OfficePdfCase(PdfReportCase):
    def _render_text(self, report_xmlid, records):
        report = self.env.ref(report_xmlid)
        pdf, report_format = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertEqual(report_format, "pdf")
        return pdf_text(pdf)

    def _load_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)


@tagged("post_install", "-at_install")
class TestInterventionReportPdf(OfficePdfCase, BillingCommon):
    def test_report_separates_complaint_and_work_and_prints_covered_parts_at_zero(self):
        equipment = self._create_equipment(serial_no="SN-4242-XY")
        part_product = self.env["product.product"].create({"name": "Door contact", "list_price": 35.0})
        intervention = self._create_done_intervention(
            equipment_id=equipment.id,
            site_id=self.site_tilleuls.id,
            description="<p>The lift stops between floors.</p>",
        )
        intervention.write(
            {
                "work_done": "<p>Door contact of the 3rd floor replaced.</p>",
                "part_ids": [
                    Command.create({"product_id": part_product.id, "quantity": 2, "price_unit": 35.0}),
                ],
            }
        )
        report = "service_management.action_report_service_intervention"
        text = " ".join(self._render_text(report, intervention))
        self.assertEqual(text.count("SN-4242-XY"), 1, "the serial number is printed once")
        self.assertIn("Customer's Complaint The lift stops between floors.", text)
        self.assertIn("Work Done Door contact of the 3rd floor replaced.", text)
        self.assertNotIn("Contract", text, "no empty contract label without a contract")
        self.assertIn("No contract or warranty covers this work", text)
        self.assertRegex(text, r"Door contact 2\.00 Units 35\.00 \S+ 70\.00")
        # under a contract that includes the parts, they are printed at zero, marked covered
        contract = self._create_billing_contract(
            lines=[
                Command.create(
                    {
                        "product_id": self.maintenance.id,
                        "price_unit": 100.0,
                        "equipment_ids": [Command.set(equipment.ids)],
                        "cover_parts": "included",
                    }
                )
            ]
        )
        intervention.contract_id = contract
        self.assertTrue(intervention.part_ids.covered)
        text = " ".join(self._render_text(report, intervention))
        self.assertIn(f"Contract {contract.name}", text)
        self.assertRegex(text, r"Door contact 2\.00 Units (\S+ )?0\.00( \S+)? (\S+ )?0\.00( \S+)? covered")
        self.assertNotIn("70.00", text, "a covered part shows no price")


    def test_each_report_in_its_customers_language_whoever_prints_it(self):
        self._load_french()
        french, english = self.env["res.partner"].create(
            [{"name": "Syndic des Terreaux", "lang": "fr_FR"}, {"name": "Harbour Offices Ltd", "lang": "en_US"}]
        )
        interventions = self.env["service.intervention"].create(
            [
                {"partner_id": partner.id, "user_id": self.technician.id, "description": "<p>Porte bloquée</p>"}
                for partner in (french, english)
            ]
        )
        interventions.action_start()
        interventions.with_user(self.technician).action_done()
        report = self.env.ref("service_management.action_report_service_intervention").with_user(self.dispatcher)
        for printer_lang in ("en_US", "fr_FR"):
            with self.subTest(printed_by=printer_lang):
                pdf, __ = report.with_context(lang=printer_lang, force_report_rendering=True)._render_qweb_pdf(
                    report.report_name, interventions.ids
                )
                pages = pdf_text(pdf)
                self.assertEqual(len(pages), 2)
                self.assertIn("Rapport d'intervention", pages[0])
                self.assertIn("Demande du client", pages[0])
                self.assertNotIn("Intervention Report", pages[0])
                self.assertIn("Intervention Report", pages[1])
                self.assertIn("Customer's Complaint", pages[1])
                self.assertNotIn("Rapport d'intervention", pages[1])
        # the background job that attaches and e-mails them does the same
        contents = interventions.with_context(force_report_rendering=True)._render_report_pdfs()
        french_text, english_text = (" ".join(pdf_text(contents[i])) for i in interventions)
        self.assertIn("Rapport d'intervention", french_text)
        self.assertNotIn("Intervention Report", french_text)
        self.assertIn("Intervention Report", english_text)
        self.assertNotIn("Rapport d'intervention", english_text)


@tagged("post_install", "-at_install")
class TestContractPdf(OfficePdfCase, BillingCommon):
    def _contract(self, **vals):
        product = self.env["product.product"].create(
            {"name": "Full lift maintenance", "default_code": "MNT-LIFT", "type": "service", "list_price": 90.0}
        )
        values = {
            "auto_renew": True,
            "renewal_value": 1,
            "renewal_unit": "yearly",
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "lines": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 90.0})],
        }
        values.update(vals)
        return self._create_billing_contract(**values)

    def test_contract_words_its_durations_in_english(self):
        contract = self._contract(duration_value=1, duration_unit="yearly")
        text = " ".join(self._render_text("service_management.action_report_service_contract", contract))
        self.assertIn("Tacit renewal for 1 year", text)
        self.assertNotIn("1 Years", text)
        self.assertIn("every month", text)
        self.assertNotIn("every 1", text)
        self.assertEqual(text.count("[MNT-LIFT]"), 1, "the product code is printed once")

    def test_contract_words_its_durations_in_french(self):
        self._load_french()
        self.customer.lang = "fr_FR"
        contract = self._contract(
            duration_value=5, duration_unit="yearly", recurring_rule_type="quarterly", recurring_interval=2
        )
        text = " ".join(self._render_text("service_management.action_report_service_contract", contract))
        self.assertIn("5 ans", text)
        self.assertIn("Tacite reconduction pour 1 an", text)
        self.assertIn("tous les 2 trimestres", text)
        contract.write({"recurring_rule_type": "monthly", "recurring_interval": 1})
        text = " ".join(self._render_text("service_management.action_report_service_contract", contract))
        self.assertIn("tous les mois", text)
        self.assertNotIn("Annees", text)

    def test_customer_invoicing_and_site_addresses_side_by_side(self):
        contract = self._contract(site_ids=[Command.set(self.site_tilleuls.ids)])
        headings = self._heading_positions(contract, ("Customer", "Invoice Address", "Site"))
        self.assertEqual(len({y for __, y in headings}), 1, f"the three blocks start on one line: {headings}")
        self.assertEqual([x for x, __ in headings], sorted({x for x, __ in headings}), "left to right")
        self._load_french()
        self.customer.lang = "fr_FR"
        headings = self._heading_positions(contract, ("Client", "Adresse de facturation", "Site"))
        self.assertEqual(len({y for __, y in headings}), 1, f"the three blocks start on one line: {headings}")

    def _heading_positions(self, contract, headings):
        """``[(x, y)]`` on the first page of the contract's PDF of each of ``headings``, in their order."""
        report = self.env.ref("service_management.action_report_service_contract")
        pdf, __ = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, contract.ids)
        found = {}

        def visit(text, cm, tm, _font, _size):
            found.setdefault(
                text.strip(),
                (round(tm[4] * cm[0] + tm[5] * cm[2] + cm[4]), round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])),
            )

        PdfFileReader(io.BytesIO(pdf), strict=False).pages[0].extract_text(visitor_text=visit)
        self.assertTrue(set(headings) <= set(found), f"{headings} printed as headings")
        return [found[heading] for heading in headings]

    def test_service_levels_heading_stays_with_its_table(self):
        contract = self._contract(sla_response_hours=4.0, sla_resolution_hours=24.0)
        html = (
            self.env.ref("service_management.action_report_service_contract")
            ._render_qweb_html("service_management.report_service_contract", contract.ids)[0]
            .decode()
        )
        block = re.search(r'<div style="page-break-inside: avoid;">\s*<h5[^>]*>Service Levels</h5>', html)
        self.assertTrue(block, "the heading and its table never split over two pages")

    def _service_levels_text(self, contract):
        html = (
            self.env.ref("service_management.action_report_service_contract")
            ._render_qweb_html("service_management.report_service_contract", contract.ids)[0]
            .decode()
        )
        table = re.search(r"Service Levels</h5>.*?</table>|Niveaux de service</h5>.*?</table>", html, re.S)
        self.assertTrue(table, "the contract prints its service levels")
        return " ".join(re.sub(r"<[^>]+>", " ", table.group(0)).split())

    def test_service_levels_read_as_durations(self):
        contract = self._contract(sla_response_hours=8.0, sla_resolution_hours=48.0)
        self.env["service.contract.sla"].create(
            {"contract_id": contract.id, "priority": "3", "response_hours": 1.5, "resolution_hours": 36.0}
        )
        text = self._service_levels_text(contract)
        self.assertIn("Default 8 hours 2 days", text)
        self.assertIn("1 hour 30 minutes 1 day 12 hours", text)
        self.assertNotIn("08:00", text)
        self.assertNotIn("48:00", text)
        self._load_french()
        self.customer.lang = "fr_FR"
        text = self._service_levels_text(contract)
        self.assertIn("8 heures 2 jours", text)
        self.assertIn("1 heure 30 minutes 1 jour 12 heures", text)
        self.assertNotIn("48:00", text)


@tagged("post_install", "-at_install")
class TestFacturXPdf(OfficePdfCase, BillingCommon):
    """The invoice Post and Send e-mails is a PDF carrying its Factur-X XML, with the invoice's totals."""

    def test_sent_invoice_pdf_embeds_valid_facturx(self):
        france = self.env.ref("base.fr")
        self.customer.write(
            {
                "country_id": france.id,
                "street": "12 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "email": "syndic@example.fr",
            }
        )
        self.company.partner_id.write(
            {"country_id": france.id, "street": "27 rue Garibaldi", "zip": "69003", "city": "Lyon"}
        )
        self.company.write({"phone": "+33 4 78 62 40 00", "email": "contact@example.fr", "vat": "FR19812345676"})
        self.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630004000031234567890143",
                "partner_id": self.company.partner_id.id,
                "company_id": self.company.id,
                "allow_out_payment": True,
            }
        )
        today = fields.Date.context_today(self.env.user)
        contract = self._create_billing_contract(start=today.replace(day=1), price=250.0)
        self._bill(contract, today)
        invoice = contract.invoice_ids
        clerk = new_test_user(
            self.env,
            login="clerk_pdf",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        action = invoice.with_user(clerk).action_service_post_send()
        self.assertEqual(action["params"]["type"], "success")
        # Odoo's sending job, as the server runs it: outside test mode, Odoo embeds the XML in the PDF
        with patch.dict(config.options, {"test_enable": False}):
            self.env["account.move"].with_context(force_report_rendering=True)._cron_account_move_send()
        self.assertFalse(invoice.sending_data, "sent")
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        files = pdf_embedded_files(pdf)
        self.assertIn("factur-x.xml", files)
        tree = etree.fromstring(files["factur-x.xml"])
        self.assertEqual(tree.tag, f"{{{CII_NS['rsm']}}}CrossIndustryInvoice")

        def value(path):
            return tree.xpath(path, namespaces=CII_NS)[0].text

        self.assertEqual(value("//rsm:ExchangedDocument/ram:ID"), invoice.name)
        self.assertAlmostEqual(float(value("//ram:TaxBasisTotalAmount")), invoice.amount_untaxed)
        self.assertAlmostEqual(float(value("//ram:GrandTotalAmount")), invoice.amount_total)
        self.assertAlmostEqual(float(value("//ram:DuePayableAmount")), invoice.amount_residual)
        self.assertEqual(value("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID"), "FR19812345676")
        # Odoo writes the IBAN as a proprietary identifier
        self.assertEqual(value("//ram:PayeePartyCreditorFinancialAccount/*"), "FR7630004000031234567890143")
        self.assertIn(invoice.name, " ".join(pdf_text(pdf)), "the PDF's text is readable")


@tagged("post_install", "-at_install")
class TestDunningLetterPdf(OfficePdfCase, DunningCommon):
    """A letter a customer can act on: who writes, to whom, how to pay, and who takes over after."""

    def setUp(self):
        super().setUp()
        self.agency.write({"street": "8 quai Jules Courmont", "zip": "69002", "city": "Lyon"})
        self.level_agency.write({"handoff_agency": True, "agency_partner_id": self.agency.id, "print_letter": True})
        self.bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "FR1420041010050500013M02606",
                "partner_id": self.company.partner_id.id,
                "company_id": self.company.id,
                "bank_id": self.env["res.bank"].create({"name": "Banque Test", "bic": "BTESFRPPXXX"}).id,
            }
        )
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company), ("type", "=", "bank")], limit=1
        )
        journal.bank_account_id = self.bank

    def test_letter_has_salutation_bank_details_reference_and_agency(self):
        invoice = self._invoice(self.customer, 800.0, self.day - timedelta(days=100))
        run = self._run(self.day)
        line = self._line(run, self.customer)
        line.level_id = self.level_agency
        self.assertIn(invoice.name, line.with_user(self.controller).invoice_summary)
        text = " ".join(self._render_text("service_management.action_report_service_dunning_letter", line))
        self.assertIn("Dear Sir or Madam,", text)
        self.assertIn("IBAN FR1420041010050500013M02606", text)
        self.assertIn("BTESFRPPXXX", text)
        self.assertIn(invoice.payment_reference or invoice.name, text)
        self.assertIn("Agence de Recouvrement Test", text)
        self.assertIn("8 quai Jules Courmont", text)
        self.assertIn("Yours faithfully,", text)
        # below the agency level, no agency is named
        line.level_id = self.level_reminder
        text = " ".join(self._render_text("service_management.action_report_service_dunning_letter", line))
        self.assertNotIn("Agence de Recouvrement Test", text)

    def test_letter_preview_and_run_title_in_the_users_format(self):
        self._invoice(self.customer, 800.0, self.day - timedelta(days=30))
        run = self._run(self.day).with_user(self.controller)
        self.assertEqual(run.with_context(lang="en_US").display_name, "Dunning of 06/30/2025")
        self._load_french()
        self.assertEqual(run.with_context(lang="fr_FR").display_name, "Relance du 30/06/2025")
        action = self._line(run, self.customer).action_preview_letter()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_type"], "qweb-html", "opens in the browser, not as a download")

    def test_french_customer_gets_a_french_letter(self):
        self._load_french()
        self.customer.lang = "fr_FR"
        self._invoice(self.customer, 800.0, self.day - timedelta(days=30))
        line = self._line(self._run(self.day), self.customer)
        text = " ".join(self._render_text("service_management.action_report_service_dunning_letter", line))
        self.assertIn("Madame, Monsieur,", text)
        self.assertIn("Veuillez agréer", text)
        self.assertIn("30/06/2025", text)
        self.assertNotIn("2025-06-30", text)


@tagged("post_install", "-at_install")
class TestCoverageReasonLanguage(BillingCommon):
    def test_coverage_reason_follows_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        intervention = self._create_done_intervention()
        self.assertEqual(intervention.coverage_reason_code, "none")
        self.assertEqual(
            intervention.with_context(lang="en_US").coverage_reason, "No contract or warranty covers this work"
        )
        self.assertEqual(
            intervention.with_context(lang="fr_FR").coverage_reason,
            "Aucun contrat ni aucune garantie ne couvre ce travail",
        )
        contract = self._create_billing_contract()
        intervention.contract_id = contract
        self.assertEqual(intervention.coverage_reason_code, "contract_labour")
        self.assertEqual(
            intervention.with_context(lang="fr_FR").coverage_reason, f"Main-d'œuvre incluse dans {contract.name}"
        )
        self.assertEqual(intervention.with_context(lang="en_US").coverage_reason, f"Labour included in {contract.name}")

    def test_french_buttons_are_verbs_and_dates_are_nouns(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        views = self.env["service.intervention"].with_context(lang="fr_FR").get_views([(False, "form")])
        self.assertIn('string="Démarrer"', views["views"]["form"]["arch"])
        fields_fr = self.env["service.equipment.warranty"].with_context(lang="fr_FR").fields_get(["date_start"])
        self.assertEqual(fields_fr["date_start"]["string"], "Date de début")
