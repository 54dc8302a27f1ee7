from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon

# Models whose records belong to no company: shared configuration every company reads, only managers change.
SHARED_MODELS = {"service.intervention.stage", "service.contract.termination.reason"}


# Wizards that only their creator sees, in any company.
OWNED_BY_CREATOR = ("service.intervention.payment.wizard", "service.aging.export.wizard")


@tagged("post_install", "-at_install")
class TestCompanyIsolation(ServiceCommon):
    """A user of another company neither reads nor writes any record of the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = (
            "service_management.group_service_manager,service_management.group_service_credit_controller,"
            "account.group_account_invoice"
        )
        # the same rights in both companies: only the company makes the difference
        cls.user_b = new_test_user(
            cls.env, login="all_rights_b", groups=groups, company_id=cls.company_b.id, company_ids=[cls.company_b.id]
        )
        cls.user_a = new_test_user(
            cls.env, login="all_rights_a", groups=groups, company_id=cls.company.id, company_ids=[cls.company.id]
        )

    def _addon_models(self):
        names = (
            self.env["ir.model.data"]
            .search([("module", "=", "service_management"), ("model", "=", "ir.model")])
            .mapped(lambda data: self.env["ir.model"].browse(data.res_id).model)
        )
        models = sorted(
            name for name in set(names) if name in self.env and self.env[name]._original_module == "service_management"
        )
        self.assertIn("service.intervention.payment.wizard", models)
        return models

    # one factory per model, each making a record of ``self.company``
    def _invoice(self):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Maintenance", "price_unit": 100.0, "quantity": 1})],
            }
        )

    def _contract(self):
        if not hasattr(self, "_contract_a"):
            self._contract_a = self._create_contract()
        return self._contract_a

    def _intervention(self):
        if not hasattr(self, "_intervention_a"):
            self._intervention_a = self.env["service.intervention"].create(
                {"partner_id": self.customer.id, "user_id": self.technician.id}
            )
        return self._intervention_a

    def _equipment(self):
        if not hasattr(self, "_equipment_a"):
            self._equipment_a = self._create_equipment(serial_no="ISO-1")
        return self._equipment_a

    def _policy(self):
        if not hasattr(self, "_policy_a"):
            self._policy_a = self.env["service.dunning.policy"].create(
                {"name": "Isolation", "level_ids": [Command.create({"sequence": 1, "name": "First", "days": 5})]}
            )
        return self._policy_a

    def _run_line(self):
        if not hasattr(self, "_run_line_a"):
            run = self.env["service.dunning.run"].create({"date": date(2020, 1, 2)})
            policy = self._policy()
            self._run_line_a = self.env["service.dunning.run.line"].create(
                {
                    "run_id": run.id,
                    "partner_id": self.customer.id,
                    "policy_id": policy.id,
                    "level_id": policy.level_ids.id,
                }
            )
        return self._run_line_a

    def _amend_wizard(self):
        return self.env["service.contract.amend.wizard"].create({"contract_id": self._contract().id, "reason": "Test"})

    def _template(self):
        if not hasattr(self, "_template_a"):
            self._template_a = self.env["service.contract.template"].create(
                {"name": "Isolation", "company_id": self.company.id}
            )
        return self._template_a

    def _index(self):
        if not hasattr(self, "_index_a"):
            self._index_a = self.env["service.index"].create(
                {"name": "Isolation", "code": "ISO", "company_id": self.company.id}
            )
        return self._index_a

    def _factories(self):
        product = self.service_product
        return {
            "service.aging.export.wizard": lambda: (
                self.env["service.aging.export.wizard"].with_user(self.user_a).create({}).sudo()
            ),
            "service.billing.period": lambda: self.env["service.billing.period"].create(
                {
                    "contract_line_id": self._contract().line_ids.id,
                    "contract_id": self._contract().id,
                    "company_id": self.company.id,
                    "period_start": date(2025, 1, 1),
                    "period_end": date(2025, 1, 31),
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 1, 31),
                    "move_id": self._invoice().id,
                }
            ),
            "service.checklist.template": lambda: self.env["service.checklist.template"].create(
                {"name": "Isolation", "intervention_type": "inspection"}
            ),
            "service.checklist.template.item": lambda: self.env["service.checklist.template.item"].create(
                {
                    "template_id": self.env["service.checklist.template"]
                    .create({"name": "Isolation items", "intervention_type": "installation"})
                    .id,
                    "question": "Doors closed?",
                }
            ),
            "service.contract": self._contract,
            "service.contract.amend.wizard": self._amend_wizard,
            "service.contract.amend.wizard.line": lambda: (
                self._amend_wizard().line_ids[:1]
                or self.env["service.contract.amend.wizard.line"].create(
                    {
                        "wizard_id": self._amend_wizard().id,
                        "contract_line_id": self._contract().line_ids.id,
                        "cover_labour": "included",
                        "cover_travel": "included",
                        "cover_parts": "billable",
                    }
                )
            ),
            "service.contract.amendment": lambda: self.env["service.contract.amendment"].create(
                {"name": "A-ISO", "contract_id": self._contract().id, "date": date(2025, 2, 1)}
            ),
            "service.contract.amendment.change": lambda: self.env["service.contract.amendment.change"].create(
                {
                    "amendment_id": self.env["service.contract.amendment"]
                    .create({"name": "A-ISO2", "contract_id": self._contract().id, "date": date(2025, 2, 1)})
                    .id,
                    "line_id": self._contract().line_ids.id,
                    "field_name": "price_unit",
                }
            ),
            "service.contract.line": lambda: self._contract().line_ids,
            "service.contract.revise.wizard": lambda: (
                self.env["service.contract.revise.wizard"]
                .with_user(self.user_a)
                .create({"contract_ids": [Command.set(self._contract().ids)]})
                .sudo()
            ),
            "service.contract.sla": lambda: self.env["service.contract.sla"].create(
                {"contract_id": self._contract().id, "response_hours": 4, "resolution_hours": 8}
            ),
            "service.contract.template": self._template,
            "service.contract.template.line": lambda: self.env["service.contract.template.line"].create(
                {"template_id": self._template().id, "product_id": product.id}
            ),
            "service.contract.terminate.wizard": lambda: self.env["service.contract.terminate.wizard"].create(
                {
                    "contract_id": self._contract().id,
                    "reason_id": self.env["service.contract.termination.reason"].search([], limit=1).id,
                }
            ),
            "service.dunning.history": lambda: self.env["service.dunning.history"].create(
                {
                    "move_id": self._invoice().id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": self._policy().level_ids.id,
                    "date": date(2025, 1, 1),
                }
            ),
            "service.dunning.level": lambda: self._policy().level_ids,
            "service.dunning.policy": self._policy,
            "service.dunning.promise": lambda: self.env["service.dunning.promise"].create(
                {"partner_id": self.customer.id, "amount": 10.0, "date": date.today()}
            ),
            "service.dunning.run": lambda: self._run_line().run_id,
            "service.dunning.run.item": lambda: self.env["service.dunning.run.item"].create(
                {
                    "line_id": self._run_line().id,
                    "move_id": self._invoice().id,
                    "date_due": date(2019, 12, 1),
                    "days_late": 32,
                    "interest_from": date(2019, 12, 2),
                }
            ),
            "service.dunning.run.line": self._run_line,
            "service.equipment": self._equipment,
            "service.equipment.category": lambda: self.env["service.equipment.category"].create(
                {"name": "Isolation", "company_id": self.company.id}
            ),
            "service.equipment.warranty": lambda: self.env["service.equipment.warranty"].create(
                {"equipment_id": self._equipment().id, "date_start": date(2024, 1, 1), "date_end": date(2026, 1, 1)}
            ),
            "service.index": self._index,
            "service.index.value": lambda: self.env["service.index.value"].create(
                {"index_id": self._index().id, "date": date(2025, 1, 1), "value": 100.0}
            ),
            "service.intervention": self._intervention,
            "service.intervention.checklist.line": lambda: self.env["service.intervention.checklist.line"].create(
                {"intervention_id": self._intervention().id, "question": "Doors closed?"}
            ),
            "service.intervention.part": lambda: self.env["service.intervention.part"].create(
                {"intervention_id": self._intervention().id, "product_id": product.id}
            ),
            "service.intervention.payment.wizard": lambda: (
                self.env["service.intervention.payment.wizard"]
                .with_user(self.technician)
                .create({"intervention_id": self._intervention().id, "amount": 10.0})
                .sudo()
            ),
            "service.forecast.manual": lambda: self.env["service.forecast.manual"].create(
                {"name": "Isolation rent", "amount": 10.0}
            ),
            "service.labour.rate": lambda: self.env["service.labour.rate"].create(
                {"intervention_type": "installation", "product_id": product.id}
            ),
            "service.order": lambda: self.env["service.order"].create(
                {"name": "SO-ISO", "partner_id": self.customer.id}
            ),
            "service.zone": lambda: self.env["service.zone"].create(
                {"name": "Isolation", "company_id": self.company.id}
            ),
        }

    def _probe_field(self, record):
        """A plain stored field the test tries to change."""
        for name, field in record._fields.items():
            if (
                field.store
                and not field.compute
                and not field.related
                and not field.readonly
                and field.type in ("char", "text", "float", "integer", "monetary")
                and name not in ("id",)
            ):
                return name
        return None

    def test_every_model_is_isolated_per_company(self):
        factories = self._factories()
        checked = []
        for name in self._addon_models():
            model = self.env[name]
            if model._abstract or not model._auto or name in SHARED_MODELS:
                continue  # mixins, SQL reports (their own company rules), shared configuration (below)
            self.assertIn(name, factories, f"{name} has no factory in the company isolation test: add one")
            record = factories[name]().sudo(False).with_user(self.env.user)
            self.assertEqual(len(record), 1, name)
            with self.subTest(model=name):
                # the user of company A, with the same rights, sees it: only the company hides it from B
                # (a wizard that belongs to its creator is seen by its creator only)
                viewer = record.sudo().create_uid if name in OWNED_BY_CREATOR else self.user_a
                self.assertEqual(model.with_user(viewer).search([("id", "=", record.id)]), record)
                self.assertFalse(model.with_user(self.user_b).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.user_b).read(["display_name"])
                field = self._probe_field(record)
                if field:
                    before = record[field]
                    value = "changed by B" if record._fields[field].type in ("char", "text") else 999
                    with self.assertRaises(AccessError):
                        record.with_user(self.user_b).write({field: value})
                    record.invalidate_recordset()
                    self.assertEqual(record[field], before, name)
                with self.assertRaises(AccessError):
                    record.with_user(self.user_b).unlink()
                self.assertTrue(record.exists(), name)
            checked.append(name)
        self.assertEqual(sorted(checked), sorted(factories), "a factory is left for a model that is gone")

    def test_sql_reports_are_isolated_per_company(self):
        for name in ("service.receivable.aging", "service.billing.control"):
            rules = self.env["ir.rule"].search([("model_id.model", "=", name), ("global", "=", True)])
            self.assertTrue(any("company_ids" in rule.domain_force for rule in rules), name)

    def test_shared_configuration_is_read_by_all_and_changed_by_managers_only(self):
        dispatcher_b = self.dispatcher_b
        for name in SHARED_MODELS:
            record = self.env[name].search([], limit=1)
            self.assertTrue(record.with_user(dispatcher_b).read(["name"]), name)
            with self.assertRaises(AccessError):
                record.with_user(dispatcher_b).write({"name": "Changed by B"})
            self.assertNotEqual(record.name, "Changed by B")

    def test_payment_wizard_of_company_a_is_out_of_reach_of_company_b(self):
        wizard = self._factories()["service.intervention.payment.wizard"]()
        with self.assertRaises(AccessError):
            wizard.with_user(self.dispatcher_b).write({"amount": 5000.0})
        self.assertEqual(wizard.amount, 10.0)
