from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceInterventionPart(models.Model):
    _name = "service.intervention.part"
    _description = "Part Used on an Intervention"
    _order = "intervention_id, sequence, id"
    _check_company_auto = True

    intervention_id = fields.Many2one(
        "service.intervention", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="intervention_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        check_company=True,
        domain="[('is_service_spare_part', '=', True)]",
    )
    name = fields.Char(
        string="Description", compute="_compute_from_product", store=True, readonly=False, precompute=True
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        help="Price of the part in the company's currency; only dispatchers and managers may change it.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price_subtotal = fields.Monetary(string="Subtotal", compute="_compute_price_subtotal", store=True)
    covered = fields.Boolean(
        compute="_compute_covered",
        store=True,
        help="Parts are covered by a warranty in force or included in the contract of the equipment.",
    )

    @api.depends("product_id")
    def _compute_from_product(self):
        for part in self:
            product = part.product_id
            part.name = product.display_name
            part.product_uom_id = product.uom_id
            part.price_unit = product.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for part in self:
            part.price_subtotal = part.currency_id.round(part.quantity * part.price_unit)

    @api.depends(
        "intervention_id.equipment_id.warranty_ids",
        "intervention_id.contract_id.line_ids.cover_parts",
        "intervention_id.actual_start",
        "intervention_id.planned_start",
    )
    def _compute_covered(self):
        for intervention, parts in self.grouped("intervention_id").items():
            parts.covered = intervention._are_parts_covered()

    @api.constrains("quantity")
    def _check_quantity(self):
        if any(part.quantity <= 0 for part in self):
            raise ValidationError(self.env._("The quantity of a part must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._can_set_prices():
            for vals in vals_list:
                vals.pop("price_unit", None)
        return super().create(vals_list)

    def write(self, vals):
        if "price_unit" in vals and not self._can_set_prices():
            product = self.env["product.product"].browse(vals["product_id"]) if vals.get("product_id") else None
            for part in self:
                catalog_price = (product or part.product_id).lst_price
                if part.currency_id.compare_amounts(vals["price_unit"], catalog_price):
                    raise UserError(self.env._("Only dispatchers and managers may change the price of a part."))
        return super().write(vals)

    def _can_set_prices(self):
        return self.env.su or self.env.user.has_group("service_management.group_service_user")
