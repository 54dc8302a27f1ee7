from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestBillingClerkScreens(BillingCommon):
    """A billing clerk (Odoo's Invoicing group only) finds the billing queues and what each invoice bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_screens",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _arch(self, user, model, view_type, view_xmlid=None):
        view_id = self.env.ref(view_xmlid).id if view_xmlid else False
        views = self.env[model].with_user(user).get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_office_roles_land_on_their_queue(self):
        review = self.env.ref("service_management.account_move_action_service_review")
        self.assertEqual(self.clerk._get_service_home_action(), review)
        self.assertEqual(
            self.credit_controller._get_service_home_action(),
            self.env.ref("service_management.service_dunning_run_action"),
        )
        self.assertEqual(
            self.technician._get_service_home_action(),
            self.env.ref("service_management.service_intervention_action_my_day"),
        )
        accountant = new_test_user(self.env, login="accountant_screens", groups="account.group_account_manager")
        self.assertIsNone(accountant._get_service_home_action(), "accountants are not billing clerks")
        # a user who becomes a billing clerk later gets the queue; nothing is written on the user
        user = new_test_user(self.env, login="later_clerk", groups="base.group_user")
        self.assertIsNone(user._get_service_home_action())
        user.write({"groups_id": [Command.link(self.env.ref("account.group_account_invoice").id)]})
        self.assertEqual(user._get_service_home_action(), review)
        self.assertFalse(user.action_id, "the user's own home action stays theirs to choose")

    def test_billing_clerk_sees_the_billing_menus(self):
        visible = self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids()
        for xmlid in (
            "service_menu_root",
            "service_menu_billing",
            "account_move_service_review_menu",
            "service_intervention_to_bill_menu",
            "service_contract_to_bill_menu",
        ):
            self.assertIn(self.env.ref(f"service_management.{xmlid}").id, visible, xmlid)
        self.assertNotIn(
            self.env.ref("service_management.service_menu_credit_control").id, visible, "dunning is not theirs"
        )
        review = self.env.ref("service_management.service_menu_billing").child_id.sorted("sequence")[:1]
        self.assertEqual(review, self.env.ref("service_management.account_move_service_review_menu"))

    def test_review_queue_has_contract_period_source_amount_and_post_and_send(self):
        arch = self._arch(
            self.clerk, "account.move", "list", "service_management.account_move_view_list_service_review"
        )
        columns = [field.get("name") for field in arch.iter("field") if field.getparent().tag == "list"]
        for name in (
            "service_contract_id",
            "service_period_label",
            "service_source",
            "amount_total_in_currency_signed",
        ):
            self.assertIn(name, columns)
        buttons = arch.xpath("//header/button[@name='action_service_post_send']")
        self.assertEqual(len(buttons), 1, "Post and Send is a visible button of the list")
        self.assertEqual(buttons[0].get("string"), "Post and Send")
        form = self._arch(self.clerk, "account.move", "form")
        line_columns = form.xpath("//field[@name='invoice_line_ids']/list/field/@name")
        self.assertIn("service_period_start", line_columns)
        self.assertIn("service_period_end", line_columns)

    @freeze_time("2025-02-03")
    def test_period_and_source_in_the_readers_date_format(self):
        contract = self._create_billing_contract()
        self._bill(contract, date(2025, 2, 3))
        invoice = contract.invoice_ids
        self.assertEqual(len(invoice), 1)
        as_clerk = invoice.with_user(self.clerk)
        self.assertEqual(as_clerk.service_source, "contract")
        self.assertEqual(as_clerk.service_period_label, "01/01/2025 to 02/28/2025")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        self.assertEqual(invoice.with_context(lang="fr_FR").service_period_label, "01/01/2025 au 28/02/2025")
        self.assertNotIn("2025-01", as_clerk.service_period_label)
        # each line names its own period
        periods = invoice.invoice_line_ids.mapped(lambda line: (line.service_period_start, line.service_period_end))
        self.assertEqual(periods, [(date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 2, 1), date(2025, 2, 28))])

    @freeze_time("2025-03-12")
    def test_done_not_billed_shows_the_amount_the_run_invoices(self):
        intervention = self._create_done_intervention(hours=2.0, end=datetime(2025, 3, 10, 12, 0))
        self.assertEqual(intervention.invoice_state, "to_invoice")
        amount = intervention.with_user(self.clerk).billing_amount
        self.assertGreater(amount, 0.0)
        arch = self._arch(
            self.clerk, "service.intervention", "list", "service_management.service_intervention_view_list_to_bill"
        )
        self.assertTrue(arch.xpath("//field[@name='billing_amount'][@sum]"), "the amount column has a total")
        intervention._bill_interventions(date(2025, 3, 12))
        invoice = intervention.invoice_id
        self.assertAlmostEqual(invoice.amount_untaxed, amount)
        self.assertEqual(invoice.service_source, "interventions")
        self.assertEqual(invoice.service_period_label, "03/10/2025", "the day the work was done")
        self.assertEqual(intervention.billing_amount, 0.0, "nothing left to bill")


@tagged("post_install", "-at_install")
class TestPostAndSendEInvoice(BillingCommon):
    """Post and Send makes the customer's e-invoice (Factur-X for France) or says plainly why it cannot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_facturx",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        france = cls.env.ref("base.fr")
        cls.customer.write(
            {
                "country_id": france.id,
                "street": "12 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "email": "syndic@example.fr",
            }
        )
        cls.company.partner_id.write(
            {"country_id": france.id, "street": "27 rue Garibaldi", "zip": "69003", "city": "Lyon"}
        )
        cls.company.write({"phone": "+33 4 78 62 40 00", "email": "contact@example.fr", "vat": False})
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630004000031234567890143",
                "partner_id": cls.company.partner_id.id,
                "company_id": cls.company.id,
                "allow_out_payment": True,
            }
        )

    @freeze_time("2025-02-03")
    def test_post_and_send_without_vat_number_says_why_and_keeps_the_draft(self):
        contract = self._create_billing_contract()
        self._bill(contract, date(2025, 2, 3))
        invoice = contract.invoice_ids
        self.assertEqual(invoice.partner_id.invoice_edi_format, "facturx")
        action = invoice.with_user(self.clerk).action_service_post_send()
        params = action["params"]
        self.assertEqual(params["type"], "danger", "never a success message")
        self.assertIn("No e-invoice could be made", params["title"])
        self.assertIn(invoice.partner_id.display_name, params["message"])
        self.assertIn("Tax ID", params["message"], "the reason is named")
        self.assertEqual(invoice.state, "draft", "nothing half done: the invoice waits for a correction")
        self.assertFalse(invoice.sending_data)

        self.company.vat = "FR19812345676"
        action = invoice.with_user(self.clerk).action_service_post_send()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.sending_data)
