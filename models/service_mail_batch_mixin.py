import uuid

from lxml import etree, html
from markupsafe import Markup

from odoo import Command, models
from odoo.tools import is_html_empty

from odoo.addons.service_management.helpers.report import render_batch, report_filename

# what an e-mail takes from its template, as ``mail.template.send_mail_batch`` renders it, but the body (compiled
# once for all the records) and the reports (printed once for all the records)
MAIL_RENDER_FIELDS = (
    "attachment_ids",
    "auto_delete",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "model",
    "partner_to",
    "reply_to",
    "res_id",
    "scheduled_date",
    "subject",
)


class ServiceMailBatchMixin(models.AbstractModel):
    """The e-mails of a template for many records, as Odoo's ``send_mail_batch`` makes them (recipients, subject,
    layout, attachments), at the cost of a few: Odoo compiles the body again for each record and prints each
    report record by record."""

    _name = "service.mail.batch.mixin"
    _description = "Template E-mails Sent in Batches"

    def _service_send_template_mails(self, template, layout_xmlid=False, reports=None):
        """Queue the e-mail of ``template`` for each of these records, all in one create; return the ``mail.mail``.

        ``layout_xmlid``: the layout around the body (else the template's own, if any). ``reports``:
        ``{report: {record: ir.attachment}}``, documents of the template's reports already printed.
        """
        vals_list = self._service_prepare_template_mails(template, layout_xmlid, reports)
        return self.env["mail.mail"].sudo().create(vals_list)

    def _service_prepare_template_mails(self, template, layout_xmlid=False, reports=None):
        """The values of the ``mail.mail`` of ``_service_send_template_mails``, in the order of the records.

        The message of each e-mail holds the content without the layout, as a chatter notification's message
        does: the ORM sanitizes an HTML body several times when creating it, the layout costing most.
        """
        template._send_check_access(self.ids)
        values_by_id = template._generate_template(self.ids, MAIL_RENDER_FIELDS)
        bodies = {}
        for lang_template, res_ids in template._classify_per_lang(self.ids).values():
            bodies.update(self.browse(res_ids)._service_render_template_body(lang_template))
        attachments = self._service_print_template_reports(template, reports or {})
        layout_xmlid = layout_xmlid or template.email_layout_xmlid
        layouts = self._service_render_mail_layouts(template, layout_xmlid, bodies) if layout_xmlid else bodies
        vals_list = []
        for record in self:
            values = values_by_id[record.id]
            attachment_ids = list(values.get("attachment_ids") or []) + [a[record].id for a in attachments.values()]
            values.update(
                recipient_ids=[Command.link(partner_id) for partner_id in values.pop("partner_ids", None) or []],
                attachment_ids=[Command.link(attachment_id) for attachment_id in attachment_ids],
                body_html=layouts[record.id],
                body=bodies[record.id],
            )
            if "email_from" in values and not values["email_from"]:
                values.pop("email_from")
            vals_list.append(values)
        return vals_list

    def _service_render_template_body(self, template):
        """``{id: body}`` of ``template`` (one language) for these records, as ``_render_field("body_html")``
        renders it, but with its QWeb compiled once: Odoo compiles a raw body again for each record."""
        separator = f"<!--{uuid.uuid4().hex}-->"
        body = html.fragment_fromstring(template.body_html or "", create_parent="div")
        loop = etree.Element("t", {"t-foreach": "records", "t-as": "object"})
        etree.SubElement(loop, "t", {"t-out": "separator"})
        loop.append(body)
        variables = dict(template._render_eval_context(), records=self, separator=Markup(separator))
        options = {}
        if (
            not template._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        ):
            options["raise_on_forbidden_code_for_model"] = self._name
        rendered = self.env["ir.qweb"]._render(loop, variables, **options)
        # each record's part is its body wrapped in the <div> added above, removed as Odoo does
        results = {
            record.id: Markup(part[5:-6]) for record, part in zip(self, rendered.split(separator)[1:], strict=True)
        }
        return template._render_template_postprocess(self._name, results)

    def _service_render_mail_layouts(self, template, layout_xmlid, bodies):
        """``{id: body_html}``: each body of ``bodies`` in the layout ``layout_xmlid``, as ``send_mail_batch``."""
        langs = template._render_lang(self.ids) if template.lang else {}
        companies = self._mail_get_companies(default=self.env.company)
        ir_model = self.env["ir.model"]._get(self._name)
        results = {}
        for record in self:
            lang = langs.get(record.id)
            model = ir_model.with_context(lang=lang) if lang else ir_model
            layout = model.env["ir.qweb"]._render(
                layout_xmlid,
                {
                    "message": self.env["mail.message"]
                    .sudo()
                    .new({"body": bodies[record.id], "record_name": record.display_name}),
                    "subtype": self.env["mail.message.subtype"].sudo(),
                    "model_description": model.display_name,
                    "record": record,
                    "record_name": False,
                    "subtitles": False,
                    "company": companies.get(record.id) or self.env.company,
                    "email_add_signature": False,
                    "signature": "",
                    "website_url": "",
                    "is_html_empty": is_html_empty,
                },
                minimal_qcontext=True,
                raise_if_not_found=False,
            )
            # as Odoo, a layout that does not exist sends the body alone
            results[record.id] = (
                self.env["mail.render.mixin"]._replace_local_links(layout) if layout else bodies[record.id]
            )
        return results

    def _service_print_template_reports(self, template, printed):
        """``{report: {record: ir.attachment}}`` for each report of ``template``: those of ``printed``, the
        others printed in one rendering for all these records."""
        return {
            report: printed[report] if report in printed else self._service_print_reports(report)[0]
            for report in template.report_template_ids
        }

    def _service_print_reports(self, report):
        """``({record: ir.attachment}, rendered)``: the document of ``report`` for each of these records, printed
        in one rendering (one wkhtmltopdf call), split per record and attached to it in one call; ``rendered`` is
        the PDF of that rendering when it holds exactly these records' documents in their order (else None)."""
        if not self:
            return {}, None
        contents, report_format, rendered = render_batch(report, self.ids)
        # the access Odoo checks record by record when attaching, checked once for all the records
        self.check_access("write")
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": report_filename(report, record, report_format),
                        "raw": contents[record.id],
                        "res_model": record._name,
                        "res_id": record.id,
                        "mimetype": "application/pdf" if report_format == "pdf" else "text/html",
                    }
                    for record in self
                ]
            )
        )
        return dict(zip(self, attachments.sudo(False), strict=True)), rendered
