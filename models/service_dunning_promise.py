from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceDunningPromise(models.Model):
    _name = "service.dunning.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "service.protected.fields.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        check_company=True,
        index="btree_not_null",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
        help="Empty: the promise pauses the dunning of all the customer's invoices.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    date_start = fields.Date(string="Given On", required=True, default=fields.Date.context_today)
    residual_start = fields.Monetary(string="Due When Given", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")],
        default="pending",
        required=True,
        tracking=True,
    )
    note = fields.Char()

    # what was due when the promise was given, to tell whether it is kept: taken by the application
    _service_protected_fields = ("residual_start",)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The promised amount must be positive."),
    ]

    @api.depends("partner_id", "amount", "date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(customer)s: %(amount)s on %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=promise.amount,
                date=promise.date or "",
            )

    @api.constrains("date", "date_start")
    def _check_dates(self):
        for promise in self:
            if promise.date < promise.date_start:
                raise ValidationError(self.env._("A promise to pay cannot be dated before it was given."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_code_write() and any(vals.get("state", "pending") != "pending" for vals in vals_list):
            raise UserError(self.env._("A promise to pay is given pending: it is kept or broken afterwards."))
        promises = super().create(vals_list)
        for promise in promises:
            promise._with_code_write().residual_start = promise._get_residual()
        messages = {
            promise.partner_id.id: self.env._(
                "Promise to pay %(amount)s by %(date)s: dunning paused.", amount=promise.amount, date=promise.date
            )
            for promise in promises
        }
        self.env["res.partner"].browse(list(messages))._message_log_batch(bodies=messages)
        return promises

    def _get_residual(self):
        """What the promise covers is still due: the invoice's residual, or all the customer's open invoices."""
        self.ensure_one()
        if self.move_id:
            return self.move_id.amount_residual
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        return sum(moves.mapped("amount_residual"))

    def _get_paid_since_start(self):
        """Amount the customer paid since the promise (credits on its receivable dated from then)."""
        self.ensure_one()
        if self.move_id:
            return max(self.residual_start - self.move_id.amount_residual, 0.0)
        groups = self.env["account.move.line"]._read_group(
            [
                ("partner_id.commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("credit", ">", 0),
                ("date", ">=", self.date_start),
            ],
            [],
            ["credit:sum"],
        )
        return groups[0][0] or 0.0

    @api.model
    def _check_promises(self, date, companies):
        """Settle the pending promises whose date is before ``date``: kept when paid, broken otherwise."""
        promises = self.search([("state", "=", "pending"), ("date", "<", date), ("company_id", "in", companies.ids)])
        messages = {}
        for promise in promises:
            paid = promise._get_paid_since_start()
            kept = promise.currency_id.compare_amounts(paid, promise.amount) >= 0
            promise._with_code_write().state = "kept" if kept else "broken"
            if kept:
                body = self.env._(
                    "Promise to pay %(amount)s by %(date)s kept.", amount=promise.amount, date=promise.date
                )
            else:
                body = self.env._(
                    "Promise to pay %(amount)s by %(date)s broken (%(paid)s paid): dunning resumes.",
                    amount=promise.amount,
                    date=promise.date,
                    paid=paid,
                )
            messages.setdefault(promise.partner_id.id, []).append(body)
        self.env["res.partner"].browse(list(messages))._message_log_batch(
            bodies={partner_id: Markup("<br/>").join(bodies) for partner_id, bodies in messages.items()}
        )
        return promises

    def write(self, vals):
        if "state" in vals and not self._is_code_write():
            raise UserError(
                self.env._(
                    "A promise to pay is kept with Mark as Kept, or settled by the dunning on its date: its status "
                    "cannot be changed by hand."
                )
            )
        return super().write(vals)

    def action_mark_kept(self):
        settled = self.filtered(lambda promise: promise.state != "pending")
        if settled:
            raise UserError(
                self.env._(
                    "%(promises)s is already settled: only a pending promise can be marked as kept.",
                    promises=", ".join(settled.mapped("display_name")),
                )
            )
        self._with_code_write().write({"state": "kept"})
        return True
