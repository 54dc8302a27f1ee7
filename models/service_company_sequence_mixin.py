from odoo import api, fields, models


class ServiceCompanySequenceMixin(models.AbstractModel):
    """Names new records from a sequence of their company, created on first use."""

    _name = "service.company.sequence.mixin"
    _description = "Numbering per Company"
    _sequence_date_field = None  # the field whose date picks the sequence's yearly range

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                date = self._sequence_date_field and fields.Date.to_date(vals.get(self._sequence_date_field))
                vals["name"] = self._get_company_sequence(company).next_by_id(sequence_date=date or None)
        return super().create(vals_list)

    @api.model
    def _get_company_sequence(self, company):
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search([("code", "=", self._name), ("company_id", "=", company.id)], limit=1)
        return sequence or Sequence.create(
            {
                "code": self._name,
                "company_id": company.id,
                "padding": 5,
                "use_date_range": True,
                **self._prepare_company_sequence_vals(company),
            }
        )

    @api.model
    def _prepare_company_sequence_vals(self, company):
        """The ``name`` and ``prefix`` of the sequence of ``company``."""
        raise NotImplementedError
