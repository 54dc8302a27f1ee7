from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_management.helpers import billing
from odoo.addons.service_management.models.service_protected_fields_mixin import BILLING_GROUPS

PRICE_FIELDS = ("price_unit", "quantity", "discount")


class ServiceContractLine(models.Model):
    _inherit = "service.contract.line"

    billed_until = fields.Date(readonly=True, copy=False, help="The last day of service billed for this line.")
    billing_period_ids = fields.One2many(
        "service.billing.period", "contract_line_id", string="Billed Periods", groups=BILLING_GROUPS
    )

    def _get_billing_recurrence(self):
        """``(unit, interval, anchor)`` of this line's billing periods."""
        self.ensure_one()
        contract = self.contract_id
        unit = self.recurring_rule_type or contract.recurring_rule_type
        interval = self.recurring_interval or contract.recurring_interval or 1
        return unit, interval, billing.period_anchor(contract.date_start, unit)

    def _get_billing_bounds(self):
        """``(first, last)`` day this line can be billed for; ``last`` is ``None`` for an open-ended contract."""
        self.ensure_one()
        contract = self.contract_id
        first = max(contract.date_start, contract.billing_start_date or contract.date_start)
        last = min(filter(None, [contract.date_end, contract.termination_date]), default=None)
        return first, last

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("billed_until") for vals in vals_list):
            raise UserError(self.env._("The billed-until date of a contract line is set by the billing only."))
        return super().create(vals_list)

    def write(self, vals):
        if "billed_until" in vals and not self.env.su:
            raise UserError(self.env._("The billed-until date of a contract line is set by the billing only."))
        return super().write(vals)

    def _restore_billed_until(self):
        """Set these lines' billed-until date back to the end of their last period still billed."""
        last = dict(
            self.env["service.billing.period"]
            .sudo()
            ._read_group([("contract_line_id", "in", self.ids)], ["contract_line_id"], ["date_to:max"])
        )
        by_date = defaultdict(list)
        for line in self:
            by_date[last.get(line, False)].append(line.id)
        for day, line_ids in by_date.items():
            self.browse(line_ids).sudo().write({"billed_until": day})

    def _get_next_due_date(self):
        self.ensure_one()
        unit, interval, anchor = self._get_billing_recurrence()
        first, last = self._get_billing_bounds()
        return billing.next_due_date(
            anchor, unit, interval, first, last, self.billed_until, self.contract_id.billing_rule == "arrears"
        )

    def _get_periods_to_bill(self, today):
        """``[(period_start, period_end, date_from, date_to)]`` of this line due on ``today``, not billed yet."""
        self.ensure_one()
        unit, interval, anchor = self._get_billing_recurrence()
        first, last = self._get_billing_bounds()
        return billing.periods_to_bill(
            anchor, unit, interval, first, last, self.billed_until, today, self.contract_id.billing_rule == "arrears"
        )

    def _get_price_changes(self):
        """The amendment changes of price, quantity and discount of these lines: ``{line: {field: changes}}``."""
        changes = self.env["service.contract.amendment.change"].search(
            [("line_id", "in", self.ids), ("field_name", "in", PRICE_FIELDS)], order="date, id"
        )
        result = defaultdict(lambda: defaultdict(list))
        for change in changes:
            result[change.line_id][change.field_name].append(change)
        return result

    def _get_price_values_at(self, on_date, line_changes):
        """Price, quantity and discount of this line in force on ``on_date`` (same rule as ``_get_values_at``)."""
        self.ensure_one()
        values = {fname: self[fname] for fname in PRICE_FIELDS}
        for fname, changes in line_changes.items():
            past = [change for change in changes if change.date <= on_date]
            values[fname] = past[-1]._get_value(new=True) if past else changes[0]._get_value(new=False)
        return values
