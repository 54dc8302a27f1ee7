from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .dunning_common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCharges(DunningCommon):
    def test_interest_to_the_cent_and_indemnity_once_per_invoice(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=12))
        first = self._execute(self._run(self.day))
        item = self._line(first, self.customer).item_ids
        self.assertEqual(item.level_id, self.level_reminder)
        self.assertEqual(item.indemnity_amount, 40.0)
        self.assertEqual(item.interest_amount, 0.0, "no interest at the reminder level")
        self.assertTrue(invoice.dunning_indemnity_charged)

        second_day = self.day + timedelta(days=33)  # 45 days late
        second = self._run(second_day)
        item = self._line(second, self.customer).item_ids.filtered(lambda i: i.move_id == invoice)
        self.assertEqual(item.level_id, self.level_notice)
        self.assertEqual(item.indemnity_amount, 0.0, "the indemnity is due once per invoice")
        # 1000 x 12.15 % x 45 / 365 = 14.979... -> 14.98
        self.assertEqual(item.interest_days, 45)
        self.assertEqual(item.interest_amount, 14.98)
        self._execute(second)
        self.assertEqual(invoice.dunning_interest_date, second_day)

        third = self._run(second_day + timedelta(days=20))  # agency level, interest since the last charge
        item = self._line(third, self.customer).item_ids.filtered(lambda i: i.move_id == invoice)
        self.assertEqual(item.interest_days, 20)
        self.assertEqual(item.interest_amount, round(1000 * 0.1215 * 20 / 365, 2))

    def test_indemnity_unique_in_database(self):
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=12))
        self._execute(self._run(self.day))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["service.dunning.history"].create(
                {
                    "move_id": invoice.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": self.level_notice.id,
                    "date": self.day,
                    "indemnity_amount": 40.0,
                }
            )

    def test_charge_invoice_posted_with_the_right_accounts(self):
        first = self._invoice(self.customer, 1000.0, self.day - timedelta(days=45))
        second = self._invoice(self.customer, 500.0, self.day - timedelta(days=31))
        run = self._execute(self._run(self.day))
        line = self._line(run, self.customer)
        charge = line.charge_move_id
        self.assertEqual(charge.state, "posted")
        self.assertEqual(charge.move_type, "out_invoice")
        self.assertEqual(charge.partner_id, self.customer)
        self.assertEqual(charge.dunning_charge_origin_ids, first | second)
        interest_first = round(1000 * 0.1215 * 45 / 365, 2)
        interest_second = round(500 * 0.1215 * 31 / 365, 2)
        by_account = {}
        for invoice_line in charge.invoice_line_ids:
            by_account[invoice_line.account_id] = (
                by_account.get(invoice_line.account_id, 0.0) + invoice_line.price_subtotal
            )
        self.assertEqual(
            by_account,
            {
                self.account_fee: 25.0,
                self.account_interest: interest_first + interest_second,
                self.account_indemnity: 80.0,
            },
        )
        self.assertFalse(charge.invoice_line_ids.tax_ids, "outside the scope of VAT")
        self.assertAlmostEqual(charge.amount_total, 25.0 + 80.0 + interest_first + interest_second)
        self.assertEqual(line.charges_amount, charge.amount_total)
        self.assertEqual(run.charge_move_ids, charge)
        receivable = charge.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        self.assertEqual(receivable.balance, charge.amount_total)

    def test_letter_only_mode_books_nothing(self):
        self.company.dunning_charge_mode = "letter"
        invoice = self._invoice(self.customer, 1000.0, self.day - timedelta(days=45))
        moves_before = self.env["account.move"].search_count([])
        run = self._execute(self._run(self.day))
        self.assertFalse(self._line(run, self.customer).charge_move_id)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertTrue(invoice.dunning_indemnity_charged, "claimed on the letter, so not claimed again")

    def test_legal_mentions_on_the_letter(self):
        self._invoice(self.customer, 1000.0, self.day - timedelta(days=45))
        line = self._line(self._run(self.day), self.customer)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_management.action_report_service_dunning_letter", line.ids)[0]
            .decode()
        )
        self.assertIn("L441-10", html)
        self.assertIn("12.15 %", html)
        self.assertIn("Fixed indemnity for recovery costs", html)
        self.assertIn("Late-payment penalties", html)
