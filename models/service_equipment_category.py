from odoo import api, fields, models


class ServiceEquipmentCategory(models.Model):
    _name = "service.equipment.category"
    _description = "Equipment Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the category between all companies.",
    )
    equipment_ids = fields.One2many("service.equipment", "category_id")
    equipment_count = fields.Integer(compute="_compute_equipment_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An equipment category with this name already exists in this company.",
        ),
    ]

    @api.depends("equipment_ids")
    def _compute_equipment_count(self):
        counts = dict(
            self.env["service.equipment"]._read_group([("category_id", "in", self.ids)], ["category_id"], ["__count"])
        )
        for category in self:
            category.equipment_count = counts.get(category, 0)

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_equipment_action")
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
