from ast import literal_eval

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestInterventionPayment(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")
        cls.branch = cls.env["res.partner"].create(
            {"name": "Bellecour Gestion - Agence Nord", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.intervention = cls.env["service.intervention"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id, "intervention_type": "corrective"}
        )
        cls.intervention.action_start()
        # what is due bounds what a technician collects: a part worth more than the tests collect
        cls.pump = cls.env["product.product"].create(
            {"name": "Circulation pump", "type": "consu", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )
        cls._add_part(cls.intervention)
        Journal = cls.env["account.journal"]
        cls.cash_journal = Journal.search([("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1)
        cls.bank_journal = Journal.search([("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)

    @classmethod
    def _add_part(cls, intervention):
        cls.env["service.intervention.part"].create({"intervention_id": intervention.id, "product_id": cls.pump.id})

    def _collect(self, intervention=None, user=None, **vals):
        intervention = intervention or self.intervention
        wizard = (
            self.env["service.intervention.payment.wizard"]
            .with_user(user or self.technician)
            .create(dict({"intervention_id": intervention.id, "amount": 120.0, "method": "cash"}, **vals))
        )
        return wizard._collect_payment()

    def _payments(self, intervention=None):
        return self.env["account.payment"].search(
            [("service_intervention_id", "=", (intervention or self.intervention).id)]
        )

    def test_technician_collects_cash_as_a_posted_payment(self):
        self.assertTrue(self.cash_journal, "the test company has a chart of accounts")
        action = self.intervention.with_user(self.technician).action_collect_payment()
        with Form(self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"])) as form:
            self.assertEqual(form.reference, self.intervention.name)
            form.amount = 120.0
            form.method = "cash"
            wizard = form.save()
        wizard.action_collect()
        payment = self._payments()
        self.assertEqual(len(payment), 1)
        self.assertIn(payment.state, ("in_process", "paid"), "posted")
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(payment.payment_type, "inbound")
        self.assertEqual(payment.partner_type, "customer")
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(payment.amount, 120.0)
        self.assertEqual(payment.currency_id, self.company.currency_id)
        self.assertEqual(payment.journal_id, self.cash_journal)
        self.assertEqual(payment.memo, self.intervention.name)
        self.assertEqual(payment.collected_by_id, self.technician)
        self.assertEqual(payment.service_collection_method, "cash")
        self.assertEqual(self.intervention.with_user(self.technician).collected_amount, 120.0)
        self.assertEqual(self.intervention.payment_count, 1)
        self.assertIn("collected by", self.intervention.message_ids[0].body)

    def test_cheque_goes_to_the_bank_journal_for_the_commercial_partner(self):
        # a technician called by a branch of the customer: the customer pays
        intervention = self.env["service.intervention"].create(
            {"partner_id": self.branch.id, "user_id": self.technician.id}
        )
        self._add_part(intervention)
        payment = self._collect(intervention, method="cheque", cheque_number="0004521", amount=80.0)
        self.assertEqual(payment.journal_id, self.bank_journal)
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(payment.service_cheque_number, "0004521")
        self.assertIn("0004521", payment.memo)
        card = self._collect(intervention, method="card", cheque_number="ignored", amount=10.0)
        self.assertEqual(card.journal_id, self.bank_journal)
        self.assertFalse(card.service_cheque_number)

    def test_journals_chosen_in_the_settings(self):
        other_cash = self.env["account.journal"].create(
            {"name": "Technicians' Cash", "type": "cash", "code": "TCSH", "company_id": self.company.id}
        )
        settings = self.env["res.config.settings"].create({"service_cash_journal_id": other_cash.id})
        settings.execute()
        self.assertEqual(self.company.service_cash_journal_id, other_cash)
        self.assertEqual(self._collect().journal_id, other_cash)

    def test_amount_defaults_to_the_billable_parts_and_must_be_positive(self):
        part = self.env["product.product"].create(
            {
                "name": "Door contact",
                "type": "consu",
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
                "is_service_spare_part": True,
            }
        )
        self.intervention.part_ids = [Command.create({"product_id": part.id, "quantity": 2})]
        wizard = self.env["service.intervention.payment.wizard"].create({"intervention_id": self.intervention.id})
        self.assertEqual(wizard.amount, 1100.0)
        self.assertEqual(wizard.amount_due, 1100.0)
        self.assertEqual(wizard.reference, self.intervention.name, "the reference proposed is the intervention's")
        self._collect(amount=30.0)
        self.assertEqual(self.intervention._get_amount_due(), 1070.0, "less what was already collected")

        for amount in (0.0, -5.0):
            with self.assertRaisesMessage(UserError, "must be positive"):
                self._collect(amount=amount)
        self.assertEqual(len(self._payments()), 1, "nothing written")

    def test_technician_cannot_collect_on_another_technicians_intervention(self):
        theirs = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "user_id": self.other_technician.id}
        )
        self._add_part(theirs)
        with self.assertRaises(AccessError):
            self._collect(theirs)
        self.assertFalse(self._payments(theirs))
        self.assertTrue(self._collect(theirs, user=self.other_technician))

    def test_other_company_intervention_is_out_of_reach(self):
        customer_b = self.env["res.partner"].create({"name": "Client Sud", "company_id": self.company_b.id})
        values = {"partner_id": customer_b.id, "company_id": self.company_b.id}
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.env["service.intervention"].create(dict(values, user_id=self.technician.id))
        intervention_b = self.env["service.intervention"].create(values)
        with self.assertRaises(AccessError):
            intervention_b.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self._collect(intervention_b)
        self.assertFalse(self._payments(intervention_b))

    def test_company_without_journal_is_told_so(self):
        customer_b = self.env["res.partner"].create({"name": "Client Sud", "company_id": self.company_b.id})
        intervention_b = self.env["service.intervention"].create(
            {"partner_id": customer_b.id, "company_id": self.company_b.id}
        )
        with self.assertRaisesMessage(UserError, "no journal for payments collected on site"):
            self._collect(intervention_b, user=self.dispatcher_b)

    def test_payments_collected_report_by_collector(self):
        self._collect(amount=40.0)
        self._collect(amount=60.0, method="card")
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.account_payment_action_collected")
        groups = (
            self.env["account.payment"]
            .with_user(self.dispatcher)
            ._read_group(literal_eval(action["domain"]), ["collected_by_id"], ["amount:sum"])
        )
        self.assertIn((self.technician, 100.0), groups)
        smart = self.intervention.with_user(self.dispatcher).action_view_payments()
        self.assertEqual(
            sorted(self.env["account.payment"].with_user(self.dispatcher).search(smart["domain"]).mapped("amount")),
            [40.0, 60.0],
        )
        with self.assertRaises(AccessError):
            self.env["account.payment"].with_user(self.technician).search([])
        self.assertEqual(self.intervention.with_user(self.credit_controller).collected_amount, 100.0)

    def test_dispatcher_reads_the_collected_payments_list_and_the_workload(self):
        self._collect(amount=40.0)
        Payment = self.env["account.payment"].with_user(self.dispatcher)
        list_view = self.env.ref("service_management.account_payment_view_list_collected")
        arch = Payment.get_views([(list_view.id, "list")])["views"]["list"]["arch"]
        self.assertIn("collected_by_id", arch)
        specification = {
            "date": {},
            "name": {},
            "service_intervention_id": {"fields": {"display_name": {}}},
            "partner_id": {"fields": {"display_name": {}}},
            "collected_by_id": {"fields": {"display_name": {}}},
            "service_collection_method": {},
            "journal_id": {"fields": {"display_name": {}}},
            "amount": {},
            "state": {},
        }
        rows = Payment.web_search_read([("service_intervention_id", "!=", False)], specification)["records"]
        self.assertEqual(rows[0]["collected_by_id"]["display_name"], self.technician.name)
        self.assertEqual(rows[0]["journal_id"]["display_name"], self.cash_journal.display_name)
        action = Payment.browse(rows[0]["id"]).action_open_service_intervention()
        self.assertEqual((action["res_model"], action["res_id"]), ("service.intervention", self.intervention.id))

        workload = self.env["ir.actions.act_window"]._for_xml_id(
            "service_management.service_intervention_action_workload"
        )
        groups = (
            self.env["service.intervention"]
            .with_user(self.dispatcher)
            ._read_group(literal_eval(workload["domain"]), ["user_id"], ["__count"])
        )
        self.assertIn((self.technician, 1), groups)
