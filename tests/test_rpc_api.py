import ast
import inspect
import textwrap
import xmlrpc.client
from datetime import date, timedelta

from odoo import Command, models
from odoo.tests import HttpCase, tagged

from .common import ServiceCommon, new_company_user

ADDON_MODULE = "odoo.addons.service_management."


def _returns_value(body):
    """Whether a function body ends, on every path, with ``return <value>`` or ``raise``."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return):
        return last.value is not None and not (isinstance(last.value, ast.Constant) and last.value.value is None)
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.If):
        return _returns_value(last.body) and _returns_value(last.orelse)
    if isinstance(last, (ast.With, ast.Try)):
        return _returns_value(last.body)
    return False


def addon_public_methods(env):
    """``{(model, method): function}`` of the public methods the addon defines or overrides on its models."""
    methods = {}
    for model_name in env.registry:
        for cls in type(env[model_name]).__mro__:
            if not cls.__module__.startswith(ADDON_MODULE):
                continue
            for name, function in vars(cls).items():
                if name.startswith("_") or not inspect.isfunction(function) or hasattr(models.BaseModel, name):
                    continue  # private, or an ORM method (create, write, copy_data...) with its own contract
                methods.setdefault((model_name, name), function)
    return methods


@tagged("post_install", "-at_install")
class TestPublicMethodsReturnValues(ServiceCommon):
    def test_every_public_method_returns_something_xmlrpc_carries(self):
        methods = addon_public_methods(self.env)
        for known in (
            ("service.dunning.run", "action_review"),
            ("service.dunning.run", "action_reset_draft"),
            ("service.dunning.run.line", "action_exclude"),
            ("service.dunning.run.line", "action_include"),
            ("service.dunning.promise", "action_mark_kept"),
            ("service.contract", "terminate"),
            ("account.move", "button_cancel"),
        ):
            self.assertIn(known, methods)
        self.assertGreater(len(methods), 50)
        silent = []
        for (model_name, name), function in sorted(methods.items()):
            tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
            node = tree.body[0]
            bare = [ret for ret in ast.walk(node) if isinstance(ret, ast.Return) and ret.value is None]
            if bare or not _returns_value(node.body):
                silent.append(f"{model_name}.{name}")
        self.assertEqual(silent, [], "public methods that may return None (XML-RPC cannot carry it)")


@tagged("post_install", "-at_install")
class TestRpcApi(HttpCase):
    """The buttons and public methods called the way an integrator calls them: XML-RPC, as real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.controller = new_company_user(
            cls.env, "rpc_credit", "service_management.group_service_credit_controller", cls.company
        )
        cls.manager = new_company_user(
            cls.env,
            "rpc_manager",
            "service_management.group_service_manager,account.group_account_invoice",
            cls.company,
        )
        cls.customer = cls.env["res.partner"].create({"name": "Client RPC", "is_company": True})
        cls.policy = cls.env["service.dunning.policy"].create(
            {"name": "RPC", "level_ids": [Command.create({"name": "First", "days": 5, "send_email": False})]}
        )
        cls.dunning_run = cls.env["service.dunning.run"].create({"date": date(2025, 6, 30)})
        cls.run_line = cls.env["service.dunning.run.line"].create(
            {
                "run_id": cls.dunning_run.id,
                "partner_id": cls.customer.id,
                "policy_id": cls.policy.id,
                "level_id": cls.policy.level_ids.id,
            }
        )
        cls.promise = cls.env["service.dunning.promise"].create(
            {"partner_id": cls.customer.id, "amount": 100.0, "date": date.today() + timedelta(days=10)}
        )
        product = cls.env["product.product"].create({"name": "Maintenance RPC", "type": "service", "list_price": 10})
        cls.contract = cls.env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": date(2025, 1, 1),
                "line_ids": [Command.create({"product_id": product.id, "price_unit": 10.0})],
            }
        )
        cls.reason = cls.env["service.contract.termination.reason"].search([], limit=1)
        cls.intervention = cls.env["service.intervention"].create({"partner_id": cls.customer.id})

    def _call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def _assert_clear_error(self, pattern, user, model, method, *args):
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self._call(user, model, method, *args)
        # 2: a warning shown to the user (UserError); 1 would be a crash with a traceback
        self.assertEqual(fault.exception.faultCode, 2, fault.exception.faultString)
        self.assertRegex(fault.exception.faultString, pattern)

    def test_dunning_buttons_answer_true_over_xmlrpc(self):
        run, line = self.dunning_run, self.run_line
        self.assertIs(self._call(self.controller, "service.dunning.run", "action_review", run.ids), True)
        self.assertEqual(run.state, "reviewed")
        self.assertIs(self._call(self.controller, "service.dunning.run", "action_reset_draft", run.ids), True)
        self.assertEqual(run.state, "draft")
        self.assertIs(self._call(self.controller, "service.dunning.run.line", "action_exclude", line.ids), True)
        self.assertEqual(line.state, "excluded")
        self.assertIs(self._call(self.controller, "service.dunning.run.line", "action_include", line.ids), True)
        self.assertEqual(line.state, "to_do")
        self.assertIs(
            self._call(self.controller, "service.dunning.promise", "action_mark_kept", self.promise.ids), True
        )
        self.assertEqual(self.promise.state, "kept")

    def test_status_writes_are_refused_over_xmlrpc(self):
        self._assert_clear_error(
            "through its buttons only",
            self.controller,
            "service.dunning.run",
            "write",
            self.dunning_run.ids,
            {"state": "done"},
        )
        self.assertEqual(self.dunning_run.state, "draft")
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.manager.id,
                self.manager.login,
                "service.contract",
                "write",
                [self.contract.ids, {"state": "running"}],
                {"context": {"service_contract_transition": True}},
            )
        self.assertEqual(self.contract.state, "draft")

    def test_contract_methods_take_ids_and_dates_over_xmlrpc(self):
        self.assertIs(self._call(self.manager, "service.contract", "action_start", self.contract.ids), True)
        self._assert_clear_error(
            "termination date must be a date",
            self.manager,
            "service.contract",
            "terminate",
            self.contract.ids,
            self.reason.id,
            "30/06/2025",
        )
        self._assert_clear_error(
            "termination date must be a date",
            self.manager,
            "service.contract",
            "terminate",
            self.contract.ids,
            self.reason.id,
            "99999-01-01",
        )
        self._assert_clear_error(
            "termination reason must be record ids",
            self.manager,
            "service.contract",
            "terminate",
            self.contract.ids,
            "resigned",
            "2025-06-30",
        )
        self._assert_clear_error(
            "revision date must be a date", self.manager, "service.contract", "revise_prices", self.contract.ids, 12
        )
        self.assertEqual(self.contract.state, "running", "nothing changed")
        result = self._call(
            self.manager, "service.contract", "terminate", self.contract.ids, self.reason.id, "2025-06-30", "Sold"
        )
        self.assertIs(result, True)
        self.assertEqual(self.contract.state, "terminated")
        self.assertEqual(self.contract.termination_date, date(2025, 6, 30))

    def test_dispatch_methods_refuse_bad_arguments_clearly(self):
        Intervention = "service.intervention"
        self._assert_clear_error("week must be a date", self.manager, Intervention, "get_dispatch_board_data", "soon")
        self._assert_clear_error(
            "week must be a date", self.manager, Intervention, "get_dispatch_board_data", "9999-12-31"
        )
        self._assert_clear_error(
            "zones must be record ids", self.manager, Intervention, "get_dispatch_board_data", "2025-03-03", "north"
        )
        board = self._call(self.manager, Intervention, "get_dispatch_board_data", "2025-03-03")
        self.assertEqual(board["days"][0]["date"], "2025-03-03")
        self._assert_clear_error(
            "technician must be record ids",
            self.manager,
            Intervention,
            "action_dispatch_plan",
            self.intervention.ids,
            "bob",
            "2025-03-04",
        )
        self._assert_clear_error(
            "day must be a date",
            self.manager,
            Intervention,
            "action_dispatch_plan",
            self.intervention.ids,
            self.manager.id,
            [2025, 3, 4],
        )
        self.assertFalse(self.intervention.user_id, "nothing was planned")

    def test_dates_given_to_create_get_a_clear_message(self):
        index = self.env["service.index"].create({"name": "Index RPC", "code": "RPC"})
        self._assert_clear_error(
            "month must be a date",
            self.manager,
            "service.index.value",
            "create",
            {"index_id": index.id, "date": "next month", "value": 101.0},
        )
        self.assertFalse(index.value_ids)
        self._assert_clear_error(
            "run date must be a date", self.controller, "service.dunning.run", "create", {"date": "0000-01-01"}
        )
