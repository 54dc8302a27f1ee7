from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from odoo.addons.service_management.models.account_payment import COLLECTION_METHODS


class ServiceInterventionPaymentWizard(models.TransientModel):
    _name = "service.intervention.payment.wizard"
    _description = "Collect a Payment on Site"

    intervention_id = fields.Many2one("service.intervention", required=True, readonly=True)
    company_id = fields.Many2one(related="intervention_id.company_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_partner_id", help="The customer who pays."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(
        compute="_compute_amount_due",
        help="The parts not covered, taxes included, less what was already collected on this intervention.",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False, precompute=True, required=True)
    reference = fields.Char(
        string="Payment Reference",
        compute="_compute_reference",
        store=True,
        readonly=False,
        precompute=True,
        help="Written on the payment, so that the accountants match it with the intervention.",
    )
    method = fields.Selection(COLLECTION_METHODS, required=True, default="cash")
    cheque_number = fields.Char()

    @api.depends("intervention_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = wizard.intervention_id.partner_id.commercial_partner_id

    @api.depends("intervention_id")
    def _compute_amount_due(self):
        for wizard in self:
            wizard.amount_due = wizard.intervention_id._get_amount_due()

    @api.depends("intervention_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.intervention_id._get_amount_due()

    @api.depends("intervention_id")
    def _compute_reference(self):
        for wizard in self:
            wizard.reference = wizard.intervention_id.name

    def action_collect(self):
        self.ensure_one()
        self._collect_payment()
        return {"type": "ir.actions.act_window_close"}

    def _collect_payment(self):
        self.ensure_one()
        intervention = self.intervention_id
        # only who may work on the intervention collects for it; the payment itself is the accountants' model
        intervention.check_access("write")
        if self.currency_id.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("The amount collected must be positive."))
        if intervention.state == "cancelled":
            raise UserError(self.env._("No payment can be collected on a cancelled intervention."))
        self._check_amount_collectable()
        journal = self.company_id.sudo()._get_service_payment_journal(self.method)
        if not journal:
            raise UserError(
                self.env._(
                    "%(company)s has no journal for payments collected on site: set one in the Service settings.",
                    company=self.company_id.name,
                )
            )
        payment = (
            self.env["account.payment"].sudo().with_company(self.company_id).create(self._prepare_payment_vals(journal))
        )
        payment.action_post()
        # the payment may have been matched with the invoice: what the intervention shows as paid changes
        intervention.invalidate_recordset(["service_amount_paid", "service_amount_unpaid"])
        intervention.message_post(
            body=self.env._(
                "%(amount)s collected by %(user)s (%(method)s), payment %(payment)s.",
                amount=format_amount(self.env, self.amount, self.currency_id),
                user=self.env.user.name,
                method=dict(self._fields["method"]._description_selection(self.env))[self.method],
                payment=payment.name,
            )
        )
        return payment

    def _check_amount_collectable(self):
        """A technician collects at most what is due for the intervention; dispatchers and managers decide more."""
        self.ensure_one()
        if self.env.su or self.env.user.has_group("service_management.group_service_user"):
            return
        collectable = self.intervention_id._get_amount_collectable()
        if self.currency_id.compare_amounts(self.amount, collectable) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than what is due for %(intervention)s (%(due)s): "
                    "ask a dispatcher to collect more.",
                    amount=format_amount(self.env, self.amount, self.currency_id),
                    intervention=self.intervention_id.name,
                    due=format_amount(self.env, collectable, self.currency_id),
                )
            )

    def _prepare_payment_vals(self, journal):
        self.ensure_one()
        memo = (self.reference or "").strip() or self.intervention_id.name
        if self.method == "cheque" and self.cheque_number:
            memo = self.env._("%(reference)s - cheque %(number)s", reference=memo, number=self.cheque_number)
        return {
            "payment_type": "inbound",
            "partner_type": "customer",
            # always the intervention's customer, whatever the wizard was given
            "partner_id": self.intervention_id.partner_id.commercial_partner_id.id,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
            "date": fields.Date.context_today(self),
            "memo": memo,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "service_intervention_id": self.intervention_id.id,
            "service_collection_method": self.method,
            "service_cheque_number": self.cheque_number if self.method == "cheque" else False,
            "collected_by_id": self.env.user.id,
        }
