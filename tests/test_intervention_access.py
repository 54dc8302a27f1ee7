from datetime import datetime, timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .billing_common import BillingCommon

# what a technician must never change on their own intervention, with a value to try
FORBIDDEN_FOR_TECHNICIAN = (
    "partner_id",
    "site_id",
    "equipment_id",
    "contract_id",
    "intervention_type",
    "call_date",
    "priority",
    "planned_start",
    "planned_duration",
    "user_id",
    "helper_ids",
    "stage_id",
    "actual_start",
    "actual_end",
    "coverage",
    "company_id",
)


@tagged("post_install", "-at_install")
class TestInterventionAccess(BillingCommon):
    """What a technician and a dispatcher may change on an intervention, its parts and its checklist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helper = cls._create_service_user("helper_tech", "service_management.group_service_technician")
        cls.lift = cls._create_equipment(serial_no="ACC-1")
        cls.other_lift = cls._create_equipment(name="Lift B", serial_no="ACC-2")
        cls.contract = cls._create_billing_contract()
        cls.door_contact = cls.env["product.product"].create(
            {
                "name": "Door contact",
                "type": "consu",
                "list_price": 80.0,
                "taxes_id": [Command.clear()],
                "is_service_spare_part": True,
            }
        )
        cls.roller = cls.env["product.product"].create(
            {
                "name": "Roller",
                "type": "consu",
                "list_price": 12.0,
                "taxes_id": [Command.clear()],
                "is_service_spare_part": True,
            }
        )
        cls.intervention = cls.env["service.intervention"].create(
            {
                "partner_id": cls.customer.id,
                "equipment_id": cls.lift.id,
                "user_id": cls.technician.id,
                "intervention_type": "corrective",
                "planned_start": datetime(2026, 1, 5, 8, 0),
                "planned_duration": 2.0,
            }
        )
        cls.intervention.action_start()
        cls.part = cls.env["service.intervention.part"].create(
            {"intervention_id": cls.intervention.id, "product_id": cls.door_contact.id, "quantity": 1}
        )
        cls.question = cls.env["service.intervention.checklist.line"].create(
            {
                "intervention_id": cls.intervention.id,
                "question": "Door closes",
                "answer_type": "yes_no",
                "required": True,
            }
        )
        cls.stages = {
            state: cls.env["service.intervention"]._get_stage(state)
            for state in ("new", "planned", "in_progress", "done", "cancelled")
        }

    def _snapshot(self, records, names):
        records.invalidate_recordset()
        return records.read(names)

    def _forbidden_value(self, name):
        return {
            "partner_id": self.other_customer.id,
            "site_id": self.site_acacias.id,
            "equipment_id": self.other_lift.id,
            "contract_id": self.contract.id,
            "intervention_type": "installation",
            "call_date": fields.Datetime.now() - timedelta(days=30),
            "priority": "3",
            "planned_start": datetime(2026, 1, 6, 8, 0),
            "planned_duration": 240.0,
            "user_id": self.helper.id,
            "helper_ids": [Command.link(self.helper.id)],
            "stage_id": self.stages["done"].id,
            "actual_start": datetime(2025, 1, 1, 8, 0),
            "actual_end": fields.Datetime.now() + timedelta(hours=240),
            "coverage": "warranty",
            "company_id": self.company_b.id,
        }[name]

    # --- technicians on their own work -------------------------------------------------------------

    def test_technician_writes_the_execution_fields(self):
        mine = self.intervention.with_user(self.technician)
        mine.write({"description": "<p>Door contact replaced</p>", "signed_by": "Mme Durand"})
        mine.part_ids.write({"quantity": 2, "product_id": self.roller.id, "name": "Roller, left door"})
        mine.checklist_line_ids.write({"answer_yes_no": "yes"})
        mine.write({"part_ids": [Command.create({"product_id": self.door_contact.id, "quantity": 1})]})
        self.assertIn("Door contact replaced", self.intervention.description)
        self.assertEqual(self.intervention.signed_by, "Mme Durand")
        self.assertEqual(self.part.product_id, self.roller)
        self.assertEqual(self.part.price_unit, 12.0, "the catalog price of the new part applies")
        self.assertEqual(len(self.intervention.part_ids), 2)
        self.assertEqual(self.question.answer_yes_no, "yes")

    @mute_logger("odoo.models")
    def test_technician_cannot_change_what_planning_and_billing_rely_on(self):
        before = self._snapshot(self.intervention, list(FORBIDDEN_FOR_TECHNICIAN))
        mine = self.intervention.with_user(self.technician)
        for name in FORBIDDEN_FOR_TECHNICIAN:
            with self.subTest(field=name):
                with self.assertRaisesMessage(AccessError, "A technician may not change"):
                    mine.write({name: self._forbidden_value(name)})
        self.assertEqual(self._snapshot(self.intervention, list(FORBIDDEN_FOR_TECHNICIAN)), before)

    def test_refusal_names_the_fields_and_writes_nothing_of_the_allowed_ones(self):
        with self.assertRaisesMessage(AccessError, '"Received On", "Priority"'):
            self.intervention.with_user(self.technician).write(
                {"description": "<p>Changed</p>", "priority": "3", "call_date": fields.Datetime.now()}
            )
        self.intervention.invalidate_recordset()
        self.assertFalse(self.intervention.description, "nothing was written, not even the allowed field")

    def test_a_context_sent_over_rpc_does_not_open_the_door(self):
        forged = self.intervention.with_user(self.technician).with_context(service_code_write=True)
        with self.assertRaisesMessage(AccessError, "A technician may not change"):
            forged.write({"priority": "3"})
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.intervention.with_user(self.manager).with_context(service_code_write=True).write(
                {"coverage": "warranty"}
            )
        self.intervention.invalidate_recordset()
        self.assertEqual((self.intervention.priority, self.intervention.coverage), ("1", "billable"))

    @mute_logger("odoo.models")
    def test_technician_cannot_price_or_cover_a_part(self):
        part = self.part.with_user(self.technician)
        for vals in ({"price_unit": 1.0}, {"covered": True}, {"price_subtotal": 0.0}, {"intervention_id": 0}):
            with self.subTest(vals=vals):
                with self.assertRaises(AccessError):
                    part.write(vals)
        with self.assertRaises(AccessError):
            self.env["service.intervention.part"].with_user(self.technician).create(
                {"intervention_id": self.intervention.id, "product_id": self.roller.id, "price_unit": 0.01}
            )
        self.part.invalidate_recordset()
        self.assertEqual((self.part.price_unit, self.part.covered), (80.0, False))
        self.assertEqual(len(self.intervention.part_ids), 1, "no part was created")

    def test_technician_answers_but_does_not_rewrite_the_checklist(self):
        line = self.question.with_user(self.technician)
        for vals in ({"question": "Anything"}, {"required": False}, {"answered": True}):
            with self.subTest(vals=vals):
                with self.assertRaises(AccessError):
                    line.write(vals)
        self.question.invalidate_recordset()
        self.assertEqual(
            (self.question.question, self.question.required, self.question.answered), ("Door closes", True, False)
        )

    def test_finished_intervention_is_locked_for_its_technician(self):
        mine = self.intervention.with_user(self.technician)
        self.question.with_user(self.technician).answer_yes_no = "yes"
        mine.action_done()
        self.assertEqual(self.intervention.state, "done")
        attempts = {
            "intervention": lambda: mine.write({"description": "<p>Afterwards</p>"}),
            "part": lambda: mine.part_ids.write({"quantity": 5}),
            "new part": lambda: mine.write({"part_ids": [Command.create({"product_id": self.roller.id})]}),
            "part deleted": lambda: mine.part_ids.unlink(),
            "checklist": lambda: mine.checklist_line_ids.write({"answer_yes_no": "no"}),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                with self.assertRaisesMessage(UserError, "ask a dispatcher to reopen it"):
                    attempt()
        self.intervention.invalidate_recordset()
        self.assertFalse(self.intervention.description)
        self.assertEqual(self.intervention.part_ids.mapped("quantity"), [1.0])
        self.assertEqual(self.question.answer_yes_no, "yes")

    def test_cancelled_intervention_is_locked_for_its_technician(self):
        self.intervention.with_user(self.dispatcher).action_cancel()
        with self.assertRaisesMessage(UserError, "ask a dispatcher to reopen it"):
            self.intervention.with_user(self.technician).write({"signed_by": "Someone"})
        self.assertFalse(self.intervention.signed_by)

    def test_technician_neither_cancels_nor_reopens(self):
        with self.assertRaisesMessage(AccessError, "Only a dispatcher may cancel"):
            self.intervention.with_user(self.technician).action_cancel()
        self.assertEqual(self.intervention.state, "in_progress")
        self.intervention.action_cancel()
        with self.assertRaisesMessage(AccessError, "Only a dispatcher may reopen"):
            self.intervention.with_user(self.technician).action_reopen()
        self.assertEqual(self.intervention.state, "cancelled")

    # --- one door to done and cancelled ----------------------------------------------------------------

    def test_technician_stage_write_to_done_is_refused(self):
        self.question.answer_yes_no = "yes"
        with self.assertRaisesMessage(AccessError, "Stage"):
            self.intervention.with_user(self.technician).write({"stage_id": self.stages["done"].id})
        self.assertEqual(self.intervention.state, "in_progress")
        self.assertFalse(self.intervention.actual_end)

    def test_dispatcher_stage_write_to_done_runs_the_finish_checks_and_report(self):
        intervention = self.intervention.with_user(self.dispatcher)
        with self.assertRaisesMessage(UserError, "Answer the required checklist items"):
            intervention.write({"stage_id": self.stages["done"].id})
        self.assertEqual(self.intervention.state, "in_progress")
        self.assertFalse(self.intervention.actual_end)

        self.question.answer_yes_no = "yes"
        intervention.write({"stage_id": self.stages["done"].id})
        self.assertEqual(self.intervention.state, "done")
        self.assertTrue(self.intervention.actual_end, "Finish stamped the end")
        self.assertEqual(self.intervention.report_state, "pending", "Finish queued the report")

    def test_dispatcher_stage_write_to_done_before_start_is_refused(self):
        planned = self.env["service.intervention"].create({"partner_id": self.customer.id})
        with self.assertRaisesMessage(UserError, "Only an intervention in progress can be finished"):
            planned.with_user(self.dispatcher).write({"stage_id": self.stages["done"].id})
        self.assertEqual(planned.state, "new")

    def test_dispatcher_stage_write_to_cancelled_runs_cancel(self):
        planned = self.env["service.intervention"].create({"partner_id": self.customer.id})
        planned.with_user(self.dispatcher).write({"stage_id": self.stages["cancelled"].id})
        self.assertEqual(planned.state, "cancelled")
        with self.assertRaisesMessage(UserError, "reopen it to work on it again"):
            planned.with_user(self.dispatcher).write({"stage_id": self.stages["planned"].id})
        self.assertEqual(planned.state, "cancelled")

    def test_finished_intervention_cannot_be_cancelled_by_a_stage_write(self):
        self.question.answer_yes_no = "yes"
        self.intervention.action_done()
        with self.assertRaisesMessage(UserError, "reopen it"):
            self.intervention.with_user(self.dispatcher).write({"stage_id": self.stages["cancelled"].id})
        self.assertEqual(self.intervention.state, "done")

    def test_created_closed_is_refused(self):
        Intervention = self.env["service.intervention"].with_user(self.dispatcher)
        count = Intervention.search_count([])
        with self.assertRaisesMessage(UserError, "cannot be created finished or cancelled"):
            Intervention.create({"partner_id": self.customer.id, "stage_id": self.stages["done"].id})
        self.assertEqual(Intervention.search_count([]), count)

    def test_dispatcher_reopens_a_finished_intervention_with_a_trace(self):
        self.question.answer_yes_no = "yes"
        self.intervention.with_user(self.technician).action_done()
        self.intervention.with_user(self.dispatcher).action_reopen()
        self.assertEqual(self.intervention.state, "in_progress")
        self.assertFalse(self.intervention.actual_end)
        trace = self.intervention.message_ids.filtered(lambda m: "Reopened by" in m.body)
        self.assertEqual(trace.author_id, self.dispatcher.partner_id)
        self.intervention.with_user(self.technician).write({"signed_by": "M. Martin"})
        self.assertEqual(self.intervention.signed_by, "M. Martin", "the technician works on it again")
        with self.assertRaisesMessage(UserError, "Only a finished or cancelled intervention can be reopened"):
            self.intervention.with_user(self.dispatcher).action_reopen()

    # --- bounds ----------------------------------------------------------------------------------------

    def test_an_intervention_does_not_end_before_it_starts(self):
        start = self.intervention.actual_start
        with self.assertRaisesMessage(ValidationError, "cannot end before it starts"):
            # only a service manager corrects the times the buttons set
            self.intervention.with_user(self.manager).write({"actual_end": start - timedelta(hours=4)})
        self.intervention.invalidate_recordset()
        self.assertFalse(self.intervention.actual_end)
        self.assertEqual(self.intervention.actual_duration, 0.0)

    def test_the_lead_is_not_also_a_helper(self):
        with self.assertRaisesMessage(ValidationError, "cannot also be one of its helpers"):
            self.intervention.with_user(self.dispatcher).write({"helper_ids": [Command.link(self.technician.id)]})
        self.intervention.invalidate_recordset()
        self.assertFalse(self.intervention.helper_ids)
        with self.assertRaisesMessage(ValidationError, "The planned duration must be positive"):
            self.intervention.with_user(self.dispatcher).write({"planned_duration": -4.0})
        self.intervention.invalidate_recordset()
        self.assertEqual(self.intervention.planned_duration, 2.0)

    # --- what the application computes ----------------------------------------------------------------

    def test_computed_money_fields_are_not_written_by_hand_even_by_a_manager(self):
        fields_to_try = {
            "coverage": "warranty",
            "coverage_reason": "Friendly",
            "sla_breached": False,
            "response_deadline": fields.Datetime.now(),
            "actual_duration": 240.0,
            "invoice_state": "covered",
        }
        before = self._snapshot(self.intervention, list(fields_to_try))
        for name, value in fields_to_try.items():
            with self.subTest(field=name):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    self.intervention.with_user(self.manager).write({name: value})
        self.assertEqual(self._snapshot(self.intervention, list(fields_to_try)), before)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.part.with_user(self.manager).write({"covered": True})
        self.assertFalse(self.part.covered)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.env["service.intervention"].with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "coverage": "warranty"}
            )

    def test_payer_grade_is_not_written_by_hand(self):
        user = new_test_user(
            self.env,
            login="partner_editor",
            groups="base.group_user,base.group_partner_manager,service_management.group_service_credit_controller",
        )
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.customer.with_user(user).write({"payer_grade": "good"})
        self.assertFalse(self.customer.payer_grade)
        self.customer.with_user(user).action_compute_payer_score()
        self.assertTrue(self.customer.payer_score_date, "the application still computes the score")

    # --- billed interventions -------------------------------------------------------------------------

    def test_billed_intervention_is_neither_deleted_nor_cancelled_by_a_manager(self):
        done = self._create_done_intervention()
        done.action_bill_now()
        self.assertEqual(done.invoice_state, "invoiced")
        invoice = done.invoice_id
        for name, attempt in {
            "delete": lambda: done.with_user(self.manager).unlink(),
            "cancel": lambda: done.with_user(self.manager).action_cancel(),
            "reopen": lambda: done.with_user(self.manager).action_reopen(),
        }.items():
            with self.subTest(attempt=name):
                with self.assertRaisesMessage(UserError, "is billed on"):
                    attempt()
        self.assertTrue(done.exists())
        self.assertEqual(done.state, "done")
        self.assertEqual(invoice.invoice_line_ids.service_intervention_id, done)

    # --- prices are not the technicians' ----------------------------------------------------------------

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_technician_reads_no_price_amount_rate_or_billed_period(self):
        Part = self.env["service.intervention.part"].with_user(self.technician)
        for name in ("price_unit", "price_subtotal"):
            self.assertNotIn(name, Part.fields_get())
            with self.assertRaises(AccessError):
                self.part.with_user(self.technician).read([name])
        line = self.contract.line_ids.with_user(self.technician)
        for name in ("price_unit", "price_subtotal", "discount"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                line.read([name])
        for name in ("amount_untaxed", "recurring_amount_yearly", "recurring_amount_monthly"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.contract.with_user(self.technician).read([name])
        for name in ("invoice_id", "service_amount_invoiced", "payment_ids"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.intervention.with_user(self.technician).read([name])
        for model in ("service.labour.rate", "service.billing.period", "service.contract.amendment.change"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.technician).search([])
        # the dispatcher does read them
        self.assertEqual(self.part.with_user(self.dispatcher).read(["price_unit"])[0]["price_unit"], 80.0)

    def test_technician_works_through_the_form_without_reading_prices(self):
        with Form(self.intervention.with_user(self.technician)) as form:
            with form.part_ids.edit(0) as part:
                part.quantity = 3
            with form.part_ids.new() as part:
                part.product_id = self.roller
            form.signed_by = "Mme Durand"
        self.assertEqual(self.part.quantity, 3)
        self.assertEqual(self.intervention.part_ids[1].price_unit, 12.0)
        self.assertEqual(self.intervention.with_user(self.technician)._get_amount_due(), 252.0)
        self.question.answer_yes_no = "yes"
        self.intervention.with_user(self.technician).action_done()
        self.assertEqual(self.intervention.state, "done")

    def test_report_shows_prices_to_the_customer_not_to_the_technician(self):
        Report = self.env["ir.actions.report"]
        report_name = "service_management.report_service_intervention"
        as_technician = str(Report.with_user(self.technician)._render_qweb_html(report_name, self.intervention.ids)[0])
        self.assertIn("Door contact", as_technician)
        self.assertNotIn("Unit Price", as_technician)
        self.assertIn("Unit Price", str(Report._render_qweb_html(report_name, self.intervention.ids)[0]))
        # the copy sent to the customer has the prices, although the technician finishes: the background job
        # renders it as the application, not as the technician
        self.question.answer_yes_no = "yes"
        self.intervention.with_user(self.technician).action_done()
        self.assertEqual(self.intervention.report_state, "pending")
        queued = self.env["service.intervention"].with_user(self.technician).sudo().browse(self.intervention.ids)
        self.assertIn("Unit Price", str(Report.sudo()._render_qweb_html(report_name, queued.ids)[0]))

    def test_technician_opens_contract_and_intervention_screens_without_prices(self):
        for model, record in (("service.contract", self.contract), ("service.intervention", self.intervention)):
            with self.subTest(model=model):
                views = self.env[model].with_user(self.technician).get_views([(False, "form"), (False, "list")])
                arch = views["views"]["form"]["arch"]
                self.assertNotIn('name="price_unit"', arch)
                self.assertNotIn('name="amount_untaxed"', arch)
                self.assertNotIn('name="invoice_id"', arch)
                # the fields the client reads: those of the form itself, not of its x2many sub-views
                shown = {
                    node.get("name")
                    for node in etree.fromstring(arch).iter("field")
                    if not any(ancestor.tag == "field" for ancestor in node.iterancestors())
                }
                descriptions = views["models"][model]["fields"]
                specification = {
                    name: {"fields": {"display_name": {}}} if descriptions[name]["type"] == "many2one" else {}
                    for name in shown
                    if descriptions[name]["type"] not in ("one2many", "many2many")
                }
                values = record.with_user(self.technician).web_read(specification)[0]
                self.assertEqual(values["id"], record.id)
