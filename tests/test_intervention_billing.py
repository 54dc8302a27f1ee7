from datetime import date, datetime

import psycopg2

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .billing_common import BillingCommon


@tagged("post_install", "-at_install")
class TestInterventionBilling(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.labour = cls.env["product.product"].create(
            {
                "name": "Corrective Labour (test)",
                "type": "service",
                "list_price": 80.0,
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "uom_po_id": cls.env.ref("uom.product_uom_hour").id,
            }
        )
        cls.env["service.labour.rate"].create({"intervention_type": "corrective", "product_id": cls.labour.id})
        cls.travel = cls.env["product.product"].create(
            {"name": "Travel Lyon (test)", "type": "service", "list_price": 40.0}
        )
        cls.company.service_travel_product_id = cls.travel
        cls.sensor = cls.env["product.product"].create(
            {"name": "Door Sensor (test)", "type": "consu", "list_price": 85.5, "is_service_spare_part": True}
        )
        cls.lift = cls._create_equipment(name="Lift B", installation_date=date(2015, 1, 1))

    def _billable_lines(self):
        return [
            fields.Command.create(
                {
                    "product_id": self.maintenance.id,
                    "price_unit": 100.0,
                    "cover_labour": "billable",
                    "cover_travel": "billable",
                }
            )
        ]

    def _add_part(self, intervention, product=None, quantity=2):
        return self.env["service.intervention.part"].create(
            {"intervention_id": intervention.id, "product_id": (product or self.sensor).id, "quantity": quantity}
        )

    def _lines(self, move):
        return [
            (line.name, line.quantity, line.price_unit)
            for line in move.invoice_line_ids
            if line.display_type == "product"
        ]

    def test_intervention_without_contract_charges_time_travel_and_parts(self):
        intervention = self._create_done_intervention(hours=2.5)
        self._add_part(intervention)
        self.assertEqual(intervention.invoice_state, "to_invoice")
        self.assertTrue(intervention.billing_due)
        invoice = intervention._bill_interventions(date(2025, 3, 11))
        self.assertFalse(intervention.billing_error)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            self._lines(invoice),
            [
                ("Labour: 2.50 h (Corrective)", 2.5, 80.0),
                ("Travel Lyon (test)", 1.0, 40.0),
                ("Door Sensor (test)", 2.0, 85.5),
            ],
        )
        self.assertEqual(invoice.amount_untaxed, 411.0)
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.state, "draft")
        section = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        self.assertIn(intervention.name, section.name)
        self.assertEqual(intervention.invoice_state, "invoiced")
        self.assertEqual(intervention.invoice_id, invoice)
        self.assertEqual(len(intervention.invoice_line_ids), 4)
        self.assertFalse(intervention.billing_due)
        self.assertFalse(intervention._bill_interventions(date(2025, 3, 12)), "billed once")

    def test_contract_covers_labour_and_travel_shown_at_zero_or_left_out(self):
        contract = self._create_billing_contract(
            rule="intervention",
            lines=[
                fields.Command.create(
                    {
                        "product_id": self.maintenance.id,
                        "price_unit": 100.0,
                        "cover_labour": "included",
                        "cover_travel": "included",
                        "cover_parts": "billable",
                        "equipment_ids": [fields.Command.set(self.lift.ids)],
                    }
                )
            ],
        )
        intervention = self._create_done_intervention(equipment_id=self.lift.id)
        self.assertEqual(intervention.contract_id, contract)
        self.assertEqual(intervention.coverage, "contract")
        self._add_part(intervention, quantity=1)
        invoice = intervention._bill_interventions(date(2025, 3, 11))
        self.assertEqual(
            self._lines(invoice),
            [
                ("Labour: 2.00 h (Corrective)" + " (covered)", 2.0, 0.0),
                ("Travel Lyon (test) (covered)", 1.0, 0.0),
                ("Door Sensor (test)", 1.0, 85.5),
            ],
        )
        self.assertEqual(invoice.service_contract_id, contract)

        self.company.service_covered_lines = "hide"
        second = self._create_done_intervention(equipment_id=self.lift.id, end=datetime(2025, 3, 12, 12, 0))
        self._add_part(second, quantity=3)
        invoice = second._bill_interventions(date(2025, 3, 13))
        self.assertEqual(self._lines(invoice), [("Door Sensor (test)", 3.0, 85.5)])

    def test_warranty_work_is_not_charged(self):
        self.env["service.equipment.warranty"].create(
            {
                "equipment_id": self.lift.id,
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "cover_labour": True,
                "cover_parts": True,
                "cover_travel": True,
            }
        )
        intervention = self._create_done_intervention(equipment_id=self.lift.id)
        self._add_part(intervention)
        self.assertEqual(intervention.coverage, "warranty")
        self.assertEqual(intervention.invoice_state, "covered")
        self.assertFalse(intervention.billing_due)
        self.assertFalse(intervention._bill_interventions(date(2025, 3, 11)))

    def test_service_order_waits_for_its_last_intervention(self):
        contract = self._create_billing_contract(
            rule="service_order", invoice_policy="post_send", lines=self._billable_lines()
        )
        order = self.env["service.order"].create(
            {"name": "Modernisation", "partner_id": self.customer.id, "contract_id": contract.id}
        )
        first = self._create_done_intervention(contract_id=contract.id, service_order_id=order.id)
        second = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "contract_id": contract.id, "service_order_id": order.id}
        )
        self.assertEqual(first.invoice_state, "to_invoice")
        self.assertFalse(first.billing_due, "its service order is not finished")
        self.assertFalse(contract._bill(date(2025, 3, 11)))
        second.write(
            {
                "actual_start": datetime(2025, 3, 12, 8, 0),
                "actual_end": datetime(2025, 3, 12, 9, 0),
                "stage_id": self.done_stage.id,
            }
        )
        self.assertTrue(order.is_done)
        invoice = contract._bill(date(2025, 3, 13))
        self.assertEqual(len(invoice), 1, "one invoice for the whole order")
        self.assertEqual(invoice.state, "posted", "the contract posts and sends its invoices")
        self.assertEqual((first | second).mapped("invoice_state"), ["invoiced", "invoiced"])
        self.assertEqual(invoice.invoice_line_ids.service_intervention_id, first | second)

    def test_month_end_groups_a_customers_work_once_the_month_is_over(self):
        contract = self._create_billing_contract(rule="month_end", lines=self._billable_lines())
        first = self._create_done_intervention(contract_id=contract.id, end=datetime(2025, 3, 3, 12, 0))
        second = self._create_done_intervention(contract_id=contract.id, end=datetime(2025, 3, 28, 12, 0))
        self.assertFalse(contract._bill(date(2025, 3, 31)))
        invoice = contract._bill(date(2025, 4, 1))
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.invoice_line_ids.service_intervention_id, first | second)
        self.assertEqual(invoice.invoice_date, date(2025, 4, 1))

    def test_the_database_refuses_to_invoice_an_intervention_twice(self):
        intervention = self._create_done_intervention()
        invoice = intervention._bill_interventions(date(2025, 3, 11))
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "display_type": "line_section",
                                "name": "Again",
                                "service_intervention_id": intervention.id,
                            }
                        )
                    ],
                }
            )
        invoice.button_cancel()
        self.assertEqual(intervention.invoice_state, "to_invoice", "a cancelled invoice frees the work")
        again = intervention._bill_interventions(date(2025, 3, 12))
        self.assertEqual(intervention.invoice_id, again)
