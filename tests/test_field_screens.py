from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestFieldScreens(ServiceCommon):
    """What the technicians and dispatchers see on the intervention, equipment and contract screens."""

    def _priority_nodes(self, user, view_type, view=None):
        arch = (
            self.env["service.intervention"]
            .with_user(user)
            .get_views([(view and self.env.ref(view).id, view_type)])["views"][view_type]["arch"]
        )
        return etree.fromstring(arch).xpath("//field[@name='priority']")

    def test_priority_is_read_only_for_technicians(self):
        for view_type, view in (
            ("form", None),
            ("kanban", None),
            ("list", None),
            ("kanban", "service_management.service_intervention_view_kanban_my_day"),
        ):
            nodes = self._priority_nodes(self.technician, view_type, view)
            self.assertEqual(len(nodes), 1, view_type)
            self.assertIn(nodes[0].get("readonly"), ("1", "True"), f"{view_type} {view or ''}")
        for view_type in ("form", "kanban", "list"):
            nodes = self._priority_nodes(self.dispatcher, view_type)
            self.assertEqual(len(nodes), 1, view_type)
            self.assertFalse(nodes[0].get("readonly"), f"a dispatcher sets the priority ({view_type})")

    def test_priority_written_over_rpc_by_a_technician_is_refused(self):
        intervention = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "user_id": self.technician.id, "priority": "1"}
        )
        with self.assertRaisesMessage(AccessError, '"Priority"'):
            intervention.with_user(self.technician).write({"priority": "3"})
        intervention.invalidate_recordset()
        self.assertEqual(intervention.priority, "1")
        intervention.with_user(self.dispatcher).write({"priority": "3"})
        self.assertEqual(intervention.priority, "3", "a dispatcher sets it")

    def test_desktop_form_has_one_start_button(self):
        arch = etree.fromstring(
            self.env["service.intervention"]
            .with_user(self.dispatcher)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertEqual(len(arch.xpath("//header//button[@name='action_start']")), 1)
        phone = arch.xpath("//div[@name='phone_actions']")[0]
        self.assertIn("d-md-none", phone.get("class"), "the big phone buttons are hidden on a desktop")
        self.assertFalse(arch.xpath("//notebook"), "no tabs that a phone would push off-screen")

    def test_interventions_hide_done_and_cancelled_by_default(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_intervention_action")
        self.assertIn("'search_default_open': 1", action["context"])
        open_filter = etree.fromstring(
            self.env["service.intervention"].get_views([(False, "search")])["views"]["search"]["arch"]
        ).xpath("//filter[@name='open']")[0]
        self.assertNotIn("done", open_filter.get("domain"))

    def test_new_intervention_from_the_equipment(self):
        lift = self._create_equipment()
        action = lift.with_user(self.dispatcher).action_new_intervention()
        intervention = (
            self.env["service.intervention"].with_user(self.dispatcher).with_context(**action["context"]).create({})
        )
        self.assertEqual(intervention.equipment_id, lift)
        self.assertEqual(intervention.partner_id, self.customer)
        self.assertEqual(intervention.site_id, self.site_tilleuls)

    def test_contract_counts_and_opens_its_interventions(self):
        contract = self._create_contract()
        other = self._create_contract()
        interventions = self.env["service.intervention"].create(
            [{"partner_id": self.customer.id, "contract_id": contract.id} for __ in range(2)]
        )
        self.env["service.intervention"].create({"partner_id": self.customer.id, "contract_id": other.id})
        self.assertEqual(contract.with_user(self.dispatcher).intervention_count, 2)
        action = contract.with_user(self.dispatcher).action_view_interventions()
        self.assertEqual(self.env["service.intervention"].search(action["domain"]), interventions)
        self.assertEqual(action["context"]["default_contract_id"], contract.id)

    def test_site_phone_for_the_call_button(self):
        self.customer.phone = "+33 4 72 00 00 00"
        intervention = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "site_id": self.site_tilleuls.id}
        )
        self.assertEqual(intervention.site_phone, "+33 4 72 00 00 00", "the customer's when the site has none")
        self.site_tilleuls.phone = "+33 4 78 11 11 11"
        intervention.invalidate_recordset(["site_phone"])
        self.assertEqual(intervention.site_phone, "+33 4 78 11 11 11")
