from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL


class ServiceCompanySequenceMixin(models.AbstractModel):
    """Names new records from a sequence of their company, created on first use."""

    _name = "service.company.sequence.mixin"
    _description = "Numbering per Company"
    _sequence_date_field = None  # the field whose date picks the sequence's yearly range

    @api.model_create_multi
    def create(self, vals_list):
        # one sequence lookup and one draw of numbers per company and date, whatever the number of records
        to_name = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                date = self._sequence_date_field and fields.Date.to_date(vals.get(self._sequence_date_field))
                to_name[vals.get("company_id") or self.env.company.id, date or None].append(vals)
        sequences = {}
        for (company_id, date), group in to_name.items():
            if company_id not in sequences:
                sequences[company_id] = self._get_company_sequence(self.env["res.company"].browse(company_id))
            for vals, name in zip(
                group, self._draw_sequence_names(sequences[company_id], len(group), date), strict=True
            ):
                vals["name"] = name
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
    def _draw_sequence_names(self, sequence, count, date=None):
        """``count`` successive names of ``sequence`` for ``date`` (today by default), as ``next_by_id`` gives them.

        The first name comes from ``next_by_id`` (which finds or creates the date range); the others are drawn
        from the same PostgreSQL sequence in one query. A gapless sequence draws them one by one.
        """
        first = sequence.next_by_id(sequence_date=date)
        if count < 2 or sequence.implementation != "standard":
            return [first] + [sequence.next_by_id(sequence_date=date) for __ in range(count - 1)]
        if sequence.use_date_range:
            day = date or self.env.context.get("ir_sequence_date", fields.Date.today())
            date_range = (
                self.env["ir.sequence.date_range"]
                .sudo()
                .search([("sequence_id", "=", sequence.id), ("date_from", "<=", day), ("date_to", ">=", day)], limit=1)
            )
            pg_sequence = f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}"
            sequence = sequence.with_context(ir_sequence_date_range=date_range.date_from)
        else:
            pg_sequence = f"ir_sequence_{sequence.id:03d}"
        self.env.cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", pg_sequence, count - 1))
        return [first] + [sequence.get_next_char(number) for number in sorted(row[0] for row in self.env.cr.fetchall())]

    @api.model
    def _prepare_company_sequence_vals(self, company):
        """The ``name`` and ``prefix`` of the sequence of ``company``."""
        raise NotImplementedError
