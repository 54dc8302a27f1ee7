from odoo import models


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "service.payer.grade.mixin"]
