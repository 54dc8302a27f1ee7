from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_management.helpers import preventive, recurrence
from odoo.addons.service_management.models.service_contract import RECURRENCE_UNITS
from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS

COVERAGE = [("included", "Included"), ("billable", "Billable")]
AMENDABLE_FIELDS = (
    "price_unit",
    "quantity",
    "discount",
    "cover_labour",
    "cover_travel",
    "cover_parts",
    "equipment_ids",
)


class ServiceContractLine(models.Model):
    _name = "service.contract.line"
    _description = "Service Contract Line"
    _inherit = ["service.protected.fields.mixin"]
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    # how far the preventive job created the visits: moving it would skip or repeat visits
    _service_protected_fields = ("preventive_planned_until",)

    contract_id = fields.Many2one("service.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    partner_id = fields.Many2one(related="contract_id.partner_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
    )
    name = fields.Text(
        string="Description", compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        groups=PRICE_GROUPS,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount", groups=PRICE_GROUPS)
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    price_subtotal = fields.Monetary(
        compute="_compute_price_subtotal", store=True, string="Subtotal", groups=PRICE_GROUPS
    )
    equipment_ids = fields.Many2many(
        "service.equipment",
        "service_contract_line_service_equipment_rel",
        "service_contract_line_id",
        "service_equipment_id",
        string="Covered Equipment",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    cover_labour = fields.Selection(COVERAGE, string="Labour", default="included", required=True)
    cover_travel = fields.Selection(COVERAGE, string="Travel", default="included", required=True)
    cover_parts = fields.Selection(COVERAGE, string="Parts", default="billable", required=True)
    recurring_rule_type = fields.Selection(
        RECURRENCE_UNITS,
        string="Recurrence",
        compute="_compute_recurrence",
        store=True,
        readonly=False,
        precompute=True,
    )
    recurring_interval = fields.Integer(
        string="Every", compute="_compute_recurrence", store=True, readonly=False, precompute=True
    )
    visits_per_year = fields.Integer(string="Visits per Year", help="Preventive visits this line calls for.")
    preferred_months = fields.Char(
        help="Months of the preventive visits, as numbers separated by commas, e.g. 3,9 for March and September."
    )
    preventive_planned_until = fields.Date(
        readonly=True, copy=False, help="Preventive interventions exist for this line up to this date."
    )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if line.product_id and line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "quantity", "product_uom_id", "contract_id.pricelist_id", "contract_id.currency_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id or (line._origin.price_unit and line._origin.product_id == line.product_id):
                continue
            line.price_unit = line._get_catalog_price()

    @api.depends("product_id", "contract_id.fiscal_position_id", "company_id")
    def _compute_tax_ids(self):
        for line in self:
            company = line.company_id or self.env.company
            taxes = line.product_id.taxes_id._filter_taxes_by_company(company)
            line.tax_ids = line.contract_id.fiscal_position_id.map_tax(taxes)

    @api.depends("quantity", "price_unit", "discount")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit * (1 - (line.discount or 0.0) / 100.0)

    @api.depends("contract_id.recurring_rule_type", "contract_id.recurring_interval")
    def _compute_recurrence(self):
        for line in self:
            if not line.recurring_rule_type:
                line.recurring_rule_type = line.contract_id.recurring_rule_type
                line.recurring_interval = line.contract_id.recurring_interval

    @api.constrains("preferred_months", "visits_per_year")
    def _check_preferred_months(self):
        for line in self:
            if line.visits_per_year < 0:
                raise ValidationError(self.env._("The number of visits per year cannot be negative."))
            months = line._get_preferred_months()
            if months and len(months) != line.visits_per_year:
                raise ValidationError(
                    self.env._(
                        "%(line)s: %(count)s preferred months are given for %(visits)s visits a year.",
                        line=line.product_id.display_name,
                        count=len(months),
                        visits=line.visits_per_year,
                    )
                )

    @api.constrains("quantity", "price_unit", "discount", "recurring_interval")
    def _check_amounts(self):
        for line in self:
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(self.env._("Quantities and prices of a contract line cannot be negative."))
            if not 0 <= line.discount <= 100:
                raise ValidationError(self.env._("A discount is a percentage between 0 and 100."))
            if line.recurring_interval < 1:
                raise ValidationError(self.env._("The recurrence of a line must be at least 1."))

    def _get_preferred_months(self):
        """The preferred months as a sorted list of integers (1-12); a clear error when badly written."""
        self.ensure_one()
        if not self.preferred_months:
            return []
        try:
            months = sorted({int(part) for part in self.preferred_months.replace(" ", "").split(",") if part})
        except ValueError:
            months = [0]
        if any(not 1 <= month <= 12 for month in months):
            raise ValidationError(
                self.env._(
                    "Preferred months must be numbers from 1 to 12 separated by commas, not %(value)r.",
                    value=self.preferred_months,
                )
            )
        return months

    def _get_catalog_price(self):
        """The unit price from the contract's pricelist, else the product's sales price in the contract currency."""
        self.ensure_one()
        contract = self.contract_id
        date = contract.date_start or fields.Date.context_today(self)
        if contract.pricelist_id:
            return contract.pricelist_id._get_product_price(
                self.product_id, self.quantity or 1.0, uom=self.product_uom_id, date=date
            )
        company = contract.company_id or self.env.company
        price = self.product_id.lst_price
        if self.product_uom_id:
            price = self.product_id.uom_id._compute_price(price, self.product_uom_id)
        return company.currency_id._convert(price, contract.currency_id or company.currency_id, company, date)

    def _get_yearly_factor(self):
        self.ensure_one()
        if not self.recurring_rule_type or not self.recurring_interval:
            return 0.0
        return recurrence.yearly_factor(self.recurring_rule_type, self.recurring_interval)

    def _get_values_at(self, on_date):
        """The amendable values of each line in force on ``on_date``: ``{line: {field: value}}``.

        The last change effective on or before the date wins; before the first
        change, its old value applies; a line never amended has its current values.
        """
        Change = self.env["service.contract.amendment.change"]
        changes = Change.search([("line_id", "in", self.ids)], order="date, id")
        result = {}
        for line in self:
            values = {fname: line[fname] for fname in AMENDABLE_FIELDS}
            line_changes = changes.filtered(lambda c, line=line: c.line_id == line)
            for fname in AMENDABLE_FIELDS:
                field_changes = line_changes.filtered(lambda c, fname=fname: c.field_name == fname)
                if not field_changes:
                    continue
                past = field_changes.filtered(lambda c: c.date <= on_date)
                change = past[-1:] if past else field_changes[:1]
                values[fname] = change._get_value(new=bool(past))
            result[line] = values
        return result

    def _get_preventive_slots(self, date_from, date_to):
        """The visit dates of this line between the two dates, within the contract's life."""
        self.ensure_one()
        contract = self.contract_id
        end = min(filter(None, [date_to, contract.date_end, contract.termination_date]))
        start = max(date_from, contract.date_start)
        return preventive.visit_dates(
            contract.date_start, self.visits_per_year, self._get_preferred_months(), start, end
        )

    def _prepare_preventive_intervention_vals(self, slot, equipment):
        self.ensure_one()
        contract = self.contract_id
        return {
            "company_id": contract.company_id.id,
            "intervention_type": "preventive",
            "partner_id": contract.partner_id.id,
            "site_id": (equipment.site_id or contract.site_ids[:1] or contract.partner_id).id,
            "equipment_id": equipment.id,
            "contract_id": contract.id,
            "contract_line_id": self.id,
            "preventive_slot": slot,
            "call_date": fields.Datetime.to_datetime(slot),
            "description": self.name,
        }

    @api.model
    def _get_preventive_domain(self, horizon_end):
        return [
            ("visits_per_year", ">", 0),
            ("contract_id.state", "in", ("running", "expiring")),
            "|",
            ("preventive_planned_until", "=", False),
            ("preventive_planned_until", "<", horizon_end),
        ]

    @api.model
    def _cron_generate_preventive_interventions(self, batch_size=1000):
        """Create the preventive interventions due within each company's horizon, in batches.

        Each line remembers how far it is planned; the unique index on the
        slots makes a second or concurrent run create nothing twice.
        """
        today = fields.Date.context_today(self)
        Intervention = self.env["service.intervention"]
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            horizon_end = today + relativedelta(days=company.service_preventive_horizon_days)
            domain = [("company_id", "=", company.id), *self._get_preventive_domain(horizon_end)]
            lines = self.search(domain, limit=batch_size, order="id")
            existing = {
                (line.id, equipment.id, slot)
                for line, equipment, slot in Intervention._read_group(
                    [("contract_line_id", "in", lines.ids), ("preventive_slot", ">=", today)],
                    ["contract_line_id", "equipment_id", "preventive_slot:day"],
                )
            }
            vals_list = []
            for line in lines:
                for slot in line._get_preventive_slots(today, horizon_end):
                    for equipment in line.equipment_ids or [self.env["service.equipment"]]:
                        if (line.id, equipment.id, slot) not in existing:
                            vals_list.append(line._prepare_preventive_intervention_vals(slot, equipment))
            Intervention._with_code_write().create(vals_list)
            lines._with_code_write().write({"preventive_planned_until": horizon_end})
            done += len(lines)
            remaining += self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
