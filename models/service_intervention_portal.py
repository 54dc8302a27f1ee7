import base64
import binascii

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from .service_contract_sla import PRIORITIES

PORTAL_MAX_PHOTOS = 5
PORTAL_MAX_PHOTO_BYTES = 10 * 1024 * 1024


class ServiceIntervention(models.Model):
    _name = "service.intervention"
    _inherit = ["service.intervention", "portal.mixin"]

    portal_requested = fields.Boolean(
        string="Requested Online", readonly=True, copy=False, help="The customer asked for it on the portal."
    )

    def _compute_access_url(self):
        for intervention in self:
            intervention.access_url = f"/my/interventions/{intervention.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Intervention Report %(name)s", name=self.name)

    def _get_portal_technician_name(self):
        """Only the first name of the lead technician is shown to the customer."""
        self.ensure_one()
        return (self.user_id.name or "").split(" ")[0]

    def _can_be_signed_online(self):
        self.ensure_one()
        return self.state == "done" and not self.signature

    # ------------------------------------------------------------------
    # signing the report online
    # ------------------------------------------------------------------
    def _sign_online(self, name, signature):
        """Record the customer's signature given on the portal, for a finished intervention not signed on site."""
        self.ensure_one()
        if not self._can_be_signed_online():
            raise UserError(
                self.env._("This intervention report cannot be signed: it is not finished or already signed.")
            )
        name = (name or "").strip()
        if not name:
            raise ValidationError(self.env._("Please give the name of the person who signs."))
        if not signature:
            raise ValidationError(self.env._("The signature is missing."))
        try:
            image = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError(self.env._("The signature could not be read.")) from error
        if not guess_mimetype(image).startswith("image/"):
            raise ValidationError(self.env._("The signature could not be read."))
        self.write({"signature": signature, "signed_by": name})
        self.message_post(body=self.env._("Report signed online by %(name)s.", name=name))
        return True

    # ------------------------------------------------------------------
    # requests from the portal
    # ------------------------------------------------------------------
    @api.model
    def _create_portal_request(self, customer, values):
        """Create the unplanned intervention a customer asks for on the portal and notify the dispatchers.

        :param customer: the commercial partner of the portal user
        :param values: dict with ``description``, ``priority``, ``equipment_id``, ``site_id``,
            ``preferred_dates`` and ``photos`` (a list of ``(filename, bytes)``)
        """
        equipment, site = self._check_portal_request_target(customer, values)
        description = (values.get("description") or "").strip()
        if not description:
            raise ValidationError(self.env._("Please describe what happens."))
        priority = values.get("priority") or "1"
        if priority not in dict(PRIORITIES):
            raise ValidationError(self.env._("Please choose an urgency from the list."))
        photos = self._check_portal_request_photos(values.get("photos") or [])
        company = equipment.company_id or self._get_portal_request_company(customer, site)
        intervention = (
            self.with_company(company)
            ._with_code_write()
            .create(
                self._prepare_portal_request_vals(customer, equipment, site, company, values, description, priority)
            )
        )
        if photos:
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "res_model": self._name,
                        "res_id": intervention.id,
                    }
                    for name, content in photos
                ]
            )
            intervention.photo_ids = [fields.Command.set(attachments.ids)]
        intervention._notify_dispatchers_of_request()
        return intervention

    def _prepare_portal_request_vals(self, customer, equipment, site, company, values, description, priority):
        body = Markup("<p>%s</p>") % escape(description).replace("\n", Markup("<br/>"))
        preferred = (values.get("preferred_dates") or "").strip()
        if preferred:
            body += Markup("<p><strong>%s</strong> %s</p>") % (self.env._("Preferred dates:"), preferred)
        return {
            "company_id": company.id,
            "partner_id": customer.id,
            "site_id": site.id,
            "equipment_id": equipment.id,
            "intervention_type": "corrective",
            "priority": priority,
            "description": body,
            "portal_requested": True,
        }

    @api.model
    def _check_portal_request_target(self, customer, values):
        """The equipment and the site of a request, refused unless they belong to ``customer``."""
        Partner = self.env["res.partner"]
        equipment = self.env["service.equipment"].browse(_to_int(values.get("equipment_id"))).exists()
        site = Partner.browse(_to_int(values.get("site_id"))).exists()
        if values.get("equipment_id") and (not equipment or equipment.partner_id.commercial_partner_id != customer):
            raise ValidationError(self.env._("This equipment is not one of yours."))
        if values.get("site_id") and (not site or site.commercial_partner_id != customer):
            raise ValidationError(self.env._("This site is not one of yours."))
        if equipment and site and equipment.site_id and equipment.site_id != site:
            raise ValidationError(self.env._("This equipment is not installed at this site."))
        return equipment, site or equipment.site_id or customer

    @api.model
    def _check_portal_request_photos(self, photos):
        if len(photos) > PORTAL_MAX_PHOTOS:
            raise ValidationError(self.env._("Please send at most %(count)s photos.", count=PORTAL_MAX_PHOTOS))
        for name, content in photos:
            if len(content) > PORTAL_MAX_PHOTO_BYTES:
                raise ValidationError(self.env._("The photo %(name)s is larger than 10 MB.", name=name))
            if not guess_mimetype(content).startswith("image/"):
                raise ValidationError(self.env._("The file %(name)s is not a photo.", name=name))
        return photos

    @api.model
    def _get_portal_request_company(self, customer, site):
        """The company serving ``site``: the one of the customer's running contract there, else the current one."""
        contracts = self.env["service.contract"].search(
            [("partner_id", "=", customer.id), ("state", "in", ("running", "expiring"))], order="date_start desc"
        )
        on_site = contracts.filtered(lambda c: site in c.site_ids) or contracts
        return on_site[:1].company_id or self.env.company

    def _notify_dispatchers_of_request(self):
        """Tell the dispatchers of each intervention's company that a customer asked for it."""
        dispatchers = (
            self.env.ref("service_management.group_service_user")
            .sudo()
            .users.filtered(lambda user: not user.share and user.active)
        )
        for intervention in self:
            recipients = dispatchers.filtered(lambda user, c=intervention.company_id: c in user.company_ids)
            intervention.message_post(
                body=self.env._(
                    "%(customer)s asked for an intervention on the customer portal.",
                    customer=intervention.partner_id.display_name,
                ),
                partner_ids=recipients.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True


def _to_int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1
