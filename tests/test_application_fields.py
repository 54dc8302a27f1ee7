import base64
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .billing_common import BillingCommon
from .common import new_company_user

# states and flags of an intervention set only by the application, with a value a user might try
CODE_FLAGS = {
    "sla_late": True,
    "sla_late_notified": True,
    "report_state": "sent",
    "coverage_reason_code": "warranty",
    "preventive_slot": date(2026, 3, 1),
    "portal_requested": True,
    "billing_error": "Nothing wrong",
    "billing_error_date": datetime(2026, 1, 1),
}
PIXEL = base64.b64encode(
    base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
)


@tagged("post_install", "-at_install")
class TestInterventionDoors(BillingCommon):
    """The flags, times and links of an intervention that only the application or its buttons set, whatever the
    door (a form, an import, RPC), as the office users themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intervention = cls.env["service.intervention"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.technician.id,
                "dispatcher_id": cls.dispatcher.id,
                "planned_start": datetime(2026, 1, 5, 8, 0),
            }
        )

    def _values(self, names):
        self.intervention.invalidate_recordset()
        return self.intervention.read(names)[0]

    @mute_logger("odoo.models")
    def test_flags_set_by_the_application_are_refused_to_dispatchers_and_managers(self):
        before = self._values(list(CODE_FLAGS))
        Intervention = self.env["service.intervention"]
        for user in (self.dispatcher, self.manager):
            for name, value in CODE_FLAGS.items():
                with self.subTest(user=user.login, field=name):
                    with self.assertRaisesMessage(AccessError, "set by the application"):
                        self.intervention.with_user(user).write({name: value})
                    with self.assertRaisesMessage(AccessError, "set by the application"):
                        Intervention.with_user(user).create({"partner_id": self.customer.id, name: value})
        self.assertEqual(self._values(list(CODE_FLAGS)), before)
        self.assertEqual(Intervention.search_count([("partner_id", "=", self.customer.id)]), 1, "nothing created")

    def test_the_application_still_sets_its_flags(self):
        self.intervention.with_user(self.technician).action_start()
        self.intervention.with_user(self.technician).action_done()
        self.assertEqual(self.intervention.report_state, "pending", "Finish queues the report")
        late = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "dispatcher_id": self.dispatcher.id}
        )
        self.env.flush_all()
        late.env.cr.execute("UPDATE service_intervention SET sla_late = TRUE WHERE id = %s", [late.id])
        late.invalidate_recordset()
        late.with_user(self.dispatcher)._notify_sla_late()
        self.assertTrue(late.sla_late_notified, "the warning is recorded once")

    def test_reference_is_given_by_the_numbering(self):
        name = self.intervention.name
        with self.assertRaisesMessage(AccessError, "given by its numbering"):
            self.intervention.with_user(self.manager).write({"name": "INT-FAKE"})
        self.assertEqual(self._values(["name"])["name"], name)

    def test_dispatcher_hands_over_to_a_dispatcher_of_the_company_only(self):
        intervention = self.intervention.with_user(self.dispatcher)
        intervention.write({"dispatcher_id": self.manager.id})
        self.assertEqual(self.intervention.dispatcher_id, self.manager, "a colleague takes it over")
        intervention.write({"dispatcher_id": self.dispatcher.id})
        self.assertEqual(self.intervention.dispatcher_id, self.dispatcher, "and gives it back")
        for user in (self.technician, self.credit_controller, self.dispatcher_b, self.env.ref("base.user_root")):
            with self.subTest(user=user.login):
                with self.assertRaisesMessage(ValidationError, "is not a dispatcher of"):
                    intervention.write({"dispatcher_id": user.id})
        with self.assertRaisesMessage(ValidationError, "is not a dispatcher of"):
            self.env["service.intervention"].with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "dispatcher_id": self.technician.id}
            )
        with self.assertRaisesMessage(AccessError, "A technician may not change"):
            self.intervention.with_user(self.technician).write({"dispatcher_id": self.manager.id})
        self.assertEqual(self._values(["dispatcher_id"])["dispatcher_id"][0], self.dispatcher.id)

    @mute_logger("odoo.models")
    def test_technicians_and_company_are_those_of_the_intervention(self):
        technician_b = new_company_user(
            self.env, "technician_b_doors", "service_management.group_service_technician", self.company_b
        )
        intervention = self.intervention.with_user(self.dispatcher)
        for vals in ({"user_id": technician_b.id}, {"helper_ids": [Command.link(technician_b.id)]}):
            with self.subTest(vals=vals), self.assertRaisesMessage(UserError, "Incompatible companies"):
                intervention.write(vals)
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.env["service.intervention"].with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "user_id": technician_b.id}
            )
        with self.assertRaisesMessage(UserError, "set when it is created"):
            intervention.write({"company_id": self.company_b.id})
        values = self._values(["user_id", "helper_ids", "company_id"])
        self.assertEqual(values["user_id"][0], self.technician.id)
        self.assertEqual((values["helper_ids"], values["company_id"][0]), ([], self.company.id), "nothing written")
        intervention.write({"company_id": self.company.id})  # the same company: a form saving it again
        technician_b.company_ids = [Command.link(self.company.id)]
        intervention.write({"helper_ids": [Command.link(technician_b.id)]})
        self.assertEqual(self.intervention.helper_ids, technician_b, "allowed in the company: may help")

    def test_actual_times_and_signing_time_come_from_their_buttons(self):
        intervention = self.intervention.with_user(self.dispatcher)
        for name in ("actual_start", "actual_end", "signed_on"):
            with self.subTest(field=name):
                with self.assertRaisesMessage(AccessError, "only a service manager may correct them"):
                    intervention.write({name: datetime(2026, 1, 5, 9, 0)})
                with self.assertRaisesMessage(AccessError, "only a service manager may correct them"):
                    self.env["service.intervention"].with_user(self.dispatcher).create(
                        {"partner_id": self.customer.id, name: datetime(2026, 1, 5, 9, 0)}
                    )
        self.assertEqual(
            self._values(["actual_start", "actual_end", "signed_on"]),
            {"id": self.intervention.id, "actual_start": False, "actual_end": False, "signed_on": False},
        )
        on_site = self.intervention.with_user(self.technician)
        on_site.action_start()
        on_site.write({"signature": PIXEL, "signed_by": "M. Martin"})
        self.assertTrue(self.intervention.actual_start)
        self.assertTrue(self.intervention.signed_on, "signing dates the signature")

    def test_manager_corrects_the_times_traced_in_the_chatter(self):
        self.intervention.with_user(self.technician).action_start()
        self.intervention.with_user(self.technician).action_done()
        end = self.intervention.actual_end
        corrected = end + timedelta(hours=1)
        self.intervention.with_user(self.manager).write({"actual_end": corrected})
        self.assertEqual(self.intervention.actual_end, corrected)
        note = self.intervention.message_ids[0]
        self.assertIn(f"Corrected by {self.manager.name}", note.body)
        self.assertIn("Actual End", note.body)
        self.assertEqual(note.author_id, self.manager.partner_id)
        with self.assertRaisesMessage(ValidationError, "cannot end before it starts"):
            self.intervention.with_user(self.manager).write(
                {"actual_end": self.intervention.actual_start - timedelta(days=1)}
            )

    def test_photos_are_attachments_of_this_intervention_the_user_reads(self):
        Attachment = self.env["ir.attachment"]
        uploaded = Attachment.with_user(self.technician).create(
            {"name": "door.png", "raw": base64.b64decode(PIXEL), "res_model": "service.intervention", "res_id": 0}
        )
        mine = Attachment.with_user(self.technician).create({"name": "mine.png", "raw": base64.b64decode(PIXEL)})
        own = Attachment.create(
            {
                "name": "board.png",
                "raw": base64.b64decode(PIXEL),
                "res_model": "service.intervention",
                "res_id": self.intervention.id,
            }
        )
        on_site = self.intervention.with_user(self.technician)
        on_site.write({"photo_ids": [Command.link(uploaded.id), Command.link(own.id), Command.link(mine.id)]})
        self.assertEqual(self.intervention.photo_ids, uploaded | own | mine)

        contract_scan = Attachment.create(
            {"name": "contract.pdf", "raw": b"%PDF-1.4", "res_model": "res.partner", "res_id": self.customer.id}
        )
        other = self.env["service.intervention"].create({"partner_id": self.customer.id})
        other_photo = Attachment.create(
            {
                "name": "other.png",
                "raw": base64.b64decode(PIXEL),
                "res_model": "service.intervention",
                "res_id": other.id,
            }
        )
        # a file uploaded by someone else and attached to nothing: only its author reads it
        someone_elses = Attachment.with_user(self.credit_controller).create({"name": "private.png", "raw": b"secret"})
        intervention_b = (
            self.env["service.intervention"]
            .with_company(self.company_b)
            .create({"partner_id": self.other_customer.id, "company_id": self.company_b.id})
        )
        photo_b = Attachment.create(
            {
                "name": "b.png",
                "raw": base64.b64decode(PIXEL),
                "res_model": "service.intervention",
                "res_id": intervention_b.id,
                "company_id": self.company_b.id,
            }
        )
        for attachment in (contract_scan, other_photo, someone_elses, photo_b):
            for user in (self.technician, self.dispatcher, self.manager):
                with self.subTest(attachment=attachment.name, user=user.login):
                    with self.assertRaises(AccessError):
                        self.intervention.with_user(user).write({"photo_ids": [Command.link(attachment.id)]})
                    with self.assertRaises(AccessError):
                        self.intervention.with_user(user).write(
                            {"photo_ids": [Command.set((uploaded | attachment).ids)]}
                        )
        with self.assertRaises(AccessError):
            self.env["service.intervention"].with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "photo_ids": [Command.set(contract_scan.ids)]}
            )
        with self.assertRaisesMessage(UserError, "no longer exists"):
            on_site.write({"photo_ids": [Command.link(someone_elses.id + 1000)]})
        self.assertEqual(self.intervention.photo_ids, uploaded | own | mine, "nothing linked")

    def test_malformed_dates_leave_nothing_half_written(self):
        Intervention = self.env["service.intervention"].with_user(self.dispatcher)
        count = Intervention.search_count([])
        with self.assertRaises(ValueError):
            Intervention.create(
                [
                    {"partner_id": self.customer.id, "planned_start": "2026-02-02 08:00:00"},
                    {"partner_id": self.customer.id, "planned_start": "02/31/2026"},
                ]
            )
        self.assertEqual(Intervention.search_count([]), count, "neither the good nor the bad one")
        before = self._values(["description", "planned_start", "priority"])
        for value in ("31/12/2026 08:00", "2026-13-01", "tomorrow"):
            with self.subTest(value=value):
                with self.assertRaises(ValueError):
                    self.intervention.with_user(self.dispatcher).write(
                        {"description": "<p>Changed</p>", "priority": "3", "planned_start": value}
                    )
        self.assertEqual(self._values(["description", "planned_start", "priority"]), before)


@tagged("post_install", "-at_install")
class TestCollectionLinks(BillingCommon):
    """The intervention of a payment or an invoice line is set by the collection on site and the billing only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_company_user(
            cls.env, "accountant_links", "account.group_account_invoice,account.group_account_user", cls.company
        )
        cls.intervention = cls.env["service.intervention"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id}
        )
        cls.other = cls.env["service.intervention"].create({"partner_id": cls.customer.id})
        cls.intervention.with_user(cls.technician).action_start()
        wizard = (
            cls.env["service.intervention.payment.wizard"]
            .with_user(cls.dispatcher)
            .create({"intervention_id": cls.intervention.id, "method": "cash", "amount": 50.0})
        )
        cls.payment = wizard._collect_payment()

    @mute_logger("odoo.models")
    def test_accountant_cannot_move_a_collected_payment_to_another_intervention(self):
        self.assertEqual(self.payment.service_intervention_id, self.intervention, "set by the collection")
        payment = self.payment.with_user(self.accountant)
        for vals in (
            {"service_intervention_id": self.other.id},
            {"service_intervention_id": False},
            {"collected_by_id": self.accountant.id},
            {"service_collection_method": "card"},
            {"service_credit_noted": True},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    payment.write(vals)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.env["account.payment"].with_user(self.accountant).create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "service_intervention_id": self.other.id,
                }
            )
        self.payment.invalidate_recordset()
        self.assertEqual(self.payment.service_intervention_id, self.intervention)
        self.assertEqual(self.other.collected_amount, 0.0)
        payment.write({"memo": "Checked"})  # the rest of the payment is the accountant's
        self.assertEqual(self.payment.memo, "Checked")

    @mute_logger("odoo.models")
    def test_accountant_cannot_bill_an_intervention_by_hand(self):
        Move = self.env["account.move"].with_user(self.accountant)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create({"name": "Repair", "price_unit": 10.0, "service_intervention_id": self.other.id})
                    ],
                }
            )
        invoice = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Repair", "price_unit": 10.0})],
            }
        )
        line = invoice.invoice_line_ids
        for vals in (
            {"service_intervention_id": self.other.id},
            {"service_period_start": date(2026, 1, 1)},
            {"service_period_end": date(2026, 1, 31)},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    line.write(vals)
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    invoice.write({"invoice_line_ids": [Command.update(line.id, vals)]})
        for vals in ({"service_billing": True}, {"service_deferral_next_date": date(2026, 1, 31)}):
            with self.subTest(move=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    invoice.write(vals)
        self.assertFalse(invoice.service_billing)
        self.assertFalse(self.other.invoice_line_ids, "the intervention is not billed by hand")
        self.assertEqual(self.other.invoice_state, "none")

    def test_billing_still_links_its_lines(self):
        done = self._create_done_intervention(hours=1.0, end=fields.Datetime.now() - timedelta(days=40))
        invoice = done.with_user(self.accountant).action_bill_now() and done.invoice_id
        self.assertTrue(invoice, "billed by the billing, as the accountant")
        self.assertEqual(invoice.invoice_line_ids.service_intervention_id, done)


@tagged("post_install", "-at_install")
class TestContractRecordsWrittenByTheApplication(BillingCommon):
    """A contract's termination, alerts and billing error, its amendments once recorded, how far its preventive
    visits are planned, and whether a service order is done: the application's, not the dispatcher's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_billing_contract()
        cls.line = cls.contract.line_ids

    @mute_logger("odoo.models")
    def test_dispatcher_cannot_rewrite_what_the_application_recorded(self):
        contract = self.contract.with_user(self.dispatcher)
        for vals in (
            {"name": "SC-FAKE"},
            {"termination_date": date(2025, 6, 30)},
            {"termination_note": "Never"},
            {"notice_alert_done": True},
            {"expiry_alert_done": True},
            {"billing_error": "Hidden"},
        ):
            with self.subTest(contract=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    contract.write(vals)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            self.line.with_user(self.dispatcher).write({"preventive_planned_until": date(2030, 1, 1)})
        order = self.env["service.order"].create({"name": "Works", "partner_id": self.customer.id})
        with self.assertRaisesMessage(AccessError, "set by the application"):
            order.with_user(self.dispatcher).write({"is_done": True})
        self.assertFalse(order.is_done)
        self.contract.invalidate_recordset()
        self.assertFalse(self.contract.termination_date)
        self.assertFalse(self.line.preventive_planned_until)

    @mute_logger("odoo.models")
    def test_amendment_is_recorded_once_and_never_rewritten(self):
        Amendment = self.env["service.contract.amendment"].with_user(self.dispatcher)
        amendment = Amendment._create_amendment(
            self.contract, date(2099, 1, 1), {self.line: {"price_unit": 350.0}}, "New price"
        )
        self.assertEqual((amendment.state, amendment.user_id), ("scheduled", self.dispatcher), "recorded by the code")
        change = amendment.change_ids
        for vals in ({"date": date(2025, 1, 1)}, {"state": "applied"}, {"user_id": self.manager.id}, {"reason": "x"}):
            with self.subTest(amendment=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    amendment.write(vals)
        for vals in ({"new_value_raw": "9999.0"}, {"new_value_float": 9999.0}, {"old_value": "0"}):
            with self.subTest(change=vals):
                with self.assertRaisesMessage(AccessError, "set by the application"):
                    change.with_user(self.dispatcher).write(vals)
        with self.assertRaisesMessage(AccessError, "set by the application"):
            Amendment.create({"name": "FAKE", "contract_id": self.contract.id, "date": date(2025, 1, 1)})
        amendment.invalidate_recordset()
        change.invalidate_recordset()
        self.assertEqual((amendment.date, change.new_value_float), (date(2099, 1, 1), 350.0))
        with freeze_time("2099-01-02"):
            Amendment.sudo()._cron_apply_amendments()
        self.assertEqual((amendment.state, self.line.price_unit), ("applied", 350.0), "the job applies it")
