from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestResPartner(ServiceCommon):
    def test_equipment_counts_on_customer_and_sites(self):
        lift_a = self._create_equipment(name="Lift A", site_id=self.site_tilleuls.id)
        lift_b = self._create_equipment(name="Lift B", site_id=self.site_tilleuls.id)
        boiler = self._create_equipment(name="Boiler", site_id=self.site_acacias.id)
        door = self._create_equipment(name="Door", site_id=self.customer.id)
        partners = self.customer | self.site_tilleuls | self.site_acacias | self.other_customer
        self.assertEqual(partners.mapped("service_equipment_count"), [4, 2, 1, 0])
        self.assertEqual(self.site_tilleuls.service_site_equipment_ids, lift_a | lift_b)

        action = self.customer.action_view_service_equipment()
        self.assertEqual(self.env["service.equipment"].search(action["domain"]), lift_a | lift_b | boiler | door)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        site_action = self.site_acacias.action_view_service_equipment()
        self.assertEqual(self.env["service.equipment"].search(site_action["domain"]), boiler)
        self.assertEqual(site_action["context"]["default_site_id"], self.site_acacias.id)
        self.assertEqual(site_action["context"]["default_partner_id"], self.customer.id)

    def test_count_is_read_by_a_technician(self):
        self._create_equipment()
        customer = self.customer.with_user(self.technician)
        self.assertEqual(customer.service_equipment_count, 1)
