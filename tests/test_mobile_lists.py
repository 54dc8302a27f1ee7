from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestMobileLists(ServiceCommon):
    """On a phone, the billing clerk's and credit controller's lists open as cards that fit 375 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_clerk = new_test_user(
            cls.env,
            login="clerk_mobile",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _phone_card(self, user, xmlid):
        """The arch of the view a phone opens for the action: the web client takes the action's
        `mobile_view_mode` among its views."""
        action = self.env["ir.actions.act_window"].with_user(user)._for_xml_id(xmlid)
        self.assertEqual(action["mobile_view_mode"], "kanban")
        views = {mode: view_id for view_id, mode in action["views"]}
        self.assertIn("kanban", views, f"{xmlid} has cards for small screens")
        model = self.env[action["res_model"]].with_user(user)
        arch = model.get_views([(views["kanban"], "kanban")])["views"]["kanban"]["arch"]
        card = etree.fromstring(arch)
        self.assertIn("o_kanban_mobile", card.get("class"))
        return card

    def _names(self, card, tag):
        return {node.get("name") for node in card.iter(tag)}

    def test_billing_clerk_review_queue_cards_post_and_send(self):
        card = self._phone_card(self.billing_clerk, "service_management.account_move_action_service_review")
        self.assertLessEqual(
            {"name", "invoice_partner_display_name", "amount_total_in_currency_signed", "invoice_date_due", "state"},
            self._names(card, "field"),
        )
        self.assertIn("action_service_post_send", self._names(card, "button"))

    def test_service_invoices_cards(self):
        card = self._phone_card(self.billing_clerk, "service_management.account_move_action_service_invoices")
        self.assertLessEqual(
            {"name", "invoice_partner_display_name", "amount_total_in_currency_signed", "state"},
            self._names(card, "field"),
        )
        list_views = [
            view_id
            for view_id, mode in self.env["ir.actions.act_window"]
            ._for_xml_id("service_management.account_move_action_service_invoices")["views"]
            if mode == "list"
        ]
        self.assertEqual(list_views, [self.env.ref("account.view_out_invoice_tree").id], "desktop keeps its list")

    def test_done_not_billed_cards_bill_now(self):
        card = self._phone_card(self.billing_clerk, "service_management.service_intervention_action_to_bill")
        self.assertLessEqual({"name", "partner_id", "billing_amount", "actual_end"}, self._names(card, "field"))
        self.assertIn("action_bill_now", self._names(card, "button"))

    def test_dunning_runs_cards(self):
        card = self._phone_card(self.credit_controller, "service_management.service_dunning_run_action")
        self.assertLessEqual({"display_name", "date", "amount_due", "state"}, self._names(card, "field"))

    def test_worklist_cards_letter_and_exclude(self):
        card = self._phone_card(self.credit_controller, "service_management.service_dunning_run_line_action_worklist")
        self.assertLessEqual(
            {"partner_id", "amount_due", "max_days_late", "level_id", "state"}, self._names(card, "field")
        )
        self.assertLessEqual({"action_preview_letter", "action_exclude"}, self._names(card, "button"))

    def test_run_lines_show_as_cards_on_a_phone(self):
        form = etree.fromstring(
            self.env["service.dunning.run"]
            .with_user(self.credit_controller)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        lines = form.xpath("//field[@name='line_ids']")[0]
        # With both a list and a kanban inside, Odoo's web client shows the kanban on small screens.
        self.assertTrue(lines.xpath("./list"))
        card = lines.xpath("./kanban")[0]
        self.assertIn("o_kanban_mobile", card.get("class"))
        self.assertLessEqual(
            {"partner_id", "amount_due", "max_days_late", "level_id", "state"}, self._names(card, "field")
        )
        self.assertLessEqual(
            {"action_preview_letter", "action_exclude", "action_include"}, self._names(card, "button")
        )

    def test_cards_read_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        expected = {
            "account_move_view_kanban_service_review": ["Comptabiliser et envoyer"],
            "service_intervention_view_kanban_to_bill": ["Facturer maintenant"],
            "service_dunning_run_view_kanban": ["Clients :"],
            "service_dunning_run_line_view_kanban": ["Lettre", "Exclure", "jours de retard"],
        }
        for view_xmlid, words in expected.items():
            view = self.env.ref(f"service_management.{view_xmlid}")
            arch = self.env[view.model].with_context(lang="fr_FR").get_views([(view.id, "kanban")])
            for word in words:
                self.assertIn(word, arch["views"]["kanban"]["arch"], view_xmlid)
