from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_create_equipment_from_customer_form(self):
        customer = self.env["res.partner"].create({"name": "Syndic Tour Gestion", "is_company": True})
        site = self.env["res.partner"].create(
            {"name": "Résidence Les Platanes", "type": "delivery", "parent_id": customer.id}
        )
        category = self.env["service.equipment.category"].create({"name": "Tour Lifts"})
        self.start_tour(f"/odoo/res.partner/{customer.id}", "service_equipment_from_customer_tour", login="admin")
        equipment = self.env["service.equipment"].search([("serial_no", "=", "TOUR-0001")])
        self.assertEqual(equipment.name, "Ascenseur B - Tour")
        self.assertEqual(equipment.partner_id, customer)
        self.assertEqual(equipment.site_id, site)
        self.assertEqual(equipment.category_id, category)
        self.assertTrue(equipment.commissioning_date)
        self.assertEqual(equipment.warranty_ids.warranty_type, "own")
        self.assertEqual(customer.service_equipment_count, 1)

    def test_create_contract_from_template_and_amend_it(self):
        customer = self.env["res.partner"].create({"name": "Syndic Contrat Tour", "is_company": True})
        product = self.env["product.product"].create(
            {"name": "Tour Lift Service", "type": "service", "list_price": 1200.0}
        )
        self.env["service.contract.template"].create(
            {
                "name": "Tour Full Cover",
                "line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 1300.0})],
            }
        )
        self.start_tour(
            "/odoo/action-service_management.service_contract_action/new",
            "service_contract_from_template_tour",
            login="admin",
        )
        contract = self.env["service.contract"].search([("partner_id", "=", customer.id)])
        self.assertEqual(contract.state, "running")
        self.assertEqual(contract.line_ids.price_unit, 1500.0)
        change = contract.amendment_ids.change_ids
        self.assertEqual((change.field_name, change.old_value, change.new_value), ("price_unit", "1300", "1500"))
