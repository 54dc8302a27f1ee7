from datetime import date, datetime

from odoo import fields

from .common import ServiceCommon


class PortalCommon(ServiceCommon):
    """Two customers, each with a contact granted the portal through Odoo's portal wizard, and their records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Pharmacie du Parc - Officine", "type": "delivery", "parent_id": cls.other_customer.id}
        )
        cls.contact_x, cls.contact_y = cls.env["res.partner"].create(
            [
                {"name": "Claire Bellecour", "email": "claire@bellecour.example.com", "parent_id": cls.customer.id},
                {"name": "Paul Parc", "email": "paul@pharmacie-parc.example.com", "parent_id": cls.other_customer.id},
            ]
        )
        cls.portal_x = cls._grant_portal(cls.contact_x)
        cls.portal_y = cls._grant_portal(cls.contact_y)

        cls.lift_x = cls._create_equipment(name="Ascenseur Tilleuls", serial_no="PX-001")
        cls.lift_y = cls._create_equipment(
            name="Monte-charge Officine",
            serial_no="PY-001",
            partner_id=cls.other_customer.id,
            site_id=cls.other_site.id,
        )
        cls.contract_x = cls._create_contract(
            title="Ascenseur - couverture complète",
            site_ids=[fields.Command.set(cls.site_tilleuls.ids)],
            line_ids=[
                fields.Command.create(
                    {
                        "product_id": cls.service_product.id,
                        "quantity": 1,
                        "price_unit": 1000.0,
                        "equipment_ids": [fields.Command.set(cls.lift_x.ids)],
                    }
                )
            ],
        )
        cls.contract_y = cls._create_contract(partner_id=cls.other_customer.id, title="Monte-charge Parc")
        cls.env["service.contract.sla"].create(
            [
                {"contract_id": contract.id, "priority": "3", "response_hours": 4, "resolution_hours": 24}
                for contract in cls.contract_x | cls.contract_y
            ]
        )
        (cls.contract_x | cls.contract_y).action_start()
        cls.env["service.equipment.warranty"].create(
            [
                {
                    "equipment_id": lift.id,
                    "warranty_type": "own",
                    "date_start": date(2024, 1, 1),
                    "date_end": date(2099, 12, 31),
                }
                for lift in cls.lift_x | cls.lift_y
            ]
        )
        cls.part_product = cls.env["product.product"].create({"name": "Contacteur de porte", "type": "consu"})
        cls.intervention_x = cls._create_done_intervention(cls.customer, cls.lift_x, "Porte palière réglée.")
        cls.intervention_y = cls._create_done_intervention(cls.other_customer, cls.lift_y, "Câble changé.")

    @classmethod
    def _grant_portal(cls, contact):
        """Grant the portal through Odoo's wizard; the password is the login, as for Odoo's test users."""
        wizard = cls.env["portal.wizard"].with_context(active_ids=contact.ids).create({})
        wizard.user_ids.action_grant_access()
        user = wizard.user_ids.user_id
        user.password = user.login
        return user

    @classmethod
    def _create_done_intervention(cls, customer, equipment, work, end=datetime(2025, 3, 10, 12, 0)):
        intervention = cls.env["service.intervention"].create(
            {
                "partner_id": customer.id,
                "equipment_id": equipment.id,
                "intervention_type": "corrective",
                "call_date": end.replace(hour=7),
                "description": f"<p>{work}</p>",
                "user_id": cls.technician.id,
                "part_ids": [fields.Command.create({"product_id": cls.part_product.id, "quantity": 1})],
            }
        )
        intervention.write(
            {
                "actual_start": end.replace(hour=10),
                "actual_end": end,
                "stage_id": intervention._get_stage("done").id,
            }
        )
        return intervention
