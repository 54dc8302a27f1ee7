from datetime import date, datetime

from odoo import fields

from .common import ServiceCommon


class BillingCommon(ServiceCommon):
    """A taxed maintenance service, a payment term, an analytic account and helpers to bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_20 = cls.env["account.tax"].create(
            {"name": "VAT 20 (billing test)", "amount": 20, "type_tax_use": "sale"}
        )
        cls.maintenance = cls.env["product.product"].create(
            {
                "name": "Lift Maintenance (billing)",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [fields.Command.set(cls.tax_20.ids)],
            }
        )
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        plan = cls.env["account.analytic.plan"].create({"name": "Service (test)"})
        cls.analytic = cls.env["account.analytic.account"].create({"name": "Lifts Lyon", "plan_id": plan.id})
        cls.sale_journal = cls.env["account.journal"].search(
            [*cls.env["account.journal"]._check_company_domain(cls.company), ("type", "=", "sale")], limit=1
        )
        cls.done_stage = cls.env["service.intervention"]._get_stage("done")

    @classmethod
    def _create_billing_contract(cls, price=300.0, rule="advance", unit="monthly", start=date(2025, 1, 1), **vals):
        values = {
            "date_start": start,
            "billing_rule": rule,
            "recurring_rule_type": unit,
            "recurring_interval": 1,
            "payment_term_id": cls.payment_term.id,
            "lines": [fields.Command.create({"product_id": cls.maintenance.id, "quantity": 1, "price_unit": price})],
        }
        values.update(vals)
        contract = cls._create_contract(lines=values.pop("lines"), **values)
        contract.action_start()
        return contract

    @classmethod
    def _create_done_intervention(cls, hours=2.0, end=datetime(2025, 3, 10, 12, 0), **vals):
        values = {
            "partner_id": cls.customer.id,
            "intervention_type": "corrective",
            "call_date": end.replace(hour=7),
        }
        values.update(vals)
        intervention = cls.env["service.intervention"].create(values)
        intervention.write(
            {
                "actual_start": fields.Datetime.subtract(end, hours=hours),
                "actual_end": end,
                "stage_id": cls.done_stage.id,
            }
        )
        return intervention

    def _bill(self, records, day):
        """Run the billing of ``records`` (contracts) as the daily job would on ``day``."""
        return records._bill(day)

    def _amounts(self, move):
        return [
            (line.price_subtotal, line.service_period_start, line.service_period_end) for line in move.invoice_line_ids
        ]
