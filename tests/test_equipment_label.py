from odoo.tests import tagged

from .common import PdfReportCase, ServiceCommon


@tagged("post_install", "-at_install")
class TestEquipmentLabel(ServiceCommon):
    def test_label_html_holds_a_qr_code_of_the_form_url(self):
        lift = self._create_equipment(serial_no="EL-2020-042")
        url = lift._get_label_url()
        self.assertTrue(url.endswith(f"/service/equipment/{lift.id}"))
        report = self.env.ref("service_management.action_report_service_equipment_label")
        html = report._render_qweb_html(report.report_name, lift.ids)[0].decode()
        self.assertIn("EL-2020-042", html)
        self.assertIn("data:image/png;base64,", html, "the QR code is embedded as an image")
        self.assertIn(self.site_tilleuls.name, html)

    def test_print_label_action(self):
        lift = self._create_equipment()
        action = lift.with_user(self.technician).action_print_label()
        self.assertEqual(action["report_name"], "service_management.report_service_equipment_label")


@tagged("post_install", "-at_install")
class TestEquipmentLabelPdf(PdfReportCase):
    def test_label_pdf_renders_one_page_per_equipment(self):
        customer = self.env["res.partner"].create({"name": "Syndic Label Gestion", "is_company": True})
        lifts = self.env["service.equipment"].create(
            [
                {"name": "Lift A", "serial_no": "PDF-1", "partner_id": customer.id},
                {"name": "Lift B", "serial_no": "PDF-2", "partner_id": customer.id},
            ]
        )
        self.assertEqual(self._render_pdf_pages("service_management.action_report_service_equipment_label", lifts), 2)
