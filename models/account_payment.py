from odoo import fields, models

COLLECTION_METHODS = [
    ("cash", "Cash"),
    ("cheque", "Cheque"),
    ("card", "Card"),
    ("transfer", "Transfer"),
]
# set by the collection on site (the intervention's Collect Payment) only
COLLECTION_FIELDS = (
    "service_intervention_id",
    "service_collection_method",
    "service_cheque_number",
    "collected_by_id",
    "service_credit_noted",
)


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "service.protected.fields.mixin"]

    _service_protected_fields = COLLECTION_FIELDS

    service_intervention_id = fields.Many2one(
        "service.intervention",
        string="Intervention",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The intervention during which the technician collected this payment.",
    )
    service_collection_method = fields.Selection(
        COLLECTION_METHODS, string="Collection Method", readonly=True, copy=False
    )
    service_cheque_number = fields.Char(string="Cheque Number", readonly=True, copy=False)
    collected_by_id = fields.Many2one(
        "res.users", string="Collector", readonly=True, copy=False, index="btree_not_null"
    )
    service_credit_noted = fields.Boolean(
        string="Noted as Credit",
        readonly=True,
        copy=False,
        help="Its intervention had nothing to bill: the intervention says that the payment stays as a credit.",
    )

    def action_post(self):
        res = super().action_post()
        # collected after the invoice of its work was posted: match them at once
        self.service_intervention_id._service_match_payments()
        return res

    def action_open_service_intervention(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.intervention",
            "res_id": self.service_intervention_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
