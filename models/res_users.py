from odoo import api, fields, models

# Home actions of the office roles, first match wins: a user who is also a technician keeps his own.
SERVICE_HOME_ACTIONS = [
    ("service_management.group_service_technician", None),
    ("service_management.group_service_credit_controller", "service_management.service_dunning_run_action"),
    ("account.group_account_invoice", "service_management.account_move_action_service_review"),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    service_zone_ids = fields.Many2many(
        "service.zone",
        "service_zone_technician_rel",
        "user_id",
        "zone_id",
        string="Home Zones",
        help="Zones this technician usually works in.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._service_set_home_action()
        return users

    def write(self, vals):
        res = super().write(vals)
        if any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals):
            self._service_set_home_action()
        return res

    def _service_get_home_action(self):
        """The screen this user starts on: the dunning runs of credit controllers, the invoices to review of
        billing clerks; ``False`` for everyone else (Odoo's default)."""
        self.ensure_one()
        if self.has_group("account.group_account_manager"):
            return False
        for group, action in SERVICE_HOME_ACTIONS:
            if self.has_group(group):
                return action and self.env.ref(action, raise_if_not_found=False)
        return False

    def _service_set_home_action(self):
        """Give office users without a home action the screen of their role."""
        for user in self.filtered(lambda user: not user.action_id and not user.share):
            action = user.sudo()._service_get_home_action()
            if action:
                user.sudo().action_id = action.id

    def _get_service_home_action(self):
        """The screen a service user lands on after login when no home action is set on the user: the dispatch
        board for dispatchers, My Day for technicians; none for other users."""
        self.ensure_one()
        if self.has_group("service_management.group_service_user"):
            return self.env.ref("service_management.service_dispatch_board_action", raise_if_not_found=False)
        if self.has_group("service_management.group_service_technician"):
            return self.env.ref("service_management.service_intervention_action_my_day", raise_if_not_found=False)
        return None
