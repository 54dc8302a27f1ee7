import base64
import io
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import PdfReportCase, ServiceCommon

# a 1x1 PNG
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestInterventionCompletion(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_tilleuls.write(
            {"street": "4 rue des Tilleuls", "zip": "69006", "country_id": cls.env.ref("base.fr").id}
        )
        cls.lift = cls._create_equipment()
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")

    def _create_intervention(self, **vals):
        values = {"partner_id": self.customer.id, "equipment_id": self.lift.id, "user_id": self.technician.id}
        values.update(vals)
        return self.env["service.intervention"].create(values)

    def test_finish_queues_the_report_instead_of_rendering_it(self):
        intervention = self._create_intervention()
        intervention.action_start()
        intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.state, "done")
        self.assertEqual(intervention.report_state, "pending", "the form says the report is on its way")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "service.intervention"), ("res_id", "=", intervention.id)]
            )
        )
        cron = self.env.ref("service_management.ir_cron_service_intervention_report")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), "the background job is woken up"
        )

    def test_signature_needs_the_signer_and_is_dated(self):
        intervention = self._create_intervention()
        with self.assertRaisesMessage(ValidationError, "name of the person who signs"):
            intervention.with_user(self.technician).signature = SIGNATURE
        self.assertFalse(intervention.signature)
        intervention.with_user(self.technician).write({"signed_by": "Mme Martin", "signature": SIGNATURE})
        self.assertTrue(intervention.signature)
        self.assertAlmostEqual(intervention.signed_on, fields.Datetime.now(), delta=timedelta(minutes=1))
        intervention.signature = False
        self.assertFalse(intervention.signed_on)

    def test_site_map_link(self):
        intervention = self._create_intervention()
        self.assertEqual(intervention.site_address, "4 rue des Tilleuls, 69006, Lyon, France")
        self.assertEqual(
            intervention.site_map_url,
            "https://www.openstreetmap.org/search?query=4+rue+des+Tilleuls%2C+69006%2C+Lyon%2C+France",
        )

    def test_equipment_history_shows_the_last_five_done_by_anyone(self):
        done = self.env["service.intervention"]
        for day in range(1, 8):
            intervention = self._create_intervention(user_id=self.other_technician.id)
            intervention.action_start()
            intervention.action_done()
            intervention.write(
                {"actual_start": datetime(2026, 1, day, 10, 0), "actual_end": datetime(2026, 1, day, 12, 0)}
            )
            done |= intervention
        current = self._create_intervention()
        history = current.with_user(self.technician).equipment_history
        shown = [intervention.name for intervention in done if intervention.name in history]
        self.assertEqual(shown, done[2:].mapped("name"), "the five most recent")
        self.assertLess(history.index(done[6].name), history.index(done[2].name), "most recent first")
        self.assertNotIn(current.name, history)

    def test_report_is_printable_from_the_print_menu(self):
        report = self.env.ref("service_management.action_report_service_intervention")
        self.assertEqual(report.binding_model_id.model, "service.intervention")
        self.assertEqual(report.binding_type, "report")

    def test_photos_are_counted(self):
        intervention = self._create_intervention()
        photos = self.env["ir.attachment"].create(
            [
                {
                    "name": f"photo{i}.png",
                    "datas": SIGNATURE,
                    "res_model": "service.intervention",
                    "res_id": intervention.id,
                }
                for i in range(2)
            ]
        )
        intervention.with_user(self.technician).photo_ids = [Command.set(photos.ids)]
        self.assertEqual(intervention.photo_count, 2)


@tagged("post_install", "-at_install")
class TestInterventionReportMail(PdfReportCase, ServiceCommon):
    def setUp(self):
        super().setUp()
        # the queue starts empty: the demo's finished interventions wait for the job too
        self.env["service.intervention"].search([("report_state", "=", "pending")]).report_state = False

    def _finish(self, count=1, **vals):
        interventions = self.env["service.intervention"].create(
            [{"partner_id": self.customer.id, "user_id": self.technician.id, **vals} for __ in range(count)]
        )
        interventions.action_start()
        interventions.with_user(self.technician).action_done()
        return interventions

    def _report_attachments(self, interventions):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "service.intervention"), ("res_id", "in", interventions.ids)]
        )

    def _pdf_text(self, attachment):
        reader = PdfFileReader(io.BytesIO(base64.b64decode(attachment.datas)), strict=False)
        return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)

    def test_no_email_still_finishes_with_a_note_and_the_report(self):
        self.assertFalse(self.customer.email)
        intervention = self._finish()
        self.env["service.intervention"]._cron_send_intervention_reports()
        self.assertEqual(intervention.report_state, "sent")
        note = intervention.message_ids.filtered(lambda m: "no e-mail address" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.attachment_ids.res_model, "service.intervention")
        self.assertEqual(note.attachment_ids.res_id, intervention.id)
        self.assertIn(intervention.name.replace("/", "-"), note.attachment_ids.name)
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", "service.intervention"), ("res_id", "=", intervention.id)])
        )

    def test_batch_is_split_into_one_report_per_intervention(self):
        self.customer.email = "syndic@bellecour.example.com"
        interventions = self._finish(count=3)
        self.env["service.intervention"]._cron_send_intervention_reports(batch_size=10)
        self.assertEqual(set(interventions.mapped("report_state")), {"sent"})
        for intervention in interventions:
            attachment = self._report_attachments(intervention)
            self.assertEqual(len(attachment), 1)
            pages, text = self._pdf_text(attachment)
            self.assertEqual(pages, 1)
            self.assertIn(intervention.name, text, "each PDF holds its own intervention")
            for other in interventions - intervention:
                self.assertNotIn(other.name, text)
            mail = self.env["mail.mail"].search(
                [("model", "=", "service.intervention"), ("res_id", "=", intervention.id)]
            )
            self.assertEqual(mail.attachment_ids, attachment)

    def test_restarted_job_sends_each_report_once(self):
        self.customer.email = "syndic@bellecour.example.com"
        interventions = self._finish(count=3)
        Intervention = self.env["service.intervention"]
        # a worker stopped before its batch was committed leaves nothing behind
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            Intervention._cron_send_intervention_reports(batch_size=2)
            raise RuntimeError("the server stops before the batch is committed")
        self.env.invalidate_all()
        self.assertEqual(set(interventions.mapped("report_state")), {"pending"})
        self.assertFalse(self._report_attachments(interventions))
        # the next runs take the batches again, then find nothing left
        Intervention._cron_send_intervention_reports(batch_size=2)
        self.assertEqual(len(interventions.filtered(lambda i: i.report_state == "sent")), 2)
        Intervention._cron_send_intervention_reports(batch_size=2)
        Intervention._cron_send_intervention_reports(batch_size=2)
        self.assertEqual(set(interventions.mapped("report_state")), {"sent"})
        self.assertEqual(len(self._report_attachments(interventions)), 3)
        mails = self.env["mail.mail"].search(
            [("model", "=", "service.intervention"), ("res_id", "in", interventions.ids)]
        )
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(interventions.ids), "one e-mail per intervention")

    def test_report_emailed_to_the_customer_with_the_pdf(self):
        self.customer.email = "syndic@bellecour.example.com"
        self.env["service.checklist.template"].create(
            {
                "name": "Lift visit",
                "intervention_type": "preventive",
                "item_ids": [
                    Command.create({"question": "Door locks checked", "answer_type": "yes_no", "required": True}),
                ],
            }
        )
        intervention = self.env["service.intervention"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.technician.id,
                "intervention_type": "preventive",
                "signed_by": "Mme Martin",
                "signature": SIGNATURE,
            }
        )
        intervention.action_start()
        intervention.checklist_line_ids.answer_yes_no = "yes"
        intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.state, "done")
        self.assertFalse(
            self.env["mail.mail"].search([("res_id", "=", intervention.id), ("model", "=", "service.intervention")])
        )
        self.env["service.intervention"]._cron_send_intervention_reports()
        self.assertEqual(intervention.report_state, "sent")

        mail = self.env["mail.mail"].search([("model", "=", "service.intervention"), ("res_id", "=", intervention.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued, not sent while the technician waits")
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(intervention.name, mail.subject)
        attachment = mail.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual((attachment.res_model, attachment.res_id), ("service.intervention", intervention.id))
        pdf = base64.b64decode(attachment.datas)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf), strict=False).pages), 1)
        self.assertIn(intervention.name.replace("/", "-"), attachment.name)
        __, text = self._pdf_text(attachment)
        for expected in (intervention.name, "Door locks checked", "Yes", "Mme Martin"):
            self.assertIn(expected, text)
        self.assertIn(attachment, intervention.message_ids.attachment_ids, "posted in the chatter")

    def test_report_of_several_interventions_in_one_pdf(self):
        interventions = self.env["service.intervention"].create(
            [{"partner_id": self.customer.id, "intervention_type": "corrective"} for __ in range(3)]
        )
        self.assertEqual(
            self._render_pdf_pages("service_management.action_report_service_intervention", interventions), 3
        )
