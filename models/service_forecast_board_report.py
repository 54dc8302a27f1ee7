from odoo import api, fields, models


class ServiceForecastBoardReport(models.AbstractModel):
    _name = "report.service_management.report_service_forecast_board"
    _description = "Cash Forecast for the Board"

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["service.forecast.line"]._check_forecast_access()
        companies = self.env["res.company"].browse(docids)
        lines = self.env["service.forecast.line"]
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": companies,
            "today": fields.Date.context_today(self),
            "summaries": {company.id: lines._get_summary_blocks(company, "expected") for company in companies},
        }
