import base64
import io

from PIL import Image

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .portal_common import PortalCommon


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestPortalRequest(PortalCommon):
    """A customer asks for an intervention on the portal; it lands in the dispatchers' queue."""

    def _request(self, customer=None, **values):
        vals = {"description": "La porte ne se ferme plus.", "priority": "2"}
        vals.update(values)
        return self.env["service.intervention"].sudo()._create_portal_request(customer or self.customer, vals)

    def _count(self):
        return self.env["service.intervention"].search_count([])

    def test_request_on_equipment_creates_an_unplanned_intervention(self):
        intervention = self._request(
            equipment_id=str(self.lift_x.id), preferred_dates="lundi matin", photos=[("porte.png", _png())]
        )
        self.assertEqual(intervention.partner_id, self.customer)
        self.assertEqual(intervention.site_id, self.site_tilleuls)
        self.assertEqual(intervention.equipment_id, self.lift_x)
        self.assertEqual(intervention.company_id, self.lift_x.company_id)
        self.assertEqual(intervention.contract_id, self.contract_x)
        self.assertEqual(intervention.state, "new")
        self.assertFalse(intervention.planned_start)
        self.assertFalse(intervention.user_id)
        self.assertEqual(intervention.priority, "2")
        self.assertTrue(intervention.portal_requested)
        self.assertIn("La porte ne se ferme plus.", intervention.description)
        self.assertIn("lundi matin", intervention.description)
        self.assertEqual(intervention.photo_ids.mapped("name"), ["porte.png"])
        self.assertEqual(intervention.photo_ids.res_id, intervention.id)
        # the customer sees it at once
        self.assertIn(intervention, self.env["service.intervention"].with_user(self.portal_x).search([]))

    def test_dispatchers_of_the_company_are_notified(self):
        intervention = self._request(equipment_id=self.lift_x.id)
        message = intervention.message_ids.filtered(lambda m: "asked for an intervention" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.dispatcher.partner_id, message.partner_ids)
        self.assertIn(self.manager.partner_id, message.partner_ids)
        self.assertNotIn(self.dispatcher_b.partner_id, message.partner_ids)
        self.assertNotIn(self.technician.partner_id, message.partner_ids)
        queue = (
            self.env["service.intervention"]
            .with_user(self.dispatcher)
            .search([("portal_requested", "=", True), ("state", "=", "new")])
        )
        self.assertEqual(queue, intervention)

    def test_request_for_a_site_without_equipment(self):
        intervention = self._request(site_id=self.site_acacias.id)
        self.assertEqual(intervention.site_id, self.site_acacias)
        self.assertFalse(intervention.equipment_id)
        self.assertEqual(intervention.partner_id, self.customer)

    def test_request_for_a_site_served_by_another_company(self):
        contract_b = self._create_contract(
            company_id=self.company_b.id, site_ids=[fields.Command.set(self.site_acacias.ids)], title="Sud"
        )
        contract_b.action_start()
        intervention = self._request(site_id=self.site_acacias.id)
        self.assertEqual(intervention.company_id, self.company_b)
        message = intervention.message_ids.filtered(lambda m: "asked for an intervention" in (m.body or ""))
        self.assertIn(self.dispatcher_b.partner_id, message.partner_ids)
        self.assertNotIn(self.dispatcher.partner_id, message.partner_ids)
        self.assertEqual(
            self.env["service.intervention"].with_user(self.dispatcher_b).search([("portal_requested", "=", True)]),
            intervention,
        )
        self.assertFalse(
            self.env["service.intervention"].with_user(self.dispatcher).search([("portal_requested", "=", True)])
        )

    def test_request_cannot_target_another_customers_equipment_or_site(self):
        before = self._count()
        with self.assertRaisesMessage(ValidationError, "not one of yours"):
            self._request(equipment_id=self.lift_y.id)
        with self.assertRaisesMessage(ValidationError, "not one of yours"):
            self._request(site_id=self.other_site.id)
        with self.assertRaisesMessage(ValidationError, "not one of yours"):
            self._request(site_id=self.other_customer.id)
        with self.assertRaisesMessage(ValidationError, "not one of yours"):
            self._request(equipment_id="999999")
        with self.assertRaisesMessage(ValidationError, "not installed at this site"):
            self._request(equipment_id=self.lift_x.id, site_id=self.site_acacias.id)
        self.assertEqual(self._count(), before)

    def test_bad_input_is_refused_with_nothing_created(self):
        before = self._count()
        with self.assertRaisesMessage(ValidationError, "describe"):
            self._request(description="   ")
        with self.assertRaisesMessage(ValidationError, "urgency"):
            self._request(priority="9")
        with self.assertRaisesMessage(ValidationError, "not a photo"):
            self._request(photos=[("virus.exe", b"MZ\x90\x00 not an image")])
        with self.assertRaisesMessage(ValidationError, "at most 5"):
            self._request(photos=[(f"p{i}.png", _png()) for i in range(6)])
        self.assertEqual(self._count(), before)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "p0.png")]))

    def test_description_is_kept_as_text(self):
        intervention = self._request(description="<script>alert(1)</script>\nligne 2")
        self.assertNotIn("<script>", intervention.description)
        self.assertIn("&lt;script&gt;", intervention.description)

    def test_portal_user_cannot_create_interventions_directly(self):
        with self.assertRaises(AccessError):
            self.env["service.intervention"].with_user(self.portal_x).create(
                {"partner_id": self.customer.id, "equipment_id": self.lift_x.id}
            )


@tagged("post_install", "-at_install")
class TestPortalSignature(PortalCommon):
    """A report not signed on site is signed online by the customer."""

    def test_sign_a_finished_report(self):
        signature = base64.b64encode(_png())
        self.intervention_x.sudo()._sign_online("Claire Bellecour", signature)
        self.assertEqual(self.intervention_x.signed_by, "Claire Bellecour")
        self.assertTrue(self.intervention_x.signature)
        self.assertTrue(self.intervention_x.signed_on)
        self.assertIn("signed online by Claire Bellecour", self.intervention_x.message_ids[0].body)
        with self.assertRaisesMessage(UserError, "already signed"):
            self.intervention_x.sudo()._sign_online("Quelqu'un", signature)

    def test_an_open_intervention_cannot_be_signed(self):
        open_one = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "equipment_id": self.lift_x.id}
        )
        with self.assertRaisesMessage(UserError, "not finished"):
            open_one.sudo()._sign_online("Claire", base64.b64encode(_png()))
        self.assertFalse(open_one.signature)

    def test_bad_signature_input(self):
        with self.assertRaisesMessage(ValidationError, "name"):
            self.intervention_x.sudo()._sign_online("  ", base64.b64encode(_png()))
        with self.assertRaisesMessage(ValidationError, "missing"):
            self.intervention_x.sudo()._sign_online("Claire", "")
        with self.assertRaisesMessage(ValidationError, "could not be read"):
            self.intervention_x.sudo()._sign_online("Claire", "not base64 !")
        with self.assertRaisesMessage(ValidationError, "could not be read"):
            self.intervention_x.sudo()._sign_online("Claire", base64.b64encode(b"plain text"))
        self.assertFalse(self.intervention_x.signature)


@tagged("post_install", "-at_install")
class TestPortalRequestHttp(HttpCase, PortalCommon):
    """The request form and the signature route, through HTTP as the portal user."""

    def _post_request(self, **data):
        values = {"csrf_token": http.Request.csrf_token(self), "description": "Bruit anormal", "priority": "1"}
        values.update(data)
        return self.url_open(
            "/my/interventions/request",
            data=values,
            files={"photos": ("bruit.png", _png(), "image/png")},
            allow_redirects=False,
        )

    def test_form_creates_the_request_and_shows_it(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        form = self.url_open(f"/my/interventions/request?equipment_id={self.lift_x.id}")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Ascenseur Tilleuls", form.text)
        response = self._post_request(equipment_id=str(self.lift_x.id), preferred_dates="mardi")
        self.assertEqual(response.status_code, 303)
        intervention = self.env["service.intervention"].search([("portal_requested", "=", True)])
        self.assertEqual(len(intervention), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/interventions/{intervention.id}?message=requested"))
        self.assertEqual(intervention.equipment_id, self.lift_x)
        self.assertEqual(intervention.photo_ids.mapped("name"), ["bruit.png"])
        self.assertIn(self.portal_x.partner_id, intervention.message_partner_ids)
        listing = self.url_open("/my/interventions")
        self.assertIn(intervention.name, listing.text)

    def test_form_refuses_another_customers_equipment(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        response = self._post_request(equipment_id=str(self.lift_y.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("This equipment is not one of yours.", response.text)
        self.assertNotIn("PY-001", response.text)
        self.assertFalse(self.env["service.intervention"].search([("portal_requested", "=", True)]))

    def test_sign_route(self):
        self.authenticate(self.portal_x.login, self.portal_x.login)
        url = f"/my/interventions/{self.intervention_x.id}/sign"
        refused = self.make_jsonrpc_request(url, {"name": "", "signature": base64.b64encode(_png()).decode()})
        self.assertIn("name", refused["error"])
        result = self.make_jsonrpc_request(
            url, {"name": "Claire Bellecour", "signature": base64.b64encode(_png()).decode()}
        )
        self.assertTrue(result["force_refresh"])
        self.assertEqual(self.intervention_x.signed_by, "Claire Bellecour")
