from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterventionReceivable(DunningCommon):
    def test_invoiced_paid_unpaid_per_intervention(self):
        first, second = self.env["service.intervention"].create(
            [{"partner_id": self.customer.id}, {"partner_id": self.customer.id}]
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self.day,
                "invoice_date_due": self.day + timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Repair",
                            "price_unit": 600.0,
                            "tax_ids": [Command.clear()],
                            "service_intervention_id": first.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Visit",
                            "price_unit": 400.0,
                            "tax_ids": [Command.clear()],
                            "service_intervention_id": second.id,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        self.assertEqual((first.service_amount_invoiced, first.service_amount_unpaid), (600.0, 600.0))
        self._pay(move, 500.0, self.day + timedelta(days=5))
        (first | second).invalidate_recordset()
        self.assertEqual(first.service_amount_paid, 300.0, "paid in proportion of its share of the invoice")
        self.assertEqual(first.service_amount_unpaid, 300.0)
        self.assertEqual(second.service_amount_unpaid, 200.0)
        self.dispatcher.write({"company_ids": [Command.link(self.company.id)], "company_id": self.company.id})
        self.assertEqual(second.with_user(self.dispatcher).service_amount_invoiced, 400.0)
