from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestPaymentBounds(ServiceCommon):
    """What is collected on site is bounded by what is due, goes to the intervention's customer, and the
    collection belongs to the one who makes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_20 = cls.env["account.tax"].create(
            {"name": "VAT 20 (payment test)", "amount": 20, "type_tax_use": "sale"}
        )
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Circulation pump",
                "type": "consu",
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.tax_20.ids)],
            }
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Labour (payment test)", "type": "service", "list_price": 60.0, "taxes_id": [Command.clear()]}
        )
        cls.company.service_labour_product_id = cls.labour
        cls.intervention = cls.env["service.intervention"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id, "intervention_type": "corrective"}
        )
        cls.intervention.action_start()
        cls.env["service.intervention.part"].create({"intervention_id": cls.intervention.id, "product_id": cls.pump.id})
        cls.billing_user = new_test_user(
            cls.env,
            login="billing_clerk",
            groups="account.group_account_invoice,service_management.group_service_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _wizard(self, user, amount, intervention=None):
        return (
            self.env["service.intervention.payment.wizard"]
            .with_user(user)
            .create({"intervention_id": (intervention or self.intervention).id, "amount": amount, "method": "cash"})
        )

    def _payments(self):
        return self.env["account.payment"].search([("service_intervention_id", "=", self.intervention.id)])

    def test_technician_collects_up_to_the_parts_taxes_included(self):
        self.assertEqual(self.intervention._get_amount_collectable(), 120.0, "the part, VAT included")
        with self.assertRaisesMessage(UserError, "more than what is due"):
            self._wizard(self.technician, 120.01).action_collect()
        self.assertFalse(self._payments(), "nothing posted")
        self._wizard(self.technician, 120.0).action_collect()
        payment = self._payments()
        self.assertEqual(
            (payment.amount, payment.partner_id, payment.memo), (120.0, self.customer, self.intervention.name)
        )
        with self.assertRaisesMessage(UserError, "more than what is due"):
            self._wizard(self.technician, 1.0).action_collect()
        self.assertEqual(len(self._payments()), 1, "what was collected is deducted")

    def test_billable_labour_counts_at_the_rate_of_its_type(self):
        start = fields.Datetime.now() - timedelta(hours=3)
        self.intervention.write({"actual_start": start, "actual_end": start + timedelta(hours=2)})
        self.assertEqual(self.intervention.coverage, "billable")
        self.assertEqual(self.intervention._get_amount_collectable(), 120.0 + 2 * 60.0)
        self._wizard(self.technician, 240.0).action_collect()
        self.assertEqual(self._payments().amount, 240.0)

    def test_dispatcher_may_collect_more(self):
        self._wizard(self.dispatcher, 999.0).action_collect()
        self.assertEqual(self._payments().amount, 999.0)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_collection_belongs_to_its_creator(self):
        wizard = self._wizard(self.technician, 50.0)
        other_technician = self._create_service_user("technician_other", "service_management.group_service_technician")
        for user in (self.dispatcher, other_technician, self.dispatcher_b):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    wizard.with_user(user).read(["amount"])
                with self.assertRaises(AccessError):
                    wizard.with_user(user).write({"amount": 5000.0})
        wizard.invalidate_recordset()
        self.assertEqual(wizard.amount, 50.0)
        self.assertFalse(self._payments())

    def test_customer_is_fixed_once_the_work_has_started(self):
        with self.assertRaises(AccessError):
            self.intervention.with_user(self.technician).write({"partner_id": self.other_customer.id})
        with self.assertRaisesMessage(UserError, "cannot change once the work has started"):
            self.intervention.with_user(self.dispatcher).write({"partner_id": self.other_customer.id})
        self.assertEqual(self.intervention.partner_id, self.customer)
        planned = self.env["service.intervention"].create({"partner_id": self.customer.id})
        planned.with_user(self.dispatcher).write({"partner_id": self.other_customer.id})
        self.assertEqual(planned.partner_id, self.other_customer, "before the start, the dispatcher may")

    def test_payment_goes_to_the_commercial_partner(self):
        branch = self.env["res.partner"].create({"name": "Agence Nord", "parent_id": self.customer.id})
        intervention = self.env["service.intervention"].create({"partner_id": branch.id, "user_id": self.technician.id})
        intervention.action_start()
        wizard = self._wizard(self.dispatcher, 10.0, intervention)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard._collect_payment().partner_id, self.customer)

    def test_dispatcher_sees_the_payments_collected_on_site_only(self):
        self._wizard(self.technician, 100.0).action_collect()
        on_site = self._payments()
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        other = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.other_customer.id,
                "amount": 450.0,
                "journal_id": bank.id,
            }
        )
        dispatcher_sees = self.env["account.payment"].with_user(self.dispatcher).search([])
        self.assertIn(on_site, dispatcher_sees)
        self.assertNotIn(other, dispatcher_sees)
        with self.assertRaises(AccessError):
            other.with_user(self.dispatcher).read(["amount"])
        billing_sees = self.env["account.payment"].with_user(self.billing_user).search([])
        self.assertIn(on_site, billing_sees)
        self.assertIn(other, billing_sees, "an accountant who also dispatches sees every payment")
        self.assertIn(other, self.env["account.payment"].with_user(self.credit_controller).search([]))
