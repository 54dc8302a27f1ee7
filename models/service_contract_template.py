from odoo import fields, models

from odoo.addons.service_management.models.service_contract import (
    BILLING_RULES,
    DURATION_UNITS,
    INDEXATION_METHODS,
    INVOICE_POLICIES,
    RECURRENCE_UNITS,
)

TEMPLATE_FIELDS = (
    "billing_rule",
    "recurring_interval",
    "recurring_rule_type",
    "invoice_policy",
    "duration_value",
    "duration_unit",
    "auto_renew",
    "renewal_value",
    "renewal_unit",
    "notice_period_days",
    "expiry_alert_days",
    "notice_alert_days",
    "sla_response_hours",
    "sla_resolution_hours",
    "indexation_method",
    "index_fixed_part",
    "index_variable_part",
    "indexation_percentage",
    "note",
)


class ServiceContractTemplate(models.Model):
    _name = "service.contract.template"
    _description = "Service Contract Template"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the template between all companies.")
    billing_rule = fields.Selection(BILLING_RULES, required=True, default="advance")
    recurring_interval = fields.Integer(string="Invoice Every", default=1, required=True)
    recurring_rule_type = fields.Selection(RECURRENCE_UNITS, string="Recurrence", default="monthly", required=True)
    invoice_policy = fields.Selection(INVOICE_POLICIES, default="draft", required=True)
    duration_value = fields.Integer(string="Duration", default=1)
    duration_unit = fields.Selection(DURATION_UNITS, default="yearly", required=True)
    auto_renew = fields.Boolean(string="Tacit Renewal", default=True)
    renewal_value = fields.Integer(string="Renew For", default=1)
    renewal_unit = fields.Selection(DURATION_UNITS, default="yearly", required=True)
    notice_period_days = fields.Integer(string="Notice Period (days)", default=90)
    expiry_alert_days = fields.Integer(string="Expiry Alert (days)", default=60)
    notice_alert_days = fields.Integer(string="Notice Alert (days)", default=30)
    sla_response_hours = fields.Float(string="Response Time (h)")
    sla_resolution_hours = fields.Float(string="Resolution Time (h)")
    indexation_method = fields.Selection(INDEXATION_METHODS, default="none", required=True)
    index_id = fields.Many2one("service.index", check_company=True)
    index_fixed_part = fields.Float(string="Fixed Part (a)", default=0.15, digits=(4, 4))
    index_variable_part = fields.Float(string="Indexed Part (b)", default=0.85, digits=(4, 4))
    indexation_percentage = fields.Float(string="Yearly Increase (%)")
    note = fields.Html(string="Terms and Conditions", translate=True)
    line_ids = fields.One2many("service.contract.template.line", "template_id", string="Lines", copy=True)

    def _prepare_contract_vals(self, contract):
        """Values a contract takes from this template (lines replace the contract's)."""
        self.ensure_one()
        vals = {fname: self[fname] for fname in TEMPLATE_FIELDS}
        vals["index_id"] = self.index_id.id
        vals["line_ids"] = [fields.Command.clear()] + [
            fields.Command.create(line._prepare_contract_line_vals()) for line in self.line_ids
        ]
        return vals
