from odoo import fields, models


class ServiceEquipment(models.Model):
    _name = "service.equipment"
    _inherit = ["service.equipment", "portal.mixin"]

    note = fields.Html(groups="base.group_user")

    def _compute_access_url(self):
        for equipment in self:
            equipment.access_url = f"/my/equipment/{equipment.id}"

    def _get_portal_interventions(self, limit=5):
        """The last interventions of this equipment a customer may see, newest first."""
        self.ensure_one()
        return self.env["service.intervention"].search(
            [("equipment_id", "=", self.id), ("state", "!=", "cancelled")], order="call_date desc", limit=limit
        )
