from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PdfReportCase, ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceContract(ServiceCommon):
    def test_reference_dates_and_amounts(self):
        contract = self._create_contract(recurring_rule_type="quarterly")
        self.assertTrue(contract.name.startswith("CT/2025/"))
        self.assertEqual(contract.date_end, date(2025, 12, 31))
        self.assertEqual(contract.notice_deadline, date(2025, 10, 2))
        self.assertEqual(contract.partner_invoice_id, self.customer)
        self.assertEqual(contract.currency_id, self.company.currency_id)
        self.assertEqual(contract.amount_untaxed, 1000.0)
        self.assertEqual(contract.recurring_amount_yearly, 4000.0)
        self.assertEqual(contract.recurring_amount_monthly, 333.33)
        other = self._create_contract(company_id=self.company_b.id, partner_id=self.other_customer.id)
        self.assertTrue(other.name.endswith("00001"), "each company numbers its own contracts")

    def test_price_from_catalog_unless_set(self):
        contract = self._create_contract(
            lines=[fields.Command.create({"product_id": self.service_product.id, "quantity": 2})]
        )
        self.assertEqual(contract.line_ids.price_unit, 1200.0)
        self.assertEqual(contract.amount_untaxed, 2400.0)

    def test_taxes_mapped_by_the_fiscal_position(self):
        Tax = self.env["account.tax"]
        tax_20, tax_0 = Tax.create(
            [
                {"name": "VAT 20 (test)", "amount": 20, "type_tax_use": "sale"},
                {"name": "VAT 0 export (test)", "amount": 0, "type_tax_use": "sale"},
            ]
        )
        export = self.env["account.fiscal.position"].create(
            {
                "name": "Export (test)",
                "tax_ids": [fields.Command.create({"tax_src_id": tax_20.id, "tax_dest_id": tax_0.id})],
            }
        )
        self.service_product.taxes_id = tax_20
        self.customer.property_account_position_id = export
        contract = self._create_contract()
        self.assertEqual(contract.fiscal_position_id, export)
        self.assertEqual(contract.line_ids.tax_ids, tax_0)
        plain = self._create_contract(partner_id=self.other_customer.id)
        self.assertEqual(plain.line_ids.tax_ids, tax_20)

    def test_states_change_through_buttons_only(self):
        contract = self._create_contract()
        with self.assertRaisesMessage(UserError, "through its buttons only"):
            contract.with_user(self.manager).write({"state": "running"})
        self.assertEqual(contract.state, "draft")
        contract.action_start()
        self.assertEqual(contract.state, "running")
        with self.assertRaisesMessage(UserError, "Only a draft contract can be cancelled"):
            contract.action_cancel()
        with self.assertRaisesMessage(UserError, "Only draft or cancelled contracts can be deleted"):
            contract.unlink()
        empty = self._create_contract(lines=[])
        with self.assertRaisesMessage(UserError, "Add at least one line"):
            empty.action_start()
        empty.action_cancel()
        empty.action_draft()
        self.assertEqual(empty.state, "draft")

    def test_bad_input_refused(self):
        with self.assertRaisesMessage(ValidationError, "cannot end .* before it starts"):
            self._create_contract(duration_value=0, date_end=date(2024, 12, 31))
        with self.assertRaisesMessage(ValidationError, "not an address of the customer"):
            self._create_contract(site_ids=[fields.Command.set(self.other_customer.ids)])
        with self.assertRaisesMessage(ValidationError, "add up to 1"):
            self._create_contract(
                indexation_method="index",
                index_id=self.env.ref("service_management.service_index_syntec").id,
                index_base_value=100,
                index_fixed_part=0.2,
                index_variable_part=0.9,
            )
        with self.assertRaisesMessage(ValidationError, "preferred months"):
            self._create_contract(
                lines=[
                    fields.Command.create(
                        {"product_id": self.service_product.id, "visits_per_year": 2, "preferred_months": "3,9,11"}
                    )
                ]
            )
        with self.assertRaisesMessage(ValidationError, "numbers from 1 to 12"):
            self._create_contract(
                lines=[
                    fields.Command.create(
                        {"product_id": self.service_product.id, "visits_per_year": 1, "preferred_months": "13"}
                    )
                ]
            )
        self.assertFalse(self.env["service.contract"].search([("partner_id", "=", self.customer.id)]))

    def test_termination_mid_period(self):
        contract = self._create_contract()
        contract.action_start()
        reason = self.env.ref("service_management.termination_reason_competitor")
        with self.assertRaisesMessage(UserError, "before it starts"):
            contract.terminate(reason, date(2024, 12, 1))
        wizard = self.env["service.contract.terminate.wizard"].create(
            {"contract_id": contract.id, "reason_id": reason.id, "date": date(2025, 5, 15), "note": "Lost"}
        )
        wizard.action_terminate()
        self.assertEqual(contract.state, "terminated")
        self.assertEqual((contract.termination_date, contract.date_end), (date(2025, 5, 15), date(2025, 5, 15)))
        self.assertEqual(contract.termination_reason_id, reason)
        with self.assertRaisesMessage(UserError, "Only a running contract can be terminated"):
            contract.terminate(reason, date(2025, 6, 1))

    def test_sla_by_priority(self):
        contract = self._create_contract(
            sla_response_hours=8,
            sla_resolution_hours=48,
            sla_ids=[fields.Command.create({"priority": "3", "response_hours": 2, "resolution_hours": 8})],
        )
        self.assertEqual(contract._get_sla_hours("3"), (2, 8))
        self.assertEqual(contract._get_sla_hours("1"), (8, 48))
        response, resolution = contract._get_sla_deadlines("3", fields.Datetime.to_datetime("2025-03-03 10:00:00"))
        self.assertEqual(str(response), "2025-03-03 12:00:00")
        self.assertEqual(str(resolution), "2025-03-03 18:00:00")

    def test_template_fills_the_contract(self):
        template = self.env["service.contract.template"].create(
            {
                "name": "Lift - Full Cover",
                "billing_rule": "arrears",
                "recurring_rule_type": "quarterly",
                "duration_value": 3,
                "notice_period_days": 60,
                "line_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.service_product.id,
                            "quantity": 2,
                            "visits_per_year": 2,
                            "preferred_months": "4,10",
                        }
                    )
                ],
            }
        )
        contract = self.env["service.contract"].new({"partner_id": self.customer.id, "template_id": template.id})
        contract._onchange_template_id()
        self.assertEqual(contract.billing_rule, "arrears")
        self.assertEqual(contract.recurring_rule_type, "quarterly")
        self.assertEqual(contract.notice_period_days, 60)
        self.assertEqual(len(contract.line_ids), 1)
        self.assertEqual(contract.line_ids.quantity, 2)
        self.assertEqual(contract.line_ids._get_preferred_months(), [4, 10])

    def test_customer_and_equipment_smart_buttons(self):
        lift = self._create_equipment()
        contract = self._create_contract(
            lines=[
                fields.Command.create(
                    {
                        "product_id": self.service_product.id,
                        "price_unit": 600.0,
                        "equipment_ids": [fields.Command.set(lift.ids)],
                    }
                )
            ]
        )
        contract.action_start()
        self.assertEqual(lift.contract_ids, contract)
        self.assertEqual(self.customer.service_contract_count, 1)
        self.assertEqual(self.site_tilleuls.service_contract_count, 1)
        self.assertEqual(self.customer.service_recurring_amount, 600.0)
        self.assertEqual(self.env["service.contract"].search([("equipment_ids", "in", lift.ids)]), contract)

    @freeze_time("2025-06-01")
    def test_contract_pdf_html_renders(self):
        contract = self._create_contract(title="Lift maintenance")
        report = self.env.ref("service_management.action_report_service_contract")
        html = report._render_qweb_html(report.report_name, contract.ids)[0].decode()
        self.assertIn(contract.name, html)
        self.assertIn("Lift Maintenance", html)


@tagged("post_install", "-at_install")
class TestServiceContractPdf(PdfReportCase):
    def test_contract_pdf_renders(self):
        customer = self.env["res.partner"].create({"name": "Syndic PDF Gestion", "is_company": True})
        product = self.env["product.product"].create({"name": "PDF Lift Service", "type": "service"})
        contracts = self.env["service.contract"].create(
            [
                {
                    "partner_id": customer.id,
                    "title": title,
                    "line_ids": [fields.Command.create({"product_id": product.id, "price_unit": 900.0})],
                }
                for title in ("Lifts", "Boilers")
            ]
        )
        pages = self._render_pdf_pages("service_management.action_report_service_contract", contracts)
        self.assertGreaterEqual(pages, 2, "each contract starts on a new page")
