from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


def _sortings(*entries):
    """The sort options of a portal list from ``(key, label, order)``, the first being the default."""
    return {key: {"label": label, "order": order} for key, label, order in entries}


def _inputs(*entries):
    """The search fields of a portal list from ``(key, label, domain builder)``, the first being the default."""
    return {key: {"input": key, "label": label, "domain": domain} for key, label, domain in entries}


def _filters(all_label, *entries):
    """The filters of a portal list from ``(key, label, domain)``, after *All*."""
    return {"all": {"label": all_label, "domain": []}} | {
        key: {"label": label, "domain": domain} for key, label, domain in entries
    }


class ServicePortal(CustomerPortal):
    """The customer's pages of the service: contracts, equipment, interventions, requests and the statement."""

    # ------------------------------------------------------------------
    # home counters
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, model in (
            ("service_contract_count", "service.contract"),
            ("service_equipment_count", "service.equipment"),
            ("service_intervention_count", "service.intervention"),
        ):
            if counter in counters:
                Model = request.env[model]
                values[counter] = (
                    Model.search_count(self._get_service_portal_domain(model)) if Model.has_access("read") else 0
                )
        return values

    def _get_service_portal_domain(self, model):
        """What the portal lists of ``model``: the records of the user's company (commercial partner)."""
        customer = request.env.user.commercial_partner_id
        domain = [("partner_id", "child_of", customer.ids)]
        if model == "service.contract":
            domain = expression.AND([domain, [("state", "!=", "draft")]])
        return domain

    # ------------------------------------------------------------------
    # shared list machinery: search, sort, filter, pager
    # ------------------------------------------------------------------
    def _render_service_list(
        self, model, url, page, sortings, inputs, filters, template, records_key, kw, page_name=None
    ):
        Model = request.env[model]
        sortby = kw.get("sortby") if kw.get("sortby") in sortings else next(iter(sortings))
        filterby = kw.get("filterby") if kw.get("filterby") in filters else "all"
        search_in = kw.get("search_in") if kw.get("search_in") in inputs else next(iter(inputs))
        search = (kw.get("search") or "").strip()
        domain = expression.AND([self._get_service_portal_domain(model), filters[filterby]["domain"]])
        if search:
            domain = expression.AND([domain, inputs[search_in]["domain"](search)])
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        page_name = page_name or records_key
        request.session[f"my_{page_name}_history"] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                records_key: records.sudo(),
                "page_name": page_name,
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render(template, values)

    def _get_document_or_redirect(self, model, record_id, access_token):
        try:
            return self._document_check_access(model, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # contracts
    # ------------------------------------------------------------------
    @http.route(["/my/contracts", "/my/contracts/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_service_contracts(self, page=1, **kw):
        _ = request.env._
        return self._render_service_list(
            "service.contract",
            "/my/contracts",
            page,
            _sortings(
                ("date", _("Start Date"), "date_start desc, id desc"),
                ("name", _("Reference"), "name"),
                ("end", _("End Date"), "date_end"),
            ),
            _inputs(
                ("name", _("Search in Reference"), lambda s: ["|", ("name", "ilike", s), ("title", "ilike", s)]),
                ("site", _("Search in Sites"), lambda s: [("site_ids", "ilike", s)]),
            ),
            _filters(
                _("All"),
                ("running", _("Running"), [("state", "in", ("running", "expiring"))]),
                ("closed", _("Ended"), [("state", "in", ("expired", "terminated", "cancelled"))]),
            ),
            "service_management.portal_my_service_contracts",
            "contracts",
            kw,
        )

    @http.route(["/my/contracts/<int:contract_id>"], type="http", auth="public", website=True)
    def portal_my_service_contract(self, contract_id, access_token=None, report_type=None, download=False, **kw):
        contract_sudo = self._get_document_or_redirect("service.contract", contract_id, access_token)
        if not contract_sudo or contract_sudo.state == "draft":
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=contract_sudo,
                report_type=report_type,
                report_ref="service_management.action_report_service_contract",
                download=download,
            )
        values = self._get_page_view_values(
            contract_sudo,
            access_token,
            {"contract": contract_sudo, "page_name": "contracts"},
            "my_contracts_history",
            False,
            **kw,
        )
        return request.render("service_management.portal_my_service_contract", values)

    # ------------------------------------------------------------------
    # equipment
    # ------------------------------------------------------------------
    @http.route(["/my/equipment", "/my/equipment/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_service_equipment_list(self, page=1, **kw):
        _ = request.env._
        return self._render_service_list(
            "service.equipment",
            "/my/equipment",
            page,
            _sortings(
                ("name", _("Name"), "name, id"),
                ("site", _("Site"), "site_id, name"),
                ("warranty", _("Warranty End"), "warranty_date_end desc, name"),
            ),
            _inputs(
                (
                    "name",
                    _("Search in Name or Serial Number"),
                    lambda s: ["|", ("name", "ilike", s), ("serial_no", "ilike", s)],
                ),
                ("site", _("Search in Sites"), lambda s: [("site_id", "ilike", s)]),
            ),
            _filters(
                _("All"),
                ("warranty", _("Under Warranty"), [("under_warranty", "=", True)]),
                ("out_of_order", _("Out of Order"), [("state", "=", "out_of_order")]),
            ),
            "service_management.portal_my_service_equipment_list",
            "equipment_items",
            kw,
            page_name="equipment",
        )

    @http.route(["/my/equipment/<int:equipment_id>"], type="http", auth="public", website=True)
    def portal_my_service_equipment(self, equipment_id, access_token=None, **kw):
        equipment_sudo = self._get_document_or_redirect("service.equipment", equipment_id, access_token)
        if not equipment_sudo:
            return request.redirect("/my")
        values = self._get_page_view_values(
            equipment_sudo,
            access_token,
            {
                "equipment": equipment_sudo,
                "page_name": "equipment",
                "interventions": equipment_sudo._get_portal_interventions(),
            },
            "my_equipment_history",
            False,
            **kw,
        )
        return request.render("service_management.portal_my_service_equipment", values)

    @http.route(["/service/equipment/<int:equipment_id>"], type="http", auth="user", website=True)
    def service_equipment_label(self, equipment_id, **kw):
        """The address of the label's QR code: the back-office form for an employee, the portal page for a customer."""
        if request.env.user._is_internal():
            return request.redirect(f"/odoo/action-service_management.service_equipment_action/{equipment_id}")
        return request.redirect(f"/my/equipment/{equipment_id}")

    # ------------------------------------------------------------------
    # interventions
    # ------------------------------------------------------------------
    @http.route(["/my/interventions", "/my/interventions/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_service_interventions(self, page=1, **kw):
        _ = request.env._
        return self._render_service_list(
            "service.intervention",
            "/my/interventions",
            page,
            _sortings(
                ("date", _("Newest"), "call_date desc, id desc"),
                ("planned", _("Planned Date"), "planned_start desc, id desc"),
                ("name", _("Reference"), "name desc"),
            ),
            _inputs(
                ("name", _("Search in Reference"), lambda s: [("name", "ilike", s)]),
                ("equipment", _("Search in Equipment"), lambda s: [("equipment_id", "ilike", s)]),
            ),
            _filters(
                _("All"),
                ("open", _("In Progress"), [("state", "in", ("new", "planned", "in_progress"))]),
                ("done", _("Done"), [("state", "=", "done")]),
                ("to_sign", _("To Sign"), [("state", "=", "done"), ("signature", "=", False)]),
            ),
            "service_management.portal_my_service_interventions",
            "interventions",
            kw,
        )

    @http.route(["/my/interventions/<int:intervention_id>"], type="http", auth="public", website=True)
    def portal_my_service_intervention(
        self, intervention_id, access_token=None, report_type=None, download=False, **kw
    ):
        intervention_sudo = self._get_document_or_redirect("service.intervention", intervention_id, access_token)
        if not intervention_sudo:
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=intervention_sudo,
                report_type=report_type,
                report_ref="service_management.action_report_service_intervention",
                download=download,
            )
        values = self._get_page_view_values(
            intervention_sudo,
            access_token,
            {"intervention": intervention_sudo, "page_name": "interventions"},
            "my_interventions_history",
            False,
            **kw,
        )
        return request.render("service_management.portal_my_service_intervention", values)

    @http.route(["/my/interventions/<int:intervention_id>/sign"], type="json", auth="public", website=True)
    def portal_service_intervention_sign(self, intervention_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        intervention_sudo = self._get_document_or_redirect("service.intervention", intervention_id, access_token)
        if not intervention_sudo:
            return {"error": request.env._("This intervention does not exist or is not yours.")}
        try:
            intervention_sudo._sign_online(name, signature)
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": intervention_sudo.get_portal_url(query_string="&message=signed"),
        }

    # ------------------------------------------------------------------
    # request an intervention
    # ------------------------------------------------------------------
    @http.route(["/my/interventions/request"], type="http", auth="user", methods=["GET"], website=True)
    def portal_service_request_form(self, equipment_id=None, **kw):
        customer = request.env.user.commercial_partner_id
        equipment = request.env["service.equipment"].search(self._get_service_portal_domain("service.equipment"))
        selected = equipment.filtered(lambda e: str(e.id) == (equipment_id or ""))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "intervention_request",
                "customer": customer,
                "equipment_list": equipment.sudo(),
                "sites": (customer | customer.child_ids.filtered(lambda p: p.type in ("delivery", "other"))).sudo(),
                "selected_equipment": selected.sudo(),
                "priorities": request.env["service.intervention"]
                ._fields["priority"]
                ._description_selection(request.env),
                "error": kw.get("error"),
                "form": kw,
            }
        )
        return request.render("service_management.portal_service_request", values)

    @http.route(["/my/interventions/request"], type="http", auth="user", methods=["POST"], website=True)
    def portal_service_request_submit(self, **post):
        customer = request.env.user.commercial_partner_id
        photos = [
            (upload.filename or "photo", upload.read())
            for upload in request.httprequest.files.getlist("photos")
            if upload and upload.filename
        ]
        values = {
            "equipment_id": post.get("equipment_id"),
            "site_id": post.get("site_id"),
            "description": post.get("description"),
            "priority": post.get("priority"),
            "preferred_dates": post.get("preferred_dates"),
            "photos": photos,
        }
        Intervention = request.env["service.intervention"].sudo()
        try:
            with request.env.cr.savepoint():
                intervention = Intervention._create_portal_request(customer, values)
        except (UserError, ValidationError) as error:
            return self.portal_service_request_form(**dict(post, error=str(error)))
        intervention.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        return request.redirect(f"/my/interventions/{intervention.id}?message=requested")

    # ------------------------------------------------------------------
    # statement
    # ------------------------------------------------------------------
    @http.route(["/my/statement"], type="http", auth="user", website=True)
    def portal_service_statement(self, **kw):
        if not request.env.user._is_portal():
            return request.redirect("/my")
        customer = request.env.user.commercial_partner_id
        return self._show_report(
            model=customer.sudo(),
            report_type="pdf",
            report_ref="service_management.action_report_service_customer_statement",
        )
