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
