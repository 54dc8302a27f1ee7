from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..helpers.dunning import level_index


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "service.dunning.level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Last dunning level this invoice reached.",
    )
    dunning_date = fields.Date(string="Last Dunning", copy=False, readonly=True)
    dunning_interest_date = fields.Date(
        string="Interest Charged Until",
        copy=False,
        readonly=True,
        help="Late-payment interest has been charged up to this date.",
    )
    dunning_indemnity_charged = fields.Boolean(
        string="Recovery Indemnity Charged",
        copy=False,
        readonly=True,
    )
    dunning_history_ids = fields.One2many("service.dunning.history", "move_id")
    dunning_dispute = fields.Boolean(string="In Dispute", copy=False, tracking=True)
    dunning_dispute_reason = fields.Char(string="Dispute Reason", copy=False, tracking=True)
    dunning_dispute_date = fields.Date(string="Disputed Since", copy=False, readonly=True)
    dunning_charge_origin_ids = fields.Many2many(
        "account.move",
        "account_move_dunning_charge_rel",
        "charge_move_id",
        "origin_move_id",
        string="Dunned Invoices",
        copy=False,
        readonly=True,
        help="Invoices whose dunning fees, interest and indemnities this invoice charges.",
    )
    service_dunning_charge = fields.Boolean(
        string="Dunning Charge Invoice",
        copy=False,
        readonly=True,
        index=True,
        help="Created by a dunning run to charge fees, interest and indemnities; "
        "not dunned itself unless the customer's policy says so.",
    )
    dunning_next_date = fields.Date(
        string="Next Dunning Action",
        compute="_compute_dunning_next_date",
        store=True,
        help="Date on which the invoice reaches its next dunning level.",
    )
    dunning_days_late = fields.Integer(string="Days Late", compute="_compute_dunning_days_late")

    @api.depends(
        "invoice_date_due",
        "dunning_level_id",
        "dunning_date",
        "payment_state",
        "state",
        "move_type",
        "dunning_dispute",
        "service_dunning_charge",
    )
    def _compute_dunning_next_date(self):
        open_invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due
                and not move.dunning_dispute
            )
        )
        (self - open_invoices).dunning_next_date = False
        # Whoever posts the invoice, its next dunning date follows the policy.
        policies = self.env["service.dunning.policy"].sudo()._get_default_policies(open_invoices.company_id)
        for move in open_invoices:
            policy = move.commercial_partner_id.sudo()._get_dunning_policy(move.company_id, policies)
            if not policy or (move.service_dunning_charge and not policy.dun_charge_invoices):
                move.dunning_next_date = False
                continue
            levels = list(policy._get_sorted_levels())
            index = move._get_dunning_level_index(levels) + 1
            if index >= len(levels):
                move.dunning_next_date = False
                continue
            next_date = move.invoice_date_due + timedelta(days=levels[index].days)
            if move.dunning_date and move.dunning_level_id:
                next_date = max(next_date, move.dunning_date + timedelta(days=policy.min_days_between_levels))
            move.dunning_next_date = next_date

    def _get_dunning_level_index(self, levels):
        """Index in ``levels`` (a policy's sorted levels) of the last level this invoice reached, -1 if none.

        A level of another policy counts as the last of ``levels`` that does not come after it.
        """
        self.ensure_one()
        current = self.dunning_level_id
        return level_index(
            [(level.sequence, level.days, level.id) for level in levels],
            (current.sequence, current.days, current.id) if current else None,
        )

    def _compute_dunning_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.dunning_days_late = (today - move.invoice_date_due).days if move.invoice_date_due else 0

    @api.constrains("dunning_dispute", "dunning_dispute_reason")
    def _check_dunning_dispute_reason(self):
        for move in self:
            if move.dunning_dispute and not move.dunning_dispute_reason:
                raise ValidationError(
                    self.env._("Give the reason of the dispute on %(invoice)s.", invoice=move.display_name)
                )

    def write(self, vals):
        if "service_dunning_charge" in vals and any(
            move.service_dunning_charge != bool(vals["service_dunning_charge"]) for move in self
        ):
            raise UserError(
                self.env._("Only a dunning run makes an invoice a dunning charge invoice, when it creates it.")
            )
        if "dunning_dispute" in vals:
            vals["dunning_dispute_date"] = fields.Date.context_today(self) if vals["dunning_dispute"] else False
            if not vals["dunning_dispute"]:
                vals.setdefault("dunning_dispute_reason", False)
        return super().write(vals)

    def action_view_dunning_charges(self):
        self.ensure_one()
        charges = self.search([("dunning_charge_origin_ids", "in", self.ids)])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning Charges"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", charges.ids)],
        }
