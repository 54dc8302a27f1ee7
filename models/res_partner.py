from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_zone_id = fields.Many2one("service.zone", index="btree_not_null")
    service_site_equipment_ids = fields.One2many("service.equipment", "site_id", string="Equipment on Site")
    service_equipment_count = fields.Integer(
        compute="_compute_service_equipment_count",
        string="Equipment Count",
        help="Equipment owned by this customer or installed at this address.",
    )

    service_contract_ids = fields.One2many("service.contract", "partner_id", string="Service Contracts")
    service_contract_count = fields.Integer(compute="_compute_service_contract_stats", string="Contract Count")
    service_recurring_amount = fields.Monetary(
        compute="_compute_service_contract_stats",
        string="Recurring Amount",
        currency_field="service_company_currency_id",
        help="Monthly amount of the customer's running contracts, in the company's currency.",
    )
    service_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_service_contract_stats", string="Company Currency"
    )

    @api.depends("service_contract_ids")
    def _compute_service_contract_stats(self):
        Contract = self.env["service.contract"]
        customers = self.commercial_partner_id
        counts = dict(Contract._read_group([("partner_id", "in", customers.ids)], ["partner_id"], ["__count"]))
        running = Contract._read_group(
            [("partner_id", "in", customers.ids), ("state", "in", ("running", "expiring"))],
            ["partner_id", "currency_id"],
            ["recurring_amount_monthly:sum"],
        )
        company = self.env.company
        today = fields.Date.context_today(self)
        amounts = {}
        for partner, currency, amount in running:
            converted = currency._convert(amount, company.currency_id, company, today)
            amounts[partner] = amounts.get(partner, 0.0) + converted
        for partner in self:
            customer = partner.commercial_partner_id
            partner.service_contract_count = counts.get(customer, 0)
            partner.service_recurring_amount = amounts.get(customer, 0.0)
            partner.service_company_currency_id = company.currency_id

    def action_view_service_contracts(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_contract_action")
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    @api.depends("service_site_equipment_ids")
    def _compute_service_equipment_count(self):
        """Count each equipment once, whether the partner owns it, hosts it, or both."""
        Equipment = self.env["service.equipment"]
        owned = dict(Equipment._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        hosted = {}
        for site, owner, count in Equipment._read_group(
            [("site_id", "in", self.ids)], ["site_id", "partner_id"], ["__count"]
        ):
            if owner != site:
                hosted[site] = hosted.get(site, 0) + count
        for partner in self:
            partner.service_equipment_count = owned.get(partner, 0) + hosted.get(partner, 0)

    service_intervention_count = fields.Integer(
        compute="_compute_service_intervention_count",
        string="Intervention Count",
        help="Interventions for this customer or at this address.",
    )

    def _compute_service_intervention_count(self):
        Intervention = self.env["service.intervention"]
        for_customer = dict(Intervention._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        at_site = {}
        for site, customer, count in Intervention._read_group(
            [("site_id", "in", self.ids)], ["site_id", "partner_id"], ["__count"]
        ):
            if customer != site:
                at_site[site] = at_site.get(site, 0) + count
        for partner in self:
            partner.service_intervention_count = for_customer.get(partner, 0) + at_site.get(partner, 0)

    def action_view_service_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_intervention_action")
        action["domain"] = ["|", ("partner_id", "=", self.id), ("site_id", "=", self.id)]
        customer = self.commercial_partner_id
        action["context"] = {"default_partner_id": customer.id, "default_site_id": self.id}
        return action

    def _get_service_equipment_domain(self):
        self.ensure_one()
        return ["|", ("partner_id", "=", self.id), ("site_id", "=", self.id)]

    def action_view_service_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_equipment_action")
        action["domain"] = self._get_service_equipment_domain()
        customer = self.commercial_partner_id
        action["context"] = {
            "default_partner_id": customer.id,
            "default_site_id": self.id,
            "search_default_group_by_site": int(self == customer and bool(self.child_ids)),
        }
        return action
