from odoo import api, fields, models

from odoo.addons.service_management.models.service_checklist_template_item import ANSWER_TYPES

# a technician answers the questions; the questions themselves are the company's
TECHNICIAN_FIELDS = ("answer_yes_no", "answer_number", "answer_text", "answer_photo")


class ServiceInterventionChecklistLine(models.Model):
    _name = "service.intervention.checklist.line"
    _description = "Intervention Checklist Line"
    _inherit = ["service.protected.fields.mixin"]
    _order = "intervention_id, sequence, id"

    _service_protected_fields = ("answered", "company_id")

    intervention_id = fields.Many2one("service.intervention", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="intervention_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    question = fields.Char(required=True)
    answer_type = fields.Selection(ANSWER_TYPES, required=True, default="yes_no")
    required = fields.Boolean()
    answer_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Yes / No")
    answer_number = fields.Float(string="Reading", help="A reading of zero counts as no answer.")
    answer_text = fields.Text(string="Answer")
    answer_photo = fields.Image(string="Photo", max_width=1920, max_height=1920, attachment=True)
    answered = fields.Boolean(compute="_compute_answered", store=True)
    answer_display = fields.Char(compute="_compute_answer_display", string="Given Answer")

    @api.depends("answer_type", "answer_yes_no", "answer_number", "answer_text", "answer_photo")
    def _compute_answered(self):
        for line in self:
            line.answered = bool(line._get_answer_value())

    @api.depends("answer_type", "answer_yes_no", "answer_number", "answer_text", "answered")
    @api.depends_context("lang")
    def _compute_answer_display(self):
        selection = dict(self._fields["answer_yes_no"]._description_selection(self.env))
        for line in self:
            if not line.answered:
                line.answer_display = ""
            elif line.answer_type == "yes_no":
                line.answer_display = selection[line.answer_yes_no]
            elif line.answer_type == "number":
                line.answer_display = f"{line.answer_number:g}"
            elif line.answer_type == "photo":
                line.answer_display = self.env._("Photo taken")
            else:
                line.answer_display = line.answer_text

    def write(self, vals):
        if self._is_technician_only():
            self._check_technician_fields(vals, TECHNICIAN_FIELDS)
            self.intervention_id._check_open_for_technician()
        return super().write(vals)

    def _get_answer_value(self):
        self.ensure_one()
        return {
            "yes_no": self.answer_yes_no,
            "number": self.answer_number,
            "text": (self.answer_text or "").strip(),
            "photo": self.answer_photo,
        }[self.answer_type]
