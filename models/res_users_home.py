from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _get_service_app_action(self):
        """The Service app's first screen: the Service dashboard for service managers, the dispatch board for
        dispatchers, My Day for technicians, and the queue of their role for credit controllers and billing clerks
        who are not technicians."""
        self.ensure_one()
        dashboard = self.env.ref("service_management.spreadsheet_dashboard_service", raise_if_not_found=False)
        if dashboard and self.has_group("service_management.group_service_manager"):
            action = self.env["ir.actions.actions"]._for_xml_id("spreadsheet_dashboard.ir_actions_dashboard_action")
            action["params"] = {"dashboard_id": dashboard.id}
            return action
        if self.has_group("service_management.group_service_user"):
            return self.env["ir.actions.actions"]._for_xml_id("service_management.service_dispatch_board_action")
        office_action = not self.has_group("service_management.group_service_technician") and (
            self._service_get_home_action()
        )
        xmlid = office_action.get_external_id()[office_action.id] if office_action else False
        return self.env["ir.actions.actions"]._for_xml_id(
            xmlid or "service_management.service_intervention_action_my_day"
        )
