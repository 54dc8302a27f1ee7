from odoo import fields, models


class ServiceContractTerminationReason(models.Model):
    _name = "service.contract.termination.reason"
    _description = "Contract Termination Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
