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

    service_intervention_count = fields.Integer(
        compute="_compute_service_intervention_count",
        string="Intervention Count",
        help="Interventions for this customer or at this address.",
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
        counts = self._count_customer_or_site_records("service.equipment")
        for partner in self:
            partner.service_equipment_count = counts.get(partner, 0)

    def _count_customer_or_site_records(self, model_name):
        """``{partner: count}`` of ``model_name`` records whose customer or site each partner is.

        A record counts once for a partner that is both its customer and its site.
        """
        Model = self.env[model_name]
        counts = dict(Model._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for site, customer, count in Model._read_group(
            [("site_id", "in", self.ids)], ["site_id", "partner_id"], ["__count"]
        ):
            if customer != site:
                counts[site] = counts.get(site, 0) + count
        return counts

    def _compute_service_intervention_count(self):
        counts = self._count_customer_or_site_records("service.intervention")
        for partner in self:
            partner.service_intervention_count = counts.get(partner, 0)

    def action_view_service_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_management.service_intervention_action")
        action["domain"] = ["|", ("partner_id", "=", self.id), ("site_id", "=", self.id)]
        customer = self.commercial_partner_id
        action["context"] = {"default_partner_id": customer.id, "default_site_id": self.id}
        return action

    def _get_service_site(self, site):
        """``site`` when it is one of this customer's addresses, else the customer's delivery address."""
        self.ensure_one()
        if site and site.commercial_partner_id == self:
            return site
        return self.browse(self.address_get(["delivery"])["delivery"])

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
