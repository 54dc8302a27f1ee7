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
