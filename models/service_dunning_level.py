from odoo import api, fields, models
from odoo.exceptions import ValidationError

# a level before the due date reminds at most two months ahead; after it, two years is already a lost debt
MIN_DAYS = -60
MAX_DAYS = 730


class ServiceDunningLevel(models.Model):
    _name = "service.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, days, id"
    _check_company_auto = True

    policy_id = fields.Many2one("service.dunning.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="The level is reached this many days after the invoice's due date (negative: before it).",
    )
    send_email = fields.Boolean(string="E-mail", default=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'service.dunning.run.line')]",
        default=lambda self: self.env.ref("service_management.mail_template_service_dunning_letter", False),
    )
    print_letter = fields.Boolean(string="Printed Letter")
    create_activity = fields.Boolean(
        string="Phone Call",
        help="Schedule a phone call for the customer's salesperson (or the credit controller).",
    )
    handoff_agency = fields.Boolean(string="Collection Agency Hand-off")
    agency_partner_id = fields.Many2one("res.partner", string="Collection Agency", check_company=True)
    fee_product_id = fields.Many2one(
        "product.product",
        help="Product invoiced as the fee of this level; its sales price is the fee unless a fixed amount is set.",
    )
    fee_amount = fields.Monetary(string="Fixed Fee")
    apply_interest = fields.Boolean(
        string="Late-Payment Interest",
        help="Charge the French late-payment interest at the company's rate on the invoices reaching this level.",
    )
    apply_indemnity = fields.Boolean(
        string="Recovery Indemnity",
        help="Charge the fixed recovery indemnity (40 EUR) on the invoices reaching this level, once per invoice.",
    )
    letter_text = fields.Html(
        translate=True,
        help="Opening text of the letter and e-mail of this level.",
    )

    _sql_constraints = [
        ("fee_amount_positive", "CHECK(fee_amount >= 0)", "A dunning fee cannot be negative."),
    ]

    @api.constrains("days", "sequence", "policy_id")
    def _check_days(self):
        """Days within the range first, then later and later along the policy's levels."""
        for level in self:
            if not MIN_DAYS <= level.days <= MAX_DAYS:
                raise ValidationError(
                    self.env._(
                        "The level %(level)s is reached %(days)s days after the due date: "
                        "choose between %(min)s and %(max)s days.",
                        level=level.name,
                        days=level.days,
                        min=MIN_DAYS,
                        max=MAX_DAYS,
                    )
                )
        for policy in self.policy_id:
            previous = None
            for level in policy._get_sorted_levels():
                if previous and level.days <= previous.days:
                    raise ValidationError(
                        self.env._(
                            "The levels of the policy %(policy)s must come later and later: %(level)s "
                            "(%(days)s days) follows %(previous)s (%(previous_days)s days). "
                            "Give it more days or move it up the list.",
                            policy=policy.name,
                            level=level.name,
                            days=level.days,
                            previous=previous.name,
                            previous_days=previous.days,
                        )
                    )
                previous = level

    @api.constrains("handoff_agency", "agency_partner_id")
    def _check_agency(self):
        for level in self:
            if level.handoff_agency and not level.agency_partner_id:
                raise ValidationError(
                    self.env._("The level %(level)s hands off to an agency: choose the agency.", level=level.name)
                )

    @api.constrains("send_email", "mail_template_id")
    def _check_mail_template(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._("The level %(level)s sends an e-mail: choose its template.", level=level.name)
                )

    def _get_fee(self):
        """``(product, amount)`` of the fee of this level."""
        self.ensure_one()
        return self.fee_product_id or self.company_id._get_dunning_product("fee"), self._get_fee_amount()

    def _get_fee_amount(self):
        """The fee of this level: its amount, else its fee product's price."""
        self.ensure_one()
        return self.fee_amount or (self.fee_product_id.lst_price if self.fee_product_id else 0.0)

    def _get_channel_labels(self):
        self.ensure_one()
        labels = []
        if self.send_email:
            labels.append(self.env._("e-mail"))
        if self.print_letter:
            labels.append(self.env._("letter"))
        if self.create_activity:
            labels.append(self.env._("phone call"))
        if self.handoff_agency:
            labels.append(self.env._("collection agency"))
        return labels
