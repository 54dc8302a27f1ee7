import base64
import io

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import UserError

from ..helpers.dunning import AGE_BUCKETS


class ServiceAgingExportWizard(models.TransientModel):
    _name = "service.aging.export.wizard"
    _description = "Export the Receivable Aging"

    company_ids = fields.Many2many(
        "res.company", string="Companies", required=True, default=lambda self: self.env.companies
    )
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _get_aging_data(self, company):
        """``[(partner, {bucket: amount})]`` of ``company``, customers by name."""
        groups = self.env["service.receivable.aging"]._read_group(
            [("company_id", "=", company.id)], ["partner_id", "age_bucket"], ["amount_residual:sum"]
        )
        by_partner = {}
        for partner, bucket, amount in groups:
            by_partner.setdefault(partner, {})[bucket] = amount
        return sorted(by_partner.items(), key=lambda item: (item[0].name or "").lower())

    def _build_xlsx(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        bucket_labels = dict(
            self.env["service.receivable.aging"]._fields["age_bucket"]._description_selection(self.env)
        )
        used_names = set()
        for company in self.company_ids:
            name = (company.name or "")[:28].translate(str.maketrans("[]:*?/\\", "       "))
            while name in used_names:
                name = f"{name[:26]}_{len(used_names)}"
            used_names.add(name)
            sheet = workbook.add_worksheet(name)
            headers = (
                [self.env._("Customer")] + [bucket_labels[key] for key, _label in AGE_BUCKETS] + [self.env._("Total")]
            )
            sheet.write_row(0, 0, headers, bold)
            sheet.set_column(0, 0, 40)
            sheet.set_column(1, len(headers), 14)
            row = 1
            totals = [0.0] * (len(AGE_BUCKETS) + 1)
            for partner, amounts in self._get_aging_data(company):
                values = [amounts.get(key, 0.0) for key, _label in AGE_BUCKETS]
                values.append(sum(values))
                sheet.write(row, 0, partner.display_name or self.env._("No customer"))
                for col, value in enumerate(values, start=1):
                    sheet.write_number(row, col, value, money)
                    totals[col - 1] += value
                row += 1
            sheet.write(row, 0, self.env._("Total"), bold)
            for col, value in enumerate(totals, start=1):
                sheet.write_number(row, col, value, money_bold)
        workbook.close()
        return buffer.getvalue()

    def action_export(self):
        self.ensure_one()
        if not self.company_ids:
            raise UserError(self.env._("Choose at least one company."))
        self.write(
            {
                "file_data": base64.b64encode(self._build_xlsx()),
                "file_name": self.env._("Receivable aging %(date)s.xlsx", date=fields.Date.context_today(self)),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
