"""Reports printed for many records at once: one rendering, then one document per record."""

import io

import lxml.html

from odoo.exceptions import UserError
from odoo.tools import config
from odoo.tools.pdf import PdfFileReader, PdfFileWriter, PdfReadError, merge_pdf
from odoo.tools.safe_eval import safe_eval, time


def renders_as_html(report):
    """Whether Odoo renders ``report`` as HTML instead of PDF: under its tests, unless the context forces PDF
    (as ``ir.actions.report._render_qweb_pdf`` does)."""
    return bool(config["test_enable"] or config["test_file"]) and not report.env.context.get("force_report_rendering")


def split_pdf_by_outlines(content, count):
    """``content`` (a PDF) cut into ``count`` PDFs: one per page when it has ``count`` pages, else at its
    top-level outlines (the first heading of each record, as wkhtmltopdf writes them); None when it has not
    exactly ``count`` of them, the first on page one (as Odoo cuts a report per record)."""
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    if len(reader.pages) == count:
        return _cut_pdf(reader, list(range(count)))
    root = reader.trailer["/Root"]
    if "/Outlines" not in root or "/First" not in root["/Outlines"] or "/Dests" not in root:
        return None
    starts, node = [], root["/Outlines"]["/First"]
    while True:
        starts.append(root["/Dests"][node["/Dest"]][0])
        if "/Next" not in node:
            break
        node = node["/Next"]
    starts = sorted(set(starts))
    if len(starts) != count or starts[0] != 0:
        return None
    return _cut_pdf(reader, starts)


def _cut_pdf(reader, starts):
    """The PDFs of ``reader``'s pages cut before each page number of ``starts``."""
    parts = []
    for start, end in zip(starts, [*starts[1:], len(reader.pages)], strict=True):
        writer = PdfFileWriter()
        for number in range(start, end):
            writer.addPage(reader.getPage(number))
        stream = io.BytesIO()
        writer.write(stream)
        parts.append(stream.getvalue())
    return parts


def _render_html_per_record(report, res_ids):
    """Each record's part of the report's HTML: the innermost element marked with its ``data-oe-model`` and
    ``data-oe-id`` (the article of Odoo's layouts, or a record's block where all share one article)."""
    html = report._render_qweb_html(report.report_name, res_ids)[0]
    wanted = set(res_ids)
    contents = {}
    # document order visits an element before the elements it holds: the innermost mark wins
    for node in lxml.html.fromstring(html).xpath("//*[@data-oe-model=$model][@data-oe-id]", model=report.model):
        res_id = int(node.get("data-oe-id"))
        if res_id in wanted:
            contents[res_id] = lxml.html.tostring(node, encoding="utf-8")
    return contents


def _render_pdf_whole(report, res_ids):
    """The PDF of ``report`` for ``res_ids`` from one wkhtmltopdf call, as ``_render_qweb_pdf_prepare_streams``
    renders it before cutting it per record."""
    if report.get_wkhtmltopdf_state() == "install":
        raise UserError(report.env._("Unable to find Wkhtmltopdf on this system. The PDF can not be created."))
    # as Odoo prints PDFs: without debug mode, so that the assets come as one bundle
    report = report.with_context(debug=False)
    html = report._render_qweb_html(report.report_name, res_ids, data={})[0]
    bodies, _html_ids, header, footer, paperformat_args = report.sudo()._prepare_html(html, report_model=report.model)
    return report._run_wkhtmltopdf(
        bodies,
        report_ref=report.report_name,
        header=header,
        footer=footer,
        landscape=report.env.context.get("landscape"),
        specific_paperformat_args=paperformat_args,
        set_viewport_size=report.env.context.get("set_viewport_size"),
    )


def _render_pdf_per_record(report, res_ids):
    """``({res_id: PDF}, whole)``: ``whole`` is the PDF rendered for all of ``res_ids`` when it was cut into
    exactly their PDFs, in their order (else None)."""
    try:
        if len(res_ids) > 1 and not report.attachment:
            # rendered here rather than by Odoo, so that the rendered PDF is kept whole besides its parts
            whole = _render_pdf_whole(report, res_ids)
            parts = split_pdf_by_outlines(whole, len(res_ids))
            return (dict(zip(res_ids, parts, strict=True)), whole) if parts else ({}, None)
        streams = report._render_qweb_pdf_prepare_streams(report.report_name, {}, res_ids=res_ids)
    except (UserError, PdfReadError):
        if len(res_ids) == 1:
            raise
        # a PDF engine that cannot print several records in one call (Debian's wkhtmltopdf, without patched Qt,
        # writes nothing): each record is printed alone below
        return {}, None
    contents = {res_id: data["stream"].getvalue() for res_id, data in streams.items() if res_id and data["stream"]}
    whole = streams.get(False, {}).get("stream")
    if whole and len(contents) < len(res_ids):
        # one document for all the records: Odoo could not cut it, its outlines may
        parts = split_pdf_by_outlines(whole.getvalue(), len(res_ids)) or []
        if parts:
            return dict(zip(res_ids, parts, strict=True)), whole.getvalue()
    return contents, None


def render_per_record(report, res_ids):
    """``({res_id: content}, format)`` of ``report`` (an ``ir.actions.report``) printed for ``res_ids``.

    One rendering (one wkhtmltopdf call) for all of them, the PDF split per record with pypdf (by Odoo from
    its pages or its records' articles, else at its top-level outlines); a record the split could not isolate
    is printed alone. ``format`` is ``"pdf"``, or ``"html"`` where Odoo renders reports as HTML (its tests),
    each record's HTML then standing for its PDF.
    """
    contents, report_format, _whole = render_batch(report, res_ids)
    return contents, report_format


def render_batch(report, res_ids):
    """As ``render_per_record``, and the rendered PDF itself where it was cut at its outlines into all the
    records' PDFs, in the order of ``res_ids`` (else None): the one document of all the records, nothing to
    merge again."""
    res_ids = list(res_ids)
    if not res_ids:
        return {}, "pdf", None
    if renders_as_html(report):
        contents, whole, report_format = _render_html_per_record(report, res_ids), None, "html"
    else:
        (contents, whole), report_format = _render_pdf_per_record(report, res_ids), "pdf"
    for res_id in res_ids:
        if res_id not in contents:
            whole = None
            contents[res_id] = (
                _render_html_per_record(report, [res_id])
                if report_format == "html"
                else _render_pdf_per_record(report, [res_id])[0]
            )[res_id]
    contents = {res_id: contents[res_id] for res_id in res_ids}
    return contents, report_format, whole


def join_documents(contents):
    """One document of ``contents`` in their order: PDFs merged, or HTML (Odoo's tests) joined."""
    if len(contents) == 1:
        return contents[0]
    return merge_pdf(contents) if all(c.startswith(b"%PDF") for c in contents) else b"".join(contents)


def report_filename(report, record, report_format):
    """The name of ``record``'s document printed by ``report``, as Odoo names it when it attaches a report."""
    name = safe_eval(report.print_report_name, {"object": record, "time": time}) if report.print_report_name else ""
    name = (name or report.name).replace("/", "-")
    extension = f".{report_format}"
    return name if name.endswith(extension) else name + extension
