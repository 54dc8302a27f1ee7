from odoo import fields, models

COLLECTION_METHODS = [
    ("cash", "Cash"),
    ("cheque", "Cheque"),
    ("card", "Card"),
    ("transfer", "Transfer"),
]


class AccountPayment(models.Model):
    _inherit = "account.payment"

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

    def action_open_service_intervention(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.intervention",
            "res_id": self.service_intervention_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
