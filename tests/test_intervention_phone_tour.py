from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInterventionPhoneTour(HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def test_technician_phone_flow_from_my_day_to_signature(self):
        company = self.env.company
        technician = new_test_user(
            self.env,
            login="phone_tech",
            groups="service_management.group_service_technician",
            company_id=company.id,
            company_ids=[company.id],
            tz="UTC",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Pharmacie des Pentes",
                "is_company": True,
                "email": "pentes@pharmacie.example.com",
                "phone": "+33 4 78 28 00 00",
                "street": "12 montée de la Grande Côte",
                "zip": "69001",
                "city": "Lyon",
            }
        )
        self.env["product.product"].create(
            [
                {
                    "name": "Tour Door Contact",
                    "default_code": "TDC-42",
                    "type": "consu",
                    "list_price": 42.0,
                    "taxes_id": [Command.clear()],
                    "is_service_spare_part": True,
                },
                {"name": "Tour Lift 630 kg", "default_code": "TDC-LIFT", "type": "consu", "list_price": 48500.0},
            ]
        )
        self.env["service.checklist.template"].create(
            {
                "name": "Breakdown",
                "intervention_type": "corrective",
                "company_id": company.id,
                "item_ids": [
                    Command.create(
                        {"sequence": 1, "question": "Door contact replaced", "answer_type": "yes_no", "required": True}
                    ),
                    Command.create(
                        {"sequence": 2, "question": "Motor temperature", "answer_type": "number", "required": True}
                    ),
                ],
            }
        )
        intervention = self.env["service.intervention"].create(
            {
                "partner_id": customer.id,
                "intervention_type": "corrective",
                "user_id": technician.id,
                "planned_start": fields.Datetime.now().replace(hour=8, minute=0, second=0) + timedelta(hours=1),
                "company_id": company.id,
            }
        )
        # My Day shows only the technician's own work of the day, in planned order
        other_technician = new_test_user(
            self.env, login="phone_tech2", groups="service_management.group_service_technician"
        )
        morning = fields.Datetime.now().replace(hour=6, minute=0, second=0)
        self.env["service.intervention"].create(
            [
                {
                    "partner_id": self._customer("Boulangerie du Matin").id,
                    "user_id": technician.id,
                    "planned_start": morning,
                },
                {
                    "partner_id": self._customer("Garage de Demain").id,
                    "user_id": technician.id,
                    "planned_start": morning + timedelta(days=1),
                },
                {
                    "partner_id": self._customer("Hôtel des Autres").id,
                    "user_id": other_technician.id,
                    "planned_start": morning + timedelta(hours=4),
                },
            ]
        )
        # the technician lands on My Day right after login
        self.start_tour("/odoo", "service_intervention_phone_tour", login="phone_tech")
        self.assertEqual(intervention.state, "done")
        self.assertTrue(intervention.actual_start and intervention.actual_end)
        self.assertEqual(intervention.checklist_line_ids.mapped("answer_yes_no"), ["yes", False])
        self.assertEqual(intervention.checklist_line_ids[1].answer_number, 61.5)
        self.assertEqual(intervention.part_ids.product_id.name, "Tour Door Contact")
        self.assertEqual(intervention.part_ids.quantity, 2)
        self.assertTrue(intervention.signature)
        self.assertEqual(intervention.signed_by, "Mme Durand")
        self.assertTrue(intervention.signed_on)
        self.assertEqual(intervention.report_state, "pending", "Finish did not wait for the PDF")
        # the demo's finished interventions wait in the same queue: send this one's report first
        others = self.env["service.intervention"].search([("report_state", "=", "pending")]) - intervention
        others.report_state = False
        self.env["service.intervention"]._cron_send_intervention_reports()
        self.assertEqual(intervention.report_state, "sent")
        report = intervention.message_ids.attachment_ids.filtered(lambda a: a.res_model == "service.intervention")
        self.assertEqual(len(report), 1, "the report is attached")
        mails = self.env["mail.mail"].search([("model", "=", "service.intervention"), ("res_id", "=", intervention.id)])
        self.assertIn(customer, mails.recipient_ids, "the report is e-mailed to the customer")
