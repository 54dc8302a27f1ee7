from odoo import api, fields, models

from odoo.addons.service_management.models.service_intervention import INTERVENTION_TYPES


class ServiceChecklistTemplate(models.Model):
    _name = "service.checklist.template"
    _description = "Intervention Checklist Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    intervention_type = fields.Selection(
        INTERVENTION_TYPES,
        required=True,
        help="Every new intervention of this type gets this checklist.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("service.checklist.template.item", "template_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count", string="Items Count")

    @api.depends("item_ids")
    def _compute_item_count(self):
        for template in self:
            template.item_count = len(template.item_ids)

    @api.model
    def _get_templates_by_key(self, keys):
        """``{(company_id, intervention_type): template}`` for the given keys: the first active template of each."""
        company_ids = {company_id for company_id, __ in keys}
        types = {intervention_type for __, intervention_type in keys}
        templates = self.search([("company_id", "in", list(company_ids)), ("intervention_type", "in", list(types))])
        by_key = {}
        for template in templates:
            by_key.setdefault((template.company_id.id, template.intervention_type), template)
        return by_key
