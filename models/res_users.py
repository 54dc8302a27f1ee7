from odoo import fields, models


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
        """The screen a service user lands on after login when no home action is set on the user: the dispatch
        board for dispatchers, My Day for technicians; none for other users."""
        self.ensure_one()
        if self.has_group("service_management.group_service_user"):
            return self.env.ref("service_management.service_dispatch_board_action", raise_if_not_found=False)
        if self.has_group("service_management.group_service_technician"):
            return self.env.ref("service_management.service_intervention_action_my_day", raise_if_not_found=False)
        return None
