from odoo import fields, models

ANSWER_TYPES = [
    ("yes_no", "Yes / No"),
    ("number", "Number"),
    ("text", "Text"),
    ("photo", "Photo"),
]


class ServiceChecklistTemplateItem(models.Model):
    _name = "service.checklist.template.item"
    _description = "Intervention Checklist Template Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("service.checklist.template", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="template_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    question = fields.Char(required=True, translate=True)
    answer_type = fields.Selection(ANSWER_TYPES, required=True, default="yes_no")
    required = fields.Boolean(help="The intervention cannot be finished while this item is not answered.")

    def _prepare_checklist_line_vals(self, intervention):
        self.ensure_one()
        return {
            "intervention_id": intervention.id,
            "sequence": self.sequence,
            "question": self.question,
            "answer_type": self.answer_type,
            "required": self.required,
        }
