import base64
import io
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import PdfReportCase
from .dunning_common import DunningCommon

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl ships with Odoo's dependencies here
    openpyxl = None


@tagged("post_install", "-at_install")
class TestDunningPdf(PdfReportCase):
    def setUp(self):
        super().setUp()
        self.company = self.env.ref("service_management.res_company_rhone_demo")
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=[self.company.id]))
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        product = self.env["product.product"].create(
            {"name": "Dépannage", "type": "service", "taxes_id": [Command.clear()]}
        )
        self.french, self.english = self.env["res.partner"].create(
            [
                {"name": "Syndic Saint-Jean", "is_company": True, "lang": "fr_FR", "email": "sj@example.fr"},
                {"name": "Lyon Property Ltd", "is_company": True, "lang": "en_US", "email": "lp@example.com"},
            ]
        )
        today = fields.Date.context_today(self.env.user)
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=60),
                    "invoice_date_due": today - timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 1234.5, "tax_ids": [Command.clear()]})
                    ],
                }
                for partner in (self.french, self.english)
            ]
        )
        moves.action_post()

    def _pdf_pages_and_html(self, report_xmlid, records):
        """Pages of the real PDF, and the text of its HTML source (wkhtmltopdf's PDF text is not extractable)."""
        report = self.env.ref(report_xmlid)
        pdf, _format = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        pages = len(PdfFileReader(io.BytesIO(pdf), strict=False).pages)
        html = report._render_qweb_html(report.report_name, records.ids)[0].decode()
        return pages, " ".join(html.split())

    def test_statement_with_amount_in_words_in_french_and_english(self):
        self.assertEqual(self.french._get_dunning_statement_balance(), 1234.5)
        words_fr = self.french._get_amount_in_words(1234.5)
        words_en = self.english._get_amount_in_words(1234.5)
        self.assertIn("Mille Deux Cent Trente-Quatre", words_fr)
        self.assertIn("One Thousand, Two Hundred And Thirty-Four", words_en)
        pages, squashed = self._pdf_pages_and_html(
            "service_management.action_report_service_customer_statement", self.french | self.english
        )
        self.assertEqual(pages, 2, "one page per customer, in one PDF")
        self.assertIn("Relevé de compte", squashed)
        self.assertIn("Mille Deux Cent Trente-Quatre", squashed)
        self.assertIn("Statement of Account", squashed)
        self.assertIn("One Thousand", squashed)

    def test_statement_by_email_in_batch(self):
        partners = self.french | self.english
        action = self.env.ref("service_management.res_partner_action_send_dunning_statement")
        action.with_context(active_model="res.partner", active_ids=partners.ids).run()
        for partner in partners:
            message = partner.message_ids[0]
            self.assertEqual(len(message.attachment_ids), 1, "the statement PDF is attached")
            mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertTrue(mail, "queued in the mail queue")
            self.assertIn(partner, mail.recipient_ids)

    def test_letters_of_all_customers_in_one_pdf(self):
        policy = self.env["service.dunning.policy"].create(
            {
                "name": "PDF policy",
                "company_id": self.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Letter",
                            "days": 1,
                            "send_email": False,
                            "print_letter": True,
                            "apply_indemnity": True,
                        }
                    )
                ],
            }
        )
        (self.french | self.english).dunning_policy_id = policy
        run = self.env["service.dunning.run"].create({"company_id": self.company.id, "date": "2031-01-15"})
        run.action_compute()
        lines = run.line_ids.filtered(lambda line: line.partner_id in (self.french | self.english))
        self.assertEqual(len(lines), 2)
        pages, squashed = self._pdf_pages_and_html("service_management.action_report_service_dunning_letter", lines)
        self.assertEqual(pages, 2)
        self.assertIn("L441-10", squashed)
        self.assertIn("indemnité forfaitaire", squashed, "the French customer's letter is in French")


@tagged("post_install", "-at_install")
class TestAgingReport(DunningCommon):
    def test_aging_buckets_and_xlsx_export(self):
        today = fields.Date.context_today(self.env.user)
        self._invoice(self.customer, 100.0, today + timedelta(days=5))
        self._invoice(self.customer, 200.0, today - timedelta(days=10))
        partly = self._invoice(self.customer, 400.0, today - timedelta(days=45))
        self._pay(partly, 100.0, today)
        self._invoice(self.other_customer, 800.0, today - timedelta(days=75))
        self._invoice(self.other_customer, 1600.0, today - timedelta(days=120))
        Aging = self.env["service.receivable.aging"]
        groups = Aging._read_group(
            [("partner_id", "in", (self.customer | self.other_customer).ids)], ["age_bucket"], ["amount_residual:sum"]
        )
        self.assertEqual(
            dict(groups), {"not_due": 100.0, "0_30": 200.0, "31_60": 300.0, "61_90": 800.0, "90_plus": 1600.0}
        )
        self.assertFalse(Aging.with_user(self.controller).search([("company_id", "!=", self.company.id)]))

        wizard = self.env["service.aging.export.wizard"].with_user(self.controller).create({})
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        content = base64.b64decode(wizard.file_data)
        if openpyxl is None:
            self.skipTest("openpyxl is not installed: the XLSX cannot be read back")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book.sheetnames), 1, "one sheet per company")
        sheet = book[book.sheetnames[0]]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Customer")
        by_name = {row[0]: row[1:] for row in rows[1:]}
        self.assertEqual(by_name[self.customer.display_name], (100.0, 200.0, 300.0, 0.0, 0.0, 600.0))
        self.assertEqual(by_name[self.other_customer.display_name], (0.0, 0.0, 0.0, 800.0, 1600.0, 2400.0))
        totals = rows[-1]
        self.assertEqual(totals[0], "Total")
        expected_total = sum(Aging.search([("company_id", "=", self.company.id)]).mapped("amount_residual"))
        self.assertAlmostEqual(totals[-1], expected_total, places=2)
        self.assertAlmostEqual(totals[-1], sum(row[-1] for row in rows[1:-1]), places=2)
