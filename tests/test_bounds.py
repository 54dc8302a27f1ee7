from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .billing_common import BillingCommon
from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestDunningLevelBounds(ServiceCommon):
    """A credit controller's levels come later and later, within -60 to 730 days of the due date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = (
            cls.env["service.dunning.policy"]
            .with_user(cls.credit_controller)
            .create(
                {
                    "name": "Bounds",
                    "level_ids": [
                        Command.create({"sequence": seq, "name": name, "days": days, "send_email": False})
                        for seq, name, days in ((1, "Courtesy", -3), (2, "Reminder", 20), (3, "Notice", 75))
                    ],
                }
            )
        )
        cls.Level = cls.env["service.dunning.level"].with_user(cls.credit_controller)

    def _days(self):
        return self.policy._get_sorted_levels().mapped("days")

    def test_a_later_level_with_fewer_days_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "must come later and later: Agency \\(5 days\\) follows Notice"):
            self.Level.create(
                {"policy_id": self.policy.id, "sequence": 4, "name": "Agency", "days": 5, "send_email": False}
            )
        self.assertEqual(self._days(), [-3, 20, 75], "nothing was added")

    def test_two_levels_on_the_same_day_are_refused(self):
        with self.assertRaisesMessage(ValidationError, "later and later"):
            self.Level.create(
                {"policy_id": self.policy.id, "sequence": 4, "name": "Again", "days": 75, "send_email": False}
            )
        self.assertEqual(len(self.policy.level_ids), 3)

    def test_moving_a_level_down_the_list_is_refused(self):
        reminder = self.policy.level_ids.filtered(lambda level: level.name == "Reminder")
        with self.assertRaisesMessage(ValidationError, "later and later"):
            reminder.with_user(self.credit_controller).write({"sequence": 9})
        self.assertEqual(reminder.sequence, 2)

    def test_days_out_of_range_are_refused(self):
        for days in (109_500, 731, -61):
            with self.subTest(days=days), self.assertRaisesMessage(ValidationError, "choose between -60 and 730 days"):
                self.Level.create(
                    {"policy_id": self.policy.id, "sequence": 5, "name": "Far", "days": days, "send_email": False}
                )
        self.assertEqual(self._days(), [-3, 20, 75])

    def test_bounds_themselves_are_accepted(self):
        self.Level.create(
            {"policy_id": self.policy.id, "sequence": 9, "name": "Last", "days": 730, "send_email": False}
        )
        self.Level.create(
            {"policy_id": self.policy.id, "sequence": 0, "name": "First", "days": -60, "send_email": False}
        )
        self.assertEqual(self._days(), [-60, -3, 20, 75, 730])


@tagged("post_install", "-at_install")
class TestSerialNumbersAndNames(ServiceCommon):
    def _create_as(self, user, **vals):
        values = {"name": "Lift A", "partner_id": self.customer.id, "site_id": self.site_tilleuls.id}
        values.update(vals)
        return self.env["service.equipment"].with_user(user).create(values)

    def test_serial_number_is_stored_without_surrounding_spaces(self):
        lift = self._create_as(self.dispatcher, serial_no="  EL-300-42 \t")
        self.assertEqual(lift.serial_no, "EL-300-42")

    def test_same_serial_number_with_another_case_is_refused_in_the_company(self):
        self._create_as(self.dispatcher, serial_no="el-300-42")
        Equipment = self.env["service.equipment"]
        with self.assertRaisesMessage(ValidationError, "el-300-42 is already used by Lift A"):
            self._create_as(self.dispatcher, name="Lift B", serial_no=" EL-300-42 ")
        self.assertEqual(Equipment.search_count([("name", "=", "Lift B")]), 0, "nothing was created")
        other = self._create_as(self.dispatcher, name="Lift C", serial_no="EL-300-43")
        with self.assertRaisesMessage(ValidationError, "already used"):
            other.with_user(self.dispatcher).write({"serial_no": "El-300-42"})
        self.assertEqual(other.serial_no, "EL-300-43")

    def test_same_serial_number_in_another_company_is_accepted(self):
        self._create_as(self.dispatcher, serial_no="EL-300-42")
        customer_b = self.env["res.partner"].create({"name": "Client Sud", "company_id": self.company_b.id})
        lift_b = self._create_as(
            self.dispatcher_b, partner_id=customer_b.id, site_id=customer_b.id, serial_no="el-300-42"
        )
        self.assertEqual(lift_b.company_id, self.company_b)

    def test_database_refuses_a_serial_number_differing_only_by_case(self):
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'service_equipment_serial_no_ci_uniq' "
            "AND indexdef ILIKE '%lower(btrim(%serial_no%'"
        )
        self.assertTrue(self.env.cr.fetchone())

    def test_names_lose_their_control_characters(self):
        lift = self._create_as(self.dispatcher, name="Lift\x00 A\nNorth\t", brand=" Otis\x07")
        self.assertEqual(lift.name, "Lift A North")
        self.assertEqual(lift.brand, "Otis")
        lift.with_user(self.dispatcher).write({"name": "\x1bLift B\r\n"})
        self.assertEqual(lift.name, "Lift B")
        with self.assertRaisesMessage(ValidationError, "Give the equipment a name"):
            lift.with_user(self.dispatcher).write({"name": "\x00\n "})
        self.assertEqual(lift.name, "Lift B")
        contract = self._create_contract(title="Lift\x00 maintenance\n- full cover")
        self.assertEqual(contract.title, "Lift maintenance - full cover")
        order = (
            self.env["service.order"]
            .with_user(self.dispatcher)
            .create({"name": "\tTower\x0b refit ", "partner_id": self.customer.id})
        )
        self.assertEqual(order.name, "Tower  refit")
        with self.assertRaisesMessage(ValidationError, "Give the service order a name"):
            order.with_user(self.dispatcher).write({"name": "\x00"})


@tagged("post_install", "-at_install")
class TestStateDoors(ServiceCommon):
    """Contract and dunning run statuses change through their buttons only, whatever the caller sends."""

    def test_contract_state_cannot_be_written_even_with_the_old_context_key(self):
        contract = self._create_contract()
        Contract = self.env["service.contract"].with_user(self.manager)
        for context in ({}, {"service_contract_transition": True}):
            with self.subTest(context=context), self.assertRaisesMessage(UserError, "through its buttons only"):
                contract.with_user(self.manager).with_context(**context).write({"state": "running"})
        self.assertEqual(contract.state, "draft")
        with self.assertRaisesMessage(UserError, "starts as a draft"):
            Contract.create({"partner_id": self.customer.id, "state": "terminated"})
        self.assertFalse(Contract.search([("state", "=", "terminated"), ("partner_id", "=", self.customer.id)]))
        self.assertIs(contract.with_user(self.manager).action_start(), True)
        self.assertEqual(contract.state, "running")

    def test_a_technician_cannot_start_a_contract(self):
        contract = self._create_contract()
        with self.assertRaises(AccessError):
            contract.with_user(self.technician).action_start()
        self.assertEqual(contract.state, "draft")

    def test_dunning_run_state_cannot_be_written(self):
        Run = self.env["service.dunning.run"].with_user(self.credit_controller)
        run = Run.create({"date": date(2025, 6, 30)})
        with self.assertRaisesMessage(UserError, "through its buttons only"):
            run.write({"state": "done"})
        self.assertEqual(run.state, "draft")
        with self.assertRaisesMessage(UserError, "starts as a draft"):
            Run.create({"date": date(2025, 7, 1), "state": "done"})
        self.assertFalse(Run.search([("date", "=", date(2025, 7, 1))]))
        self.assertIs(run.action_review(), True)
        self.assertEqual(run.state, "reviewed")
        self.assertIs(run.action_reset_draft(), True)
        self.assertEqual(run.state, "draft")


@tagged("post_install", "-at_install")
class TestBacklogLimit(BillingCommon):
    """A backlog older than the company's limit is billed only when a service manager forces it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="clerk_backlog",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.start = fields.Date.today().replace(day=1) - relativedelta(months=18)
        cls.contract = cls._create_billing_contract(start=cls.start, duration_value=3)

    def test_old_backlog_is_refused_with_a_clear_message(self):
        self.assertEqual(self.company.service_billing_backlog_months, 12, "default limit")
        result = self.contract.with_user(self.clerk).action_bill_now()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("more than 12 months ago", self.contract.billing_error)
        self.assertIn("Bill the Backlog", self.contract.billing_error)
        self.assertFalse(self.contract.invoice_ids)
        self.assertFalse(self.contract.billing_period_ids)

    def test_the_force_flag_is_not_taken_from_a_callers_context(self):
        self.contract.with_user(self.clerk).with_context(service_force_backlog=True).action_bill_now()
        self.assertFalse(self.contract.invoice_ids)
        with self.assertRaisesMessage(AccessError, "Only service managers"):
            self.contract.with_user(self.clerk).action_bill_backlog()
        self.assertFalse(self.contract.invoice_ids)

    def test_a_manager_bills_the_backlog(self):
        self.contract.with_user(self.manager).action_bill_backlog()
        self.assertEqual(len(self.contract.invoice_ids), 1)
        self.assertEqual(min(self.contract.billing_period_ids.mapped("date_from")), self.start)
        self.assertFalse(self.contract.billing_error)

    def test_a_limit_of_zero_bills_any_backlog(self):
        self.company.service_billing_backlog_months = 0
        self.contract.with_user(self.clerk).action_bill_now()
        self.assertEqual(len(self.contract.invoice_ids), 1)

    def test_recent_periods_are_billed_by_anyone_allowed(self):
        self.company.service_billing_backlog_months = 24
        self.contract.with_user(self.clerk).action_bill_now()
        self.assertEqual(len(self.contract.invoice_ids), 1)

    def test_limit_is_bounded(self):
        for months in (-1, 121):
            with self.subTest(months=months), self.assertRaisesMessage(ValidationError, "between 0 \\(none\\) and 120"):
                self.company.service_billing_backlog_months = months
        self.assertEqual(self.company.service_billing_backlog_months, 12)
