from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestInterventionChecklist(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["service.checklist.template"]
        cls.lift_visit = Template.create(
            {
                "name": "Lift visit",
                "intervention_type": "preventive",
                "item_ids": [
                    Command.create(
                        {"sequence": 1, "question": "Safety gear tested", "answer_type": "yes_no", "required": True}
                    ),
                    Command.create({"sequence": 2, "question": "Observations", "answer_type": "text"}),
                ],
            }
        )
        cls.boiler_service = Template.create(
            {
                "name": "Boiler service",
                "intervention_type": "inspection",
                "item_ids": [
                    Command.create({"question": "CO reading (ppm)", "answer_type": "number", "required": True}),
                    Command.create({"question": "Photo of the burner", "answer_type": "photo", "required": True}),
                ],
            }
        )
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")

    def _create_intervention(self, **vals):
        values = {"partner_id": self.customer.id, "user_id": self.technician.id, "intervention_type": "preventive"}
        values.update(vals)
        return self.env["service.intervention"].create(values)

    def test_checklist_filled_from_the_template_of_the_type(self):
        visit, inspection, corrective = self.env["service.intervention"].create(
            [
                {"partner_id": self.customer.id, "intervention_type": "preventive"},
                {"partner_id": self.customer.id, "intervention_type": "inspection"},
                {"partner_id": self.customer.id, "intervention_type": "corrective"},
            ]
        )
        self.assertEqual(visit.checklist_line_ids.mapped("question"), ["Safety gear tested", "Observations"])
        self.assertEqual(visit.checklist_line_ids.mapped("required"), [True, False])
        self.assertEqual(inspection.checklist_line_ids.mapped("answer_type"), ["number", "photo"])
        self.assertFalse(corrective.checklist_line_ids, "no template for corrective work")

    def test_type_change_refills_the_checklist_until_started(self):
        intervention = self._create_intervention()
        intervention.checklist_line_ids[1].answer_text = "Cabin light flickers"
        intervention.intervention_type = "inspection"
        self.assertEqual(
            intervention.checklist_line_ids.mapped("question"), ["CO reading (ppm)", "Photo of the burner"]
        )
        intervention.action_start()
        intervention.intervention_type = "preventive"
        self.assertEqual(
            intervention.checklist_line_ids.mapped("question"),
            ["CO reading (ppm)", "Photo of the burner"],
            "a started intervention keeps the checklist the technician is filling",
        )

    def test_archived_template_and_other_company_are_not_used(self):
        self.lift_visit.active = False
        self.assertFalse(self._create_intervention().checklist_line_ids)
        self.lift_visit.active = True
        customer_b = self.env["res.partner"].create({"name": "Client Sud", "company_id": self.company_b.id})
        intervention_b = self._create_intervention(
            partner_id=customer_b.id, company_id=self.company_b.id, user_id=False
        )
        self.assertFalse(intervention_b.checklist_line_ids, "the template belongs to the other company")

    def test_missing_required_item_blocks_completion(self):
        intervention = self._create_intervention()
        intervention.action_start()
        messages_before = intervention.message_ids
        with self.assertRaisesMessage(UserError, r"Answer the required checklist items[\s\S]*Safety gear tested"):
            intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.state, "in_progress")
        self.assertFalse(intervention.actual_end)
        self.assertEqual(intervention.message_ids, messages_before, "nothing written")

        intervention.checklist_line_ids[0].with_user(self.technician).answer_yes_no = "no"
        intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.state, "done", "'No' is an answer; the optional item may stay empty")

    def test_what_counts_as_an_answer(self):
        intervention = self._create_intervention(intervention_type="inspection")
        reading, photo = intervention.checklist_line_ids
        self.assertFalse(reading.answered)
        reading.answer_number = 0.0
        self.assertFalse(reading.answered, "a zero reading is no reading")
        reading.answer_number = 14.0
        self.assertTrue(reading.answered)
        self.assertEqual(reading.answer_display, "14")
        intervention.action_start()
        with self.assertRaisesMessage(UserError, "Photo of the burner"):
            intervention.action_done()
        # a 1x1 PNG
        photo.answer_photo = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
        self.assertTrue(photo.answered)
        intervention.action_done()
        self.assertEqual(intervention.state, "done")

    def test_answer_reads_in_the_language_of_who_reads_it(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        intervention = self._create_intervention()
        line = self.env["service.intervention.checklist.line"].create(
            {"intervention_id": intervention.id, "question": "Door locks checked", "answer_yes_no": "yes"}
        )
        # the same record read for a French then an English customer in one transaction (a batch of reports)
        self.assertEqual(line.with_context(lang="fr_FR").answer_display, "Oui")
        self.assertEqual(line.with_context(lang="en_US").answer_display, "Yes")

    def test_batch_completion_names_each_intervention(self):
        first, second = self._create_intervention(), self._create_intervention(user_id=self.other_technician.id)
        (first | second).action_start()
        first.checklist_line_ids[0].answer_yes_no = "yes"
        with self.assertRaisesMessage(UserError, second.name):
            (first | second).action_done()
        self.assertEqual((first | second).mapped("state"), ["in_progress", "in_progress"], "all or nothing")

    def test_technicians_fill_only_their_own_checklists(self):
        mine = self._create_intervention()
        theirs = self._create_intervention(user_id=self.other_technician.id)
        mine.checklist_line_ids[0].with_user(self.technician).answer_yes_no = "yes"
        self.assertTrue(mine.checklist_line_ids[0].answered)
        with self.assertRaises(AccessError):
            theirs.checklist_line_ids[0].with_user(self.technician).answer_yes_no = "yes"
        with self.assertRaises(AccessError):
            mine.checklist_line_ids[0].with_user(self.technician).unlink()
        with self.assertRaises(AccessError):
            self.env["service.checklist.template"].with_user(self.technician).create(
                {"name": "Mine", "intervention_type": "corrective"}
            )
        # the type is the dispatcher's: changing it brings the new checklist
        with self.assertRaises(AccessError):
            mine.with_user(self.technician).intervention_type = "inspection"
        mine.with_user(self.dispatcher).intervention_type = "inspection"
        self.assertEqual(mine.checklist_line_ids.mapped("answer_type"), ["number", "photo"])
        # credit controllers read checklists, dispatchers edit everyone's
        self.assertEqual(len(theirs.checklist_line_ids.with_user(self.credit_controller).read(["question"])), 2)
        theirs.checklist_line_ids[0].with_user(self.dispatcher).answer_yes_no = "yes"

    def test_templates_are_per_company(self):
        template_b = self.env["service.checklist.template"].create(
            {"name": "Sud", "intervention_type": "preventive", "company_id": self.company_b.id}
        )
        visible = self.env["service.checklist.template"].with_user(self.manager).search([])
        self.assertIn(self.lift_visit, visible)
        self.assertNotIn(template_b, visible)
