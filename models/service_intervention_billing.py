from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import format_date

from odoo.addons.service_management.models.service_protected_fields_mixin import PRICE_GROUPS

INVOICE_STATES = [
    ("none", "Not Finished"),
    ("covered", "Nothing to Bill"),
    ("to_invoice", "To Invoice"),
    ("invoiced", "Invoiced"),
]


class ServiceIntervention(models.Model):
    _name = "service.intervention"
    _inherit = ["service.intervention", "service.billing.lock.mixin"]

    invoice_line_ids = fields.One2many(
        "account.move.line",
        "service_intervention_id",
        string="Invoice Lines",
        readonly=True,
        copy=False,
        groups=PRICE_GROUPS,
    )
    invoice_state = fields.Selection(
        INVOICE_STATES,
        compute="_compute_invoice_state",
        store=True,
        index=True,
        string="Billing",
        help="Finished work with something to charge is to invoice; work the contract or a warranty covers "
        "entirely has nothing to bill.",
    )
    invoice_id = fields.Many2one("account.move", compute="_compute_invoice_state", store=True, groups=PRICE_GROUPS)
    billing_due = fields.Boolean(
        compute="_compute_billing_due",
        search="_search_billing_due",
        help="To invoice, and its billing rule says now: its service order is finished, or its month is over.",
    )
    billing_amount = fields.Monetary(
        string="Amount to Bill",
        compute="_compute_billing_amount",
        currency_field="company_currency_id",
        help="Untaxed amount the billing run would invoice for this finished work, at today's prices.",
    )
    billing_error = fields.Text(readonly=True, copy=False)
    billing_error_date = fields.Datetime(readonly=True, copy=False)

    @api.depends(
        "state",
        "coverage",
        "actual_duration",
        "part_ids.covered",
        "part_ids.quantity",
        "part_ids.price_unit",
        "contract_id.line_ids.cover_travel",
        "invoice_line_ids.parent_state",
    )
    def _compute_invoice_state(self):
        for intervention in self:
            sections = intervention.invoice_line_ids.filtered(
                lambda line: line.display_type == "line_section" and line.parent_state != "cancel"
            )
            intervention.invoice_id = sections.move_id[:1]
            if sections:
                intervention.invoice_state = "invoiced"
            elif intervention.state != "done":
                intervention.invoice_state = "none"
            elif intervention._has_charges():
                intervention.invoice_state = "to_invoice"
            else:
                intervention.invoice_state = "covered"

    @api.depends("invoice_state", "service_order_id.is_done", "contract_id.billing_rule", "actual_end")
    @api.depends("invoice_state", "actual_duration", "part_ids.quantity", "part_ids.price_unit", "part_ids.covered")
    def _compute_billing_amount(self):
        to_bill = self.filtered(lambda intervention: intervention.invoice_state == "to_invoice")
        (self - to_bill).billing_amount = 0.0
        rates = {
            (rate.company_id, rate.intervention_type): rate.product_id
            for rate in self.env["service.labour.rate"].search([("company_id", "in", to_bill.company_id.ids)])
        }
        cache = {}
        for intervention in to_bill:
            invoice_vals = {"currency_id": intervention.company_id.currency_id.id}
            try:
                vals_list = intervention._prepare_invoice_line_vals(intervention.partner_id, invoice_vals, rates, cache)
            except UserError:
                vals_list = []
            intervention.billing_amount = sum(
                vals.get("quantity", 0.0) * vals.get("price_unit", 0.0) for vals in vals_list
            )

    @api.depends(
        "invoice_state", "actual_end", "contract_id.billing_rule", "service_order_id", "service_order_id.is_done"
    )
    def _compute_billing_due(self):
        due = self.filtered_domain(self._get_billing_due_domain(fields.Date.context_today(self)))
        for intervention in self:
            intervention.billing_due = intervention in due

    def _search_billing_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the billing due flag."))
        domain = self._get_billing_due_domain(fields.Date.context_today(self))
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _get_billing_due_domain(self, today):
        """Interventions to invoice whose billing rule says they are due on ``today``."""
        month_start = datetime.combine(today.replace(day=1), time.min)
        return [
            ("invoice_state", "=", "to_invoice"),
            "|",
            "|",
            "|",
            ("contract_id", "=", False),
            ("contract_id.billing_rule", "not in", ("service_order", "month_end")),
            "&",
            ("contract_id.billing_rule", "=", "service_order"),
            "|",
            ("service_order_id", "=", False),
            ("service_order_id.is_done", "=", True),
            "&",
            ("contract_id.billing_rule", "=", "month_end"),
            ("actual_end", "<", month_start),
        ]

    def action_bill_now(self):
        """Invoice the selected interventions that are due for billing."""
        self.env["service.contract"]._check_billing_access()
        self.check_access("read")
        today = fields.Date.context_today(self)
        moves = self.env["account.move"]
        for company, interventions in self.sudo().grouped("company_id").items():
            moves |= interventions.with_company(company)._bill_interventions(today)
        failed = self.filtered("billing_error")
        if failed and not moves:
            return self.env["service.contract"]._billing_notification(
                "\n".join(sorted(set(failed.mapped("billing_error")))), "danger"
            )
        if not moves:
            return self.env["service.contract"]._billing_notification(self.env._("Nothing is due for billing."), "info")
        return moves.with_env(self.env)._get_service_invoices_action()

    # ------------------------------------------------------------------
    # What is charged
    # ------------------------------------------------------------------
    def _get_coverage_date(self):
        self.ensure_one()
        moment = self.actual_start or self.planned_start or self.call_date
        return moment.date() if moment else fields.Date.context_today(self)

    def _is_travel_covered(self):
        """Travel is covered by a warranty in force that covers it, or by a contract line that includes it."""
        self.ensure_one()
        if self._get_warranties_in_force().filtered("cover_travel"):
            return True
        lines = self.contract_id.line_ids
        if self.equipment_id:
            lines = lines.filtered(lambda line: self.equipment_id in line.equipment_ids)
        if self.intervention_type == "preventive" and lines.filtered("visits_per_year"):
            return True
        return any(line.cover_travel == "included" for line in lines)

    def _get_travel_product(self):
        return self.company_id.service_travel_product_id or self.env.ref(
            "service_management.product_service_travel", raise_if_not_found=False
        )

    def _get_labour_product(self, rates=None):
        self.ensure_one()
        if rates is None:
            rates = {
                (rate.company_id, rate.intervention_type): rate.product_id
                for rate in self.env["service.labour.rate"].search([("company_id", "=", self.company_id.id)])
            }
        product = (
            rates.get((self.company_id, self.intervention_type))
            or self.company_id.service_labour_product_id
            or self.env.ref("service_management.product_service_labour", raise_if_not_found=False)
        )
        if not product:
            raise UserError(
                self.env._(
                    "%(intervention)s: no labour product is set for %(type)s interventions.",
                    intervention=self.name,
                    type=dict(self._fields["intervention_type"]._description_selection(self.env))[
                        self.intervention_type
                    ],
                )
            )
        return product

    def _has_charges(self):
        """Whether something of this finished intervention is charged: labour, travel or a part."""
        self.ensure_one()
        if self.coverage == "billable" and self.actual_duration > 0:
            return True
        if any(not part.covered and part.quantity > 0 and part.price_unit > 0 for part in self.part_ids):
            return True
        return bool(self._get_travel_product()) and not self._is_travel_covered()

    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------
    def _get_billing_group_key(self, today):
        """Interventions with the same key go on one invoice."""
        self.ensure_one()
        rule = self.contract_id.billing_rule
        if rule == "service_order" and self.service_order_id:
            return ("order", self.service_order_id.id)
        if rule == "month_end":
            return ("month", self.contract_id.partner_invoice_id.id, self.contract_id.currency_id.id)
        return ("intervention", self.id)

    def _bill_interventions(self, today):
        """Invoice these interventions as their contracts' rules group them; return the invoices."""
        due = self.filtered_domain(self._get_billing_due_domain(today))
        if not due:
            return self.env["account.move"]
        # a service order is billed whole: take all its due interventions
        orders = due.filtered(lambda i: i.contract_id.billing_rule == "service_order").service_order_id
        if orders:
            due |= self.search([("service_order_id", "in", orders.ids), ("invoice_state", "=", "to_invoice")])
        groups = due.grouped(lambda i: i._get_billing_group_key(today))
        locked = due._lock_for_billing()
        rates = {
            (rate.company_id, rate.intervention_type): rate.product_id
            for rate in self.env["service.labour.rate"].search([("company_id", "in", due.company_id.ids)])
        }
        plans, errors, cache = [], {}, {}
        for interventions in groups.values():
            if interventions - locked:
                continue  # being billed by another worker
            try:
                plans.append(interventions._prepare_billing_plan(today, rates, cache))
            except UserError as error:
                errors[interventions] = str(error)
        moves = self.env["account.move"]._service_create_invoices(plans, errors)
        now = fields.Datetime.now()
        for interventions, message in errors.items():
            interventions._with_code_write().write({"billing_error": message, "billing_error_date": now})
        billed = moves.invoice_line_ids.service_intervention_id.filtered("billing_error")
        if billed:
            billed._with_code_write().write({"billing_error": False, "billing_error_date": False})
        return moves

    def _prepare_billing_plan(self, today, rates, cache=None):
        """One invoice for these interventions (same customer, contract and currency)."""
        first = self[0]
        contract = first.contract_id
        partner = contract.partner_invoice_id or self.env["res.partner"].browse(
            first.partner_id.address_get(["invoice"])["invoice"]
        )
        invoice_vals = contract.with_company(first.company_id)._prepare_invoice_vals(
            today, partner=partner, cache=cache
        )
        if not contract:
            invoice_vals["invoice_origin"] = ", ".join(self.mapped("name"))[:200]
            invoice_vals["fiscal_position_id"] = (
                self.env["account.fiscal.position"].with_company(first.company_id)._get_fiscal_position(partner).id
            )
        lines = []
        for intervention in self.sorted(lambda i: (i.actual_end or i.create_date, i.id)):
            lines += intervention._prepare_invoice_line_vals(partner, invoice_vals, rates, cache)
        invoice_vals["invoice_line_ids"] = [fields.Command.create(vals) for vals in lines]
        return {
            "record": self,
            "invoice_vals": invoice_vals,
            "interventions": self,
            "policy": contract.invoice_policy or "draft",
        }

    def _get_billing_price(self, product, quantity, uom, currency):
        """The sales price of ``product`` for this intervention: the contract's pricelist, else the catalog."""
        self.ensure_one()
        contract = self.contract_id
        company = self.company_id
        on_date = self._get_coverage_date()
        if contract.pricelist_id:
            return contract.pricelist_id._get_product_price(product, quantity or 1.0, uom=uom, date=on_date)
        price = product.lst_price
        if uom and uom != product.uom_id:
            price = product.uom_id._compute_price(price, uom)
        return company.currency_id._convert(price, currency, company, on_date)

    def _prepare_invoice_line_vals(self, partner, invoice_vals, rates, cache=None):
        """A section naming the intervention, then its time, travel and parts; covered ones at zero or left out."""
        self.ensure_one()
        lang = partner.lang or self.env.lang
        env = self.with_context(lang=lang).env
        currency = self.env["res.currency"].browse(invoice_vals.get("currency_id")) or self.company_id.currency_id
        hide_covered = self.company_id.service_covered_lines == "hide"
        analytic = self.contract_id._get_analytic_distribution() if self.contract_id else False
        covered_label = env._(" (covered)")
        moment = self.actual_end or self.actual_start or self.call_date
        section = env._(
            "%(intervention)s of %(date)s - %(site)s",
            intervention=self.name,
            date=format_date(env, moment.date(), lang_code=lang),
            site=self.site_id.display_name,
        )
        if self.equipment_id:
            section += f" - {self.equipment_id.display_name}"
        vals_list = [{"display_type": "line_section", "name": section, "service_intervention_id": self.id}]

        cache = {} if cache is None else cache
        fiscal_position = self.env["account.fiscal.position"].browse(invoice_vals.get("fiscal_position_id"))

        def add(product, name, quantity, uom, price, covered):
            if covered and hide_covered:
                return
            account, taxes = self.env["account.move"]._service_get_product_accounting(
                product, fiscal_position, self.company_id, cache
            )
            vals = {
                "tax_ids": [fields.Command.set(taxes.ids)],
                "product_id": product.id,
                "name": name + covered_label if covered else name,
                "quantity": quantity,
                "product_uom_id": uom.id,
                "price_unit": 0.0 if covered else price,
                "analytic_distribution": analytic,
                "service_intervention_id": self.id,
            }
            if account:
                vals["account_id"] = account.id
            vals_list.append(vals)

        if self.actual_duration > 0:
            product = self._get_labour_product(rates)
            hours = f"{self.actual_duration:.2f}"
            add(
                product,
                env._(
                    "Labour: %(hours)s h (%(type)s)",
                    hours=hours,
                    type=dict(self._fields["intervention_type"]._description_selection(env))[self.intervention_type],
                ),
                self.actual_duration,
                product.uom_id,
                self._get_billing_price(product, self.actual_duration, product.uom_id, currency),
                self.coverage != "billable",
            )
        travel = self._get_travel_product()
        if travel:
            add(
                travel,
                travel.display_name,
                1.0,
                travel.uom_id,
                self._get_billing_price(travel, 1.0, travel.uom_id, currency),
                self._is_travel_covered(),
            )
        for part in self.part_ids:
            add(
                part.product_id,
                part.name or part.product_id.display_name,
                part.quantity,
                part.product_uom_id or part.product_id.uom_id,
                self.company_id.currency_id._convert(
                    part.price_unit, currency, self.company_id, self._get_coverage_date()
                ),
                part.covered,
            )
        return vals_list
