from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestHomeAction(HttpCase, ServiceCommon):
    """Each service role lands on its own screen after login."""

    def _home_action_after_login(self, user):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/web/session/get_session_info")["home_action_id"]

    def test_technician_lands_on_my_day(self):
        my_day = self.env.ref("service_management.service_intervention_action_my_day")
        self.assertEqual(self._home_action_after_login(self.technician), my_day.id)

    def test_dispatcher_lands_on_the_board(self):
        board = self.env.ref("service_management.service_dispatch_board_action")
        self.assertEqual(self._home_action_after_login(self.dispatcher), board.id)

    def test_a_home_action_chosen_for_the_user_wins(self):
        contracts = self.env.ref("service_management.service_contract_action")
        self.technician.action_id = contracts.id
        self.assertEqual(self._home_action_after_login(self.technician), contracts.id)

    def test_office_roles_land_on_their_queue(self):
        runs = self.env.ref("service_management.service_dunning_run_action")
        self.assertEqual(self._home_action_after_login(self.credit_controller), runs.id)
        clerk = new_test_user(self.env, login="clerk_queue", groups="base.group_user,account.group_account_invoice")
        review = self.env.ref("service_management.account_move_action_service_review")
        self.assertEqual(self._home_action_after_login(clerk), review.id)
        accountant = new_test_user(self.env, login="accountant_home", groups="account.group_account_manager")
        self.assertFalse(self._home_action_after_login(accountant), "accountants keep Odoo's default")

    def test_other_users_keep_odoo_default(self):
        clerk = new_test_user(self.env, login="clerk_home", groups="base.group_user")
        self.assertFalse(self._home_action_after_login(clerk))
