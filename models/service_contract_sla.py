from odoo import fields, models

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]


class ServiceContractSla(models.Model):
    _name = "service.contract.sla"
    _description = "Contract Service Level"
    _order = "contract_id, priority desc"

    contract_id = fields.Many2one("service.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    priority = fields.Selection(PRIORITIES, required=True, default="1")
    response_hours = fields.Float(string="Response Time (h)", required=True)
    resolution_hours = fields.Float(string="Resolution Time (h)", required=True)

    _sql_constraints = [
        ("priority_contract_uniq", "unique(contract_id, priority)", "One service level per priority and contract."),
        (
            "hours_check",
            "CHECK(response_hours >= 0 AND resolution_hours >= response_hours)",
            "Times cannot be negative, and the resolution time cannot be shorter than the response time.",
        ),
    ]
