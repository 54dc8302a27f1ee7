from odoo import api, fields, models

INTERVENTION_STATES = [
    ("new", "New"),
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class ServiceInterventionStage(models.Model):
    _name = "service.intervention.stage"
    _description = "Intervention Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    state = fields.Selection(
        INTERVENTION_STATES,
        required=True,
        default="new",
        help="What the stage means for the work: the buttons move interventions to the first stage of each state.",
    )
    is_closed = fields.Boolean(
        string="Closing Stage", compute="_compute_is_closed", store=True, help="Done or cancelled work."
    )

    @api.depends("state")
    def _compute_is_closed(self):
        for stage in self:
            stage.is_closed = stage.state in ("done", "cancelled")
