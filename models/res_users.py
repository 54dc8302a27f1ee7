from odoo import fields, models

# The screen each role starts on, first match wins: after login (unless a home action is set on the user) and
# when opening the Service app. Accountants (Accounting / Administrator) keep Odoo's default after login.
SERVICE_HOME_ACTIONS = [
    ("service_management.group_service_user", "service_management.service_dispatch_board_action"),
    ("service_management.group_service_technician", "service_management.service_intervention_action_my_day"),
    ("account.group_account_manager", None),
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

    def _get_service_home_action(self):
        """The screen of this user's role (see ``SERVICE_HOME_ACTIONS``): the dispatch board of dispatchers,
        My Day of technicians, the dunning runs of credit controllers, the invoices to review of billing clerks;
        ``None`` for everyone else (Odoo's default)."""
        self.ensure_one()
        for group, xmlid in SERVICE_HOME_ACTIONS:
            if self.has_group(group):
                return self.env.ref(xmlid, raise_if_not_found=False) if xmlid else None
        return None

    def _get_service_app_action(self):
        """The Service app's first screen: the Service dashboard for service managers, else the screen of the
        user's role, else My Day."""
        self.ensure_one()
        dashboard = self.env.ref("service_management.spreadsheet_dashboard_service", raise_if_not_found=False)
        if dashboard and self.has_group("service_management.group_service_manager"):
            action = self.env["ir.actions.actions"]._for_xml_id("spreadsheet_dashboard.ir_actions_dashboard_action")
            action["params"] = {"dashboard_id": dashboard.id}
            return action
        home = self._get_service_home_action()
        xmlid = home.get_external_id()[home.id] if home else "service_management.service_intervention_action_my_day"
        return self.env["ir.actions.actions"]._for_xml_id(xmlid)
