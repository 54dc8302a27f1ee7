from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon
from .dunning_common import DunningCommon


class QueryCountMixin:
    def _count_queries(self, function):
        """Queries of ``function``, its flush and its commit hooks (tracking) included, from a cold cache."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - before


@tagged("post_install", "-at_install")
class TestPayerScoreBatches(QueryCountMixin, DunningCommon):
    """The payer score of many customers: one query reads them, one UPDATE writes them, whatever their number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.payers = cls.env["res.partner"].create(
            [{"name": f"Payer {index:02d}", "is_company": True} for index in range(10)]
        )
        for index, partner in enumerate(cls.payers):
            move = cls._invoice(partner, 100.0 + index, cls.today - timedelta(days=100))
            # the even ones pay on time, the odd ones 40 days late
            cls._pay(move, move.amount_total, move.invoice_date_due + timedelta(days=40 if index % 2 else -1))

    def test_queries_do_not_grow_with_the_customers(self):
        self.payers[:1]._compute_payer_score()  # the digits of the fields, cached once
        small = self._count_queries(self.payers[1:3]._compute_payer_score)
        large = self._count_queries(self.payers[3:]._compute_payer_score)
        self.assertEqual(small, large, "7 customers are scored with the queries of 2")
        self.assertEqual(set(self.payers.mapped("payer_score_date")), {self.today})
        self.assertEqual(self.payers[0::2].mapped("payer_grade"), ["good"] * 5)
        self.assertEqual(set(self.payers[1::2].mapped("payer_days_late")), {40.0})
        self.assertEqual(set(self.payers[1::2].mapped("payer_late_share")), {100.0})

    def test_scores_are_read_back_at_once(self):
        self.assertFalse(self.payers[0].payer_grade)
        self.payers._compute_payer_score()
        # no stale value in the cache after the set-based write
        self.assertEqual(self.payers[0].payer_grade, "good")
        self.assertEqual(self.payers[1].payer_days_late, 40.0)

    def test_job_in_batches_restarts_where_it_stopped(self):
        Partner = self.env["res.partner"]
        invoiced = (
            self.env["account.move"]
            .search([("move_type", "=", "out_invoice"), ("state", "=", "posted")])
            .commercial_partner_id.filtered(lambda p: p.payer_score_date != self.today)
        )
        cron = self.env.ref("service_management.ir_cron_service_payer_score")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        self.assertEqual(Partner.with_context(ir_cron_progress_id=progress.id)._cron_compute_payer_scores(4), 4)
        first = invoiced.filtered(lambda p: p.payer_score_date == self.today)
        self.assertEqual(len(first), 4)
        self.assertEqual((progress.done, progress.remaining), (4, len(invoiced) - 4))
        # an interrupted run goes on with the customers not scored today, never the same ones again
        self.env.cr.execute("UPDATE res_partner SET payer_grade = 'bad' WHERE id IN %s", [tuple(first.ids)])
        first.invalidate_recordset()
        while Partner._cron_compute_payer_scores(4):
            pass
        self.assertEqual(set(invoiced.mapped("payer_score_date")), {self.today})
        self.assertEqual(set(first.mapped("payer_grade")), {"bad"}, "the customers of the first batch are not rescored")
        self.assertEqual(Partner._cron_compute_payer_scores(4), 0, "started twice the same day, it does nothing")

    def test_only_who_may_write_customers_scores_them(self):
        with self.assertRaises(AccessError):
            self.payers[:1].with_user(self.technician).action_compute_payer_score()
        self.assertFalse(self.payers[0].payer_grade, "nothing written")
        self.payers[:1].with_user(self.controller).action_compute_payer_score()
        self.assertEqual(self.payers[0].payer_grade, "good")


@tagged("post_install", "-at_install")
class TestRenewalBatches(QueryCountMixin, ServiceCommon):
    """The renewal job renews, expires and alerts a batch of contracts with the queries of one."""

    RUN_DATE = date(2025, 11, 1)

    def _create_cases(self, count):
        """``count`` contracts of each case the job meets on 2025-11-01, each with its responsible."""
        users = [self.manager, self.dispatcher]
        vals = []
        for index in range(count):
            user = users[index % 2].id
            vals += [
                # tacitly renewed: notice deadline 2025-10-02 passed
                {"date_start": date(2025, 1, 1), "auto_renew": True, "user_id": user},
                # fixed term, ended on 2025-10-31: expired
                {"date_start": date(2024, 11, 1), "auto_renew": False, "user_id": user},
                # fixed term ending 2025-12-31: expiry alert 60 days before
                {"date_start": date(2025, 1, 1), "auto_renew": False, "expiry_alert_days": 60, "user_id": user},
                # renewable, notice deadline 2025-11-02: notice alert 30 days before
                {"date_start": date(2025, 2, 1), "auto_renew": True, "notice_alert_days": 30, "user_id": user},
            ]
        contracts = self.env["service.contract"].browse()
        for values in vals:
            contracts |= self._create_contract(notice_period_days=90, **values)
        contracts.action_start()
        return contracts

    def _mails(self, contracts):
        return self.env["mail.mail"].search([("model", "=", "service.contract"), ("res_id", "in", contracts.ids)])

    def test_queries_do_not_grow_with_the_contracts(self):
        # both sets have the same two responsibles: what may grow is their number, never the contracts'
        warm, small, large = self._create_cases(2), self._create_cases(2), self._create_cases(6)
        warm._process_renewal(self.RUN_DATE)
        small_queries = self._count_queries(lambda: small._process_renewal(self.RUN_DATE))
        large_queries = self._count_queries(lambda: large._process_renewal(self.RUN_DATE))
        self.assertEqual(small_queries, large_queries, "24 contracts are processed with the queries of 8")
        renewed, expired, expiry_alert, notice_alert = (large[case::4] for case in range(4))
        self.assertEqual(set(renewed.mapped("date_end")), {date(2026, 12, 31)})
        self.assertEqual(set(renewed.mapped("state")), {"running"})
        self.assertEqual(set(expired.mapped("state")), {"expired"})
        self.assertEqual(set((expiry_alert | notice_alert).mapped("state")), {"expiring"})
        for contract in expiry_alert | notice_alert:
            self.assertEqual(len(contract.activity_ids), 1)
            self.assertEqual(contract.activity_ids.user_id, contract.user_id)
            self.assertEqual(len(self._mails(contract)), 1)
            self.assertEqual(self._mails(contract).recipient_ids, contract.user_id.partner_id)
        self.assertFalse((renewed | expired).activity_ids, "renewals and expiries alert no one")

    def test_alert_mails_are_those_of_the_template(self):
        contracts = self._create_cases(3)
        for xmlid, alerted in (
            ("service_management.mail_template_service_contract_expiry", contracts[2::4]),
            ("service_management.mail_template_service_contract_notice", contracts[3::4]),
        ):
            template = self.env.ref(xmlid).with_user(self.manager)
            expected = template.send_mail_batch(alerted.ids, email_layout_xmlid="mail.mail_notification_light")
            layout = "mail.mail_notification_light"
            mails = alerted.with_user(self.manager)._service_send_template_mails(template, layout)
            self.assertEqual(len(mails), 3)
            for fname in ("res_id", "model", "subject", "email_from", "reply_to", "body_html", "recipient_ids"):
                self.assertEqual(mails.mapped(fname), expected.mapped(fname), fname)
            self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued for the mail queue")
            for mail, odoo_mail in zip(mails, expected, strict=True):
                self.assertIn(str(mail.body), odoo_mail.body_html, "the message holds the content of the e-mail")
                self.assertNotIn("<html", str(mail.body), "without the layout")
            self.assertIn(alerted[0].name, mails[0].body_html)
            self.assertNotIn(alerted[1].name, mails[0].body_html, "each e-mail speaks of its own contract")

    def test_chatter_keeps_the_changes_with_the_notes(self):
        contracts = self._create_cases(1)
        renewed, expired, expiry_alert = contracts[0], contracts[1], contracts[2]
        contracts._process_renewal(self.RUN_DATE)
        note = renewed.message_ids.filtered(lambda m: "Renewed tacitly" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("2025-12-31", str(note.body))
        self.assertIn("2026-12-31", str(note.body))
        self.assertEqual(note.tracking_value_ids.field_id.name, "date_end", "the state did not change")
        self.assertEqual(note.tracking_value_ids.old_value_datetime.date(), date(2025, 12, 31))
        expiry = expired.message_ids.filtered(lambda m: "Expired on" in str(m.body))
        self.assertEqual(expiry.tracking_value_ids.field_id.name, "state")
        self.assertEqual(expiry.tracking_value_ids.new_value_char, "Expired")
        alert = expiry_alert.message_ids.filtered(lambda m: "ends on" in str(m.body))
        self.assertEqual(alert.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(alert.tracking_value_ids.new_value_char, "Expiring")

    def test_run_twice_or_restarted_does_nothing_twice(self):
        contracts = self._create_cases(2)
        Contract = self.env["service.contract"]
        with freeze_time(self.RUN_DATE):
            # interrupted after its first batch: the next call goes on with the others
            self.assertEqual(Contract._cron_renew_contracts(batch_size=3), 3)
            while Contract._cron_renew_contracts(batch_size=3):
                pass
            messages = len(contracts.message_ids)
            self.assertEqual(Contract._cron_renew_contracts(), 0)
        self.assertEqual(len(contracts.message_ids), messages, "no second note")
        self.assertEqual(len(contracts.activity_ids), 4, "one activity per alerted contract")
        self.assertEqual(len(self._mails(contracts)), 4, "one e-mail per alerted contract")
        self.assertEqual(set(contracts[0::4].mapped("date_end")), {date(2026, 12, 31)}, "renewed once")


@tagged("post_install", "-at_install")
class TestPreventiveBatches(QueryCountMixin, ServiceCommon):
    """The preventive job creates the visits of many contract lines with the queries of a few."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.service_preventive_horizon_days = 120
        cls.Line = cls.env["service.contract.line"]

    def _create_lines(self, count):
        lines = self.Line.browse()
        for index in range(count):
            equipment = self._create_equipment(name=f"Lift {count}-{index}")
            contract = self._create_contract(
                date_start=date(2025, 1, 1),
                lines=[
                    fields.Command.create(
                        {
                            "product_id": self.service_product.id,
                            "price_unit": 900.0,
                            "visits_per_year": 12,
                            "equipment_ids": [fields.Command.set(equipment.ids)],
                        }
                    )
                ],
            )
            contract.action_start()
            lines |= contract.line_ids
        return lines

    def _visits(self, lines):
        return self.env["service.intervention"].search([("contract_line_id", "in", lines.ids)])

    @freeze_time("2025-03-01")
    def test_queries_do_not_grow_with_the_lines(self):
        # a first run: whatever else is pending in the database, and the company's numbering created
        self._create_lines(1)
        self.Line._cron_generate_preventive_interventions()
        small = self._create_lines(2)
        small_queries = self._count_queries(self.Line._cron_generate_preventive_interventions)
        large = self._create_lines(8)
        large_queries = self._count_queries(self.Line._cron_generate_preventive_interventions)
        self.assertEqual(small_queries, large_queries, "8 lines are planned with the queries of 2")
        self.assertEqual(len(self._visits(small)), 2 * 4, "a visit a month over 120 days")
        visits = self._visits(large)
        self.assertEqual(len(visits), 8 * 4)
        self.assertEqual(set(visits.mapped("state")), {"new"})
        self.assertEqual(len(set(visits.mapped("name"))), len(visits), "each visit has its own number")
        self.assertEqual(self.Line._cron_generate_preventive_interventions(), 0, "a second run finds nothing to do")
        self.assertEqual(len(self._visits(small | large)), 10 * 4)

    def test_batch_numbers_follow_each_other(self):
        Intervention = self.env["service.intervention"]
        first = Intervention.create({"partner_id": self.customer.id})
        batch = Intervention.create([{"partner_id": self.customer.id} for __ in range(3)])
        prefix, number = first.name.rsplit("/", 1)
        self.assertEqual(batch.mapped("name"), [f"{prefix}/{int(number) + step:0{len(number)}d}" for step in (1, 2, 3)])
        other = Intervention.with_company(self.company_b).create(
            [{"partner_id": self.customer.id, "company_id": self.company_b.id} for __ in range(2)]
        )
        self.assertEqual(other.mapped("name")[0].rsplit("/", 1)[1], "00001", "company B counts on its own")
        self.assertEqual(set(batch.stage_id.mapped("state")), {"new"})


@tagged("post_install", "-at_install")
class TestRevisionBatches(QueryCountMixin, ServiceCommon):
    """The price revision job revises a batch of contracts with the queries of one, one contract failing alone."""

    RUN_DATE = "2026-01-05"

    def _create_due(self, count, user=None, **indexation):
        """``count`` contracts revised on 2026-01-01 (by 2.5 % unless ``indexation`` says), with two lines each."""
        contracts = self.env["service.contract"].browse()
        for __ in range(count):
            contracts |= self._create_contract(
                date_start=date(2025, 1, 1),
                user_id=(user or self.manager).id,
                **(indexation or {"indexation_method": "percentage", "indexation_percentage": 2.5}),
                lines=[
                    fields.Command.create({"product_id": self.service_product.id, "price_unit": 1000.0}),
                    fields.Command.create({"product_id": self.service_product.id, "price_unit": 200.0}),
                ],
            )
        contracts.action_start()
        return contracts

    def _run(self):
        Contract = self.env["service.contract"]
        with freeze_time(self.RUN_DATE):
            while Contract._cron_revise_prices():
                pass

    def test_queries_do_not_grow_with_the_contracts(self):
        self._create_due(1)
        self._run()
        small = self._create_due(2)
        small_queries = self._count_queries(self._run)
        large = self._create_due(6)
        large_queries = self._count_queries(self._run)
        self.assertEqual(small_queries, large_queries, "6 contracts are revised with the queries of 2")
        for contract in small | large:
            self.assertEqual(contract.line_ids.mapped("price_unit"), [1025.0, 205.0])
            self.assertEqual(contract.next_revision_date, date(2027, 1, 1))
            amendment = contract.amendment_ids
            self.assertEqual((amendment.name, amendment.state), (f"{contract.name}-A01", "applied"))
            note = contract.message_ids.filtered(lambda m, name=amendment.name: name in str(m.body))
            self.assertEqual(len(note), 1, "one note per contract")
            self.assertEqual(note.tracking_value_ids.field_id.name, "next_revision_date")

    def test_blocked_contracts_are_told_with_the_queries_of_one(self):
        index = self.env["service.index"].create({"name": "Unpublished", "code": "UNPUB"})
        indexation = {
            "indexation_method": "index",
            "index_id": index.id,
            "index_base_value": 100.0,
            "index_fixed_part": 0.15,
            "index_variable_part": 0.85,
        }
        self._create_due(1, **indexation)
        self._run()
        small = self._create_due(2, **indexation)
        small_queries = self._count_queries(self._run)
        large = self._create_due(6, **indexation)
        large_queries = self._count_queries(self._run)
        self.assertEqual(small_queries, large_queries, "6 blocked contracts are told with the queries of 2")
        for contract in small | large:
            self.assertEqual(contract.line_ids.mapped("price_unit"), [1000.0, 200.0], "nothing revised")
            self.assertEqual(len(contract.activity_ids), 1)
            self.assertEqual(contract.activity_ids.user_id, self.manager)
            self.assertIn("Unpublished", contract.activity_ids.note)
            self.assertEqual(contract.next_revision_date, date(2026, 1, 1), "retried once the value is published")

    def test_a_failing_contract_does_not_hold_back_the_batch(self):
        first, failing, last = self._create_due(3, user=self.dispatcher)
        # an amendment numbered by hand takes the number the revision would give
        self.env["service.contract.amendment"].create(
            {"name": f"{failing.name}-A02", "contract_id": failing.id, "date": date(2025, 6, 1)}
        )
        with mute_logger("odoo.sql_db"):
            self._run()
        for contract in first | last:
            self.assertEqual(contract.line_ids.mapped("price_unit"), [1025.0, 205.0])
            self.assertEqual(len(contract.amendment_ids), 1)
            self.assertEqual(len(contract.message_ids.filtered(lambda m: "-A01 effective" in str(m.body))), 1)
            self.assertFalse(contract.activity_ids)
        self.assertEqual(failing.line_ids.mapped("price_unit"), [1000.0, 200.0], "nothing half-written")
        self.assertEqual(len(failing.amendment_ids), 1)
        self.assertEqual(failing.next_revision_date, date(2026, 1, 1))
        self.assertEqual(failing.activity_ids.user_id, self.dispatcher, "its responsible is told, once")
        self._run()
        self.assertEqual(len(failing.activity_ids), 1, "the next runs leave it to its responsible")

    def test_revision_through_the_wizard_as_a_manager(self):
        contracts = self._create_due(2)
        wizard = (
            self.env["service.contract.revise.wizard"]
            .with_user(self.manager)
            .create({"contract_ids": [fields.Command.set(contracts.ids)], "date": date(2026, 1, 1)})
        )
        wizard.action_revise()
        self.assertEqual(contracts.line_ids.mapped("price_unit"), [1025.0, 205.0] * 2)
        self.assertEqual(contracts.amendment_ids.mapped("name"), [f"{c.name}-A01" for c in contracts])
