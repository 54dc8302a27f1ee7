from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS

# what a technician records about a part; prices and coverage are not theirs
TECHNICIAN_FIELDS = ("sequence", "product_id", "name", "quantity", "product_uom_id")


class ServiceInterventionPart(models.Model):
    _name = "service.intervention.part"
    _description = "Part Used on an Intervention"
    _inherit = ["service.protected.fields.mixin"]
    _order = "intervention_id, sequence, id"
    _check_company_auto = True

    _service_protected_fields = ("covered", "price_subtotal", "company_id")

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
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        groups=PRICE_GROUPS,
        help="Price of the part in the company's currency; only dispatchers and managers may change it.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True, groups=PRICE_GROUPS
    )
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

    @api.depends("product_id")
    def _compute_price_unit(self):
        # its own computation: a technician who renames the part still gets the catalog price of a new product
        for part in self:
            part.price_unit = part.product_id.lst_price

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
        if self._is_technician_only():
            for vals in vals_list:
                self._check_technician_fields(vals, (*TECHNICIAN_FIELDS, "intervention_id"))
            self.env["service.intervention"].browse(
                {vals.get("intervention_id") for vals in vals_list}
            )._check_open_for_technician()
            self._check_spare_parts({vals.get("product_id") for vals in vals_list})
        return super().create(vals_list)

    def write(self, vals):
        if self._is_technician_only():
            self._check_technician_fields(vals, TECHNICIAN_FIELDS)
            self.intervention_id._check_open_for_technician()
            if "product_id" in vals:
                self._check_spare_parts({vals["product_id"]})
        return super().write(vals)

    def unlink(self):
        if self._is_technician_only():
            self.intervention_id._check_open_for_technician()
        return super().unlink()

    @api.model
    def _check_spare_parts(self, product_ids):
        """A technician records spare parts only (products flagged *Spare Part*), whatever the door."""
        products = self.env["product.product"].sudo().browse(pid for pid in product_ids if pid).exists()
        others = products.filtered(lambda product: not product.is_service_spare_part)
        if others:
            raise ValidationError(
                self.env._(
                    "%(products)s is not a spare part: a technician records only the products marked as "
                    "Spare Part. Ask a dispatcher to add it.",
                    products=", ".join(others.mapped("display_name")),
                )
            )

    def _can_set_prices(self):
        return self.env.su or self.env.user.has_group("service_management.group_service_user")
