from odoo import models


class ServiceIntervention(models.Model):
    _name = "service.intervention"
    _inherit = ["service.intervention", "service.payer.grade.mixin"]
