from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_interest_rate = fields.Float(
        string="Late-Payment Interest Rate (%)",
        digits=(6, 2),
        default=12.15,
        help="Annual rate of the French late-payment interest (art. L441-10 Code de commerce): "
        "the ECB refinancing rate plus 10 points.",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Fixed indemnity for recovery costs, charged once per invoice paid late (40 EUR in France).",
    )
    dunning_charge_mode = fields.Selection(
        [("invoice", "Posted Invoice"), ("letter", "Letter Only")],
        string="Dunning Charges",
        default="invoice",
        required=True,
        help="Posted Invoice: fees, interest and indemnities of a dunning run are invoiced to the customer. "
        "Letter Only: they are claimed on the letter without being booked.",
    )
    dunning_fee_product_id = fields.Many2one(
        "product.product",
        help="Product (and so income account) of dunning fees.",
    )
    dunning_interest_product_id = fields.Many2one(
        "product.product",
        string="Late Interest Product",
        help="Product (and so income account) of late-payment interest.",
    )
    dunning_indemnity_product_id = fields.Many2one(
        "product.product",
        string="Recovery Indemnity Product",
        help="Product (and so income account) of recovery indemnities.",
    )

    def _get_dunning_product(self, kind):
        """The product of a dunning charge ``kind`` (fee, interest, indemnity): the company's, else the default."""
        self.ensure_one()
        product = self[f"dunning_{kind}_product_id"]
        if product:
            return product
        # the default product without a query per call (the id of an XML id is cached)
        product_id = self.env["ir.model.data"]._xmlid_to_res_id(
            f"service_management.product_dunning_{kind}", raise_if_not_found=False
        )
        return self.env["product.product"].browse(product_id)
