from odoo import fields, models


class ServiceZone(models.Model):
    _name = "service.zone"
    _description = "Service Zone"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", help="Leave empty to share the zone between all companies.")
    technician_ids = fields.Many2many(
        "res.users",
        "service_zone_technician_rel",
        "zone_id",
        "user_id",
        string="Technicians",
        help="Technicians whose home zone this is.",
    )
    site_ids = fields.One2many("res.partner", "service_zone_id", string="Sites")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "A zone code must be unique.")]
