from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .billing_common import BillingCommon
from .common import new_company_user


@tagged("post_install", "-at_install")
class TestPaymentMatching(BillingCommon):
    """A payment collected on site pays the invoice of its work, whichever comes first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_matching",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Valve (test)",
                "type": "consu",
                "list_price": 40.0,
                "taxes_id": [fields.Command.set(cls.tax_20.ids)],
            }
        )
        cls.boiler = cls._create_equipment(name="Boiler W")

    def _warranty(self, cover_parts=False):
        return self.env["service.equipment.warranty"].create(
            {
                "equipment_id": self.boiler.id,
                "date_start": self.today - timedelta(days=30),
                "date_end": self.today + timedelta(days=300),
                "cover_labour": True,
                "cover_parts": cover_parts,
                "cover_travel": True,
            }
        )

    def _started(self, **vals):
        intervention = self.env["service.intervention"].create(
            dict(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.technician.id,
                    "intervention_type": "corrective",
                    "equipment_id": self.boiler.id,
                },
                **vals,
            )
        )
        intervention.with_user(self.technician).action_start()
        self.env["service.intervention.part"].create(
            {"intervention_id": intervention.id, "product_id": self.valve.id, "quantity": 1}
        )
        return intervention

    def _collect(self, intervention, amount=None, user=None):
        """Collect on site; a technician collects at most what is due, a dispatcher decides more."""
        wizard = (
            self.env["service.intervention.payment.wizard"]
            .with_user(user or self.technician)
            .create({"intervention_id": intervention.id, "method": "cash"})
        )
        if amount is not None:
            wizard.amount = amount
        return wizard._collect_payment()

    def _bill_and_post(self, interventions):
        interventions.with_user(self.clerk).action_bill_now()
        invoice = interventions.invoice_id
        if invoice.state == "draft":
            invoice.with_user(self.clerk).action_post()
        return invoice

    def _aging(self, partner):
        lines = self.env["service.receivable.aging"].search([("partner_id", "=", partner.id)])
        return sum(lines.mapped("amount_residual"))

    def test_warranty_job_paid_on_site_then_billed_ends_paid(self):
        self._warranty()
        intervention = self._started()
        payment = self._collect(intervention)
        self.assertEqual(payment.amount, 48.0, "the valve, taxes included: labour and travel are covered")
        self.assertEqual(self._aging(self.customer), -48.0, "before billing, the payment is a credit")
        intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.invoice_state, "to_invoice")
        self.assertFalse(intervention.message_ids.filtered(lambda m: "outstanding credit" in (m.body or "")))
        invoice = self._bill_and_post(intervention)
        self.assertEqual(invoice.amount_total, 48.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(intervention.service_amount_paid, 48.0)
        self.assertEqual(intervention.service_amount_unpaid, 0.0)
        self.assertEqual(self._aging(self.customer), 0.0)
        self.assertEqual(self.customer.service_total_unpaid, 0.0)
        run = self.env["service.dunning.run"].new({"company_id": self.company.id, "date": self.today})
        dunnable = self.env["account.move"].search(run._get_invoice_domain(self.today + timedelta(days=365)))
        self.assertNotIn(invoice, dunnable, "a paid invoice is not dunned")

    def test_billed_first_then_collected_on_site(self):
        intervention = self._started(equipment_id=False)
        intervention.with_user(self.technician).action_done()
        invoice = self._bill_and_post(intervention)
        self.assertEqual(invoice.payment_state, "not_paid")
        self._collect(intervention, amount=invoice.amount_total)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"), "matched as soon as it is collected")
        self.assertEqual(intervention.service_amount_unpaid, 0.0)
        self.assertEqual(self._aging(self.customer), 0.0)

    def test_partial_payment_leaves_the_rest_due(self):
        self._warranty()
        intervention = self._started()
        self._collect(intervention, amount=20.0)
        intervention.with_user(self.technician).action_done()
        invoice = self._bill_and_post(intervention)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 28.0)
        self.assertEqual(intervention.service_amount_unpaid, 28.0)
        self.assertEqual(self._aging(self.customer), 28.0)

    def test_over_payment_stays_as_credit_of_the_customer(self):
        self._warranty()
        intervention = self._started()
        payment = self._collect(intervention, amount=60.0, user=self.dispatcher)
        intervention.with_user(self.technician).action_done()
        invoice = self._bill_and_post(intervention)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        credit = payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(credit.amount_residual, -12.0)
        self.assertEqual(credit.partner_id, self.customer)
        self.assertEqual(self._aging(self.customer), -12.0)

    def test_month_end_invoice_takes_the_payments_of_all_its_interventions(self):
        contract = self._create_billing_contract(
            rule="month_end",
            start=self.today - timedelta(days=60),
            lines=[
                fields.Command.create(
                    {
                        "product_id": self.maintenance.id,
                        "price_unit": 100.0,
                        "cover_labour": "included",
                        "cover_travel": "included",
                        "cover_parts": "billable",
                    }
                )
            ],
        )
        first = self._started(equipment_id=False, contract_id=contract.id)
        second = self._started(equipment_id=False, contract_id=contract.id)
        self._collect(first, amount=48.0)
        self._collect(second, amount=30.0)
        self._collect(second, amount=18.0)
        (first | second).with_user(self.technician).action_done()
        next_month = self.today.replace(day=1) + timedelta(days=32)
        invoice = (first | second)._bill_interventions(next_month)
        self.assertEqual(invoice.invoice_line_ids.service_intervention_id, first | second)
        if invoice.state == "draft":
            invoice.with_user(self.clerk).action_post()
        self.assertEqual(invoice.amount_total, 96.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"), "three payments of two visits on one invoice")
        self.assertEqual(first.service_amount_unpaid + second.service_amount_unpaid, 0.0)

    def test_payment_of_work_with_nothing_to_bill_is_noted_once_as_credit(self):
        self._warranty(cover_parts=True)
        intervention = self._started()
        payment = self._collect(intervention, amount=48.0, user=self.dispatcher)
        intervention.with_user(self.technician).action_done()
        self.assertEqual(intervention.invoice_state, "covered")
        notes = intervention.message_ids.filtered(lambda m: "outstanding credit" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("48.00", notes.body)
        self.assertTrue(payment.service_credit_noted)
        intervention._service_match_payments()
        notes = intervention.message_ids.filtered(lambda m: "outstanding credit" in (m.body or ""))
        self.assertEqual(len(notes), 1, "noted once")
        self.assertEqual(self._aging(self.customer), -48.0, "the payment stays as the customer's credit")

    def test_payment_of_another_customer_is_not_matched(self):
        intervention = self._started(equipment_id=False)
        intervention.with_user(self.technician).action_done()
        invoice = self._bill_and_post(intervention)
        other = self._started(equipment_id=False, partner_id=self.other_customer.id)
        payment = self._collect(other, amount=invoice.amount_total, user=self.dispatcher)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(payment.move_id.line_ids.filtered("reconciled"))

    def test_invoice_in_the_contract_currency_is_paid_by_the_local_payment(self):
        other = "EUR" if self.company.currency_id.name != "EUR" else "USD"
        currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", other)])
        currency.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": currency.id, "name": self.today - timedelta(days=400), "rate": 2.0}
        )
        pricelist = self.env["product.pricelist"].create({"name": f"Prices in {other}", "currency_id": currency.id})
        contract = self._create_billing_contract(
            rule="intervention",
            start=self.today - timedelta(days=60),
            pricelist_id=pricelist.id,
            lines=[
                fields.Command.create(
                    {
                        "product_id": self.maintenance.id,
                        "price_unit": 100.0,
                        "cover_labour": "included",
                        "cover_travel": "included",
                        "cover_parts": "billable",
                    }
                )
            ],
        )
        intervention = self._started(equipment_id=False, contract_id=contract.id)
        payment = self._collect(intervention, amount=48.0)
        self.assertEqual(payment.currency_id, self.company.currency_id)
        intervention.with_user(self.technician).action_done()
        invoice = self._bill_and_post(intervention)
        self.assertEqual(invoice.currency_id, currency)
        self.assertEqual(invoice.amount_total, 96.0, "the valve at the contract currency's rate, taxes included")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._aging(self.customer), 0.0)

    def test_company_b_collects_bills_and_matches_without_touching_company_a(self):
        company_b = self.company_b
        self.env["account.chart.template"].try_loading("generic_coa", company=company_b, install_demo=False)
        technician_b = new_company_user(
            self.env, "tech_matching_b", "service_management.group_service_technician", company_b
        )
        clerk_b = new_company_user(self.env, "clerk_matching_b", "account.group_account_invoice", company_b)
        invoice_a = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [fields.Command.create({"product_id": self.valve.id, "price_unit": 40.0})],
            }
        )
        invoice_a.action_post()
        residual_a = invoice_a.amount_residual
        intervention = (
            self.env["service.intervention"]
            .with_company(company_b)
            .create(
                {
                    "company_id": company_b.id,
                    "partner_id": self.customer.id,
                    "user_id": technician_b.id,
                    "intervention_type": "corrective",
                }
            )
        )
        intervention.with_user(technician_b).action_start()
        self.env["service.intervention.part"].create(
            {"intervention_id": intervention.id, "product_id": self.valve.id, "quantity": 1, "price_unit": 40.0}
        )
        payment = self._collect(intervention, amount=30.0, user=self.dispatcher_b)
        self.assertEqual(payment.company_id, company_b)
        intervention.with_user(technician_b).action_done()
        intervention.with_user(clerk_b).action_bill_now()
        invoice_b = intervention.invoice_id
        self.assertEqual(invoice_b.company_id, company_b)
        if invoice_b.state == "draft":
            invoice_b.with_user(clerk_b).action_post()
        self.assertEqual(invoice_b.payment_state, "partial", "company B's payment pays company B's invoice")
        self.assertEqual(invoice_b.amount_residual, invoice_b.amount_total - 30.0)
        paid = payment.move_id.line_ids.matched_debit_ids.debit_move_id.move_id
        self.assertEqual(paid, invoice_b, "and nothing else")
        self.assertEqual(
            (invoice_a.payment_state, invoice_a.amount_residual), ("not_paid", residual_a), "company A untouched"
        )
        self.assertFalse(invoice_a.line_ids.matched_credit_ids)
        with self.assertRaises(AccessError):
            invoice_a.with_user(clerk_b).read(["amount_residual"])
