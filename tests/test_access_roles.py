from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestDunningHistoryReadOnly(ServiceCommon):
    """The dunning history records what was sent: credit controllers read it, only the dunning run writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        policy = cls.env["service.dunning.policy"].create(
            {"name": "History", "level_ids": [Command.create({"name": "First", "days": 5, "send_email": False})]}
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"name": "Maintenance", "price_unit": 100.0})],
            }
        )
        cls.history = cls.env["service.dunning.history"].create(
            {
                "move_id": cls.invoice.id,
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "level_id": policy.level_ids.id,
                "date": date(2025, 5, 1),
                "days_late": 12,
            }
        )
        cls.level = policy.level_ids

    def test_credit_controller_reads_the_history(self):
        self.assertEqual(self.history.with_user(self.credit_controller).read(["days_late"])[0]["days_late"], 12)

    def test_credit_controller_cannot_change_the_history(self):
        history = self.history.with_user(self.credit_controller)
        with self.assertRaises(AccessError):
            history.write({"days_late": 1, "date": date(2025, 6, 1)})
        self.assertEqual((self.history.days_late, self.history.date), (12, date(2025, 5, 1)))

    def test_credit_controller_cannot_delete_the_history(self):
        with self.assertRaises(AccessError):
            self.history.with_user(self.credit_controller).unlink()
        self.assertTrue(self.history.exists())

    def test_credit_controller_cannot_add_history(self):
        History = self.env["service.dunning.history"].with_user(self.credit_controller)
        with self.assertRaises(AccessError):
            History.create(
                {
                    "move_id": self.invoice.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": self.level.id,
                    "date": date(2025, 6, 1),
                }
            )
        self.assertEqual(self.env["service.dunning.history"].search_count([("move_id", "=", self.invoice.id)]), 1)

    def test_not_even_a_manager_with_every_right_edits_it(self):
        # the administrator holds every group: the history still refuses changes made outside the dunning run
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesMessage(AccessError, "records what was sent"):
            self.history.with_user(admin).write({"days_late": 1})
        self.assertEqual(self.history.days_late, 12)
