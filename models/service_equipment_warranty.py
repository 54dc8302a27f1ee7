from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_management.helpers import warranty as warranty_helper


class ServiceEquipmentWarranty(models.Model):
    _name = "service.equipment.warranty"
    _description = "Equipment Warranty"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    equipment_id = fields.Many2one(
        "service.equipment", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="equipment_id.company_id", store=True, index=True)
    warranty_type = fields.Selection(
        [("manufacturer", "Manufacturer"), ("own", "Own")],
        string="Type",
        required=True,
        default="manufacturer",
        help="Manufacturer: given by the maker of the equipment. Own: given by the company on its work.",
    )
    provider_id = fields.Many2one(
        "res.partner",
        string="Warrantor",
        help="The manufacturer or supplier who honours the warranty.",
    )
    reference = fields.Char(help="Warranty certificate or claim reference.")
    date_start = fields.Date(string="Start Date", required=True)
    date_end = fields.Date(string="End", required=True)
    cover_labour = fields.Boolean(string="Labour", default=True)
    cover_parts = fields.Boolean(string="Parts", default=True)
    cover_travel = fields.Boolean(string="Travel")
    note = fields.Text(string="Coverage Notes", translate=False)
    state = fields.Selection(
        [
            (warranty_helper.FUTURE, "Not Started"),
            (warranty_helper.ACTIVE, "In Force"),
            (warranty_helper.EXPIRED, "Expired"),
        ],
        compute="_compute_state",
        string="Status",
    )

    @api.depends("date_start", "date_end")
    @api.depends_context("warranty_date")
    def _compute_state(self):
        on_date = self.env["service.equipment"]._get_warranty_date()
        for warranty in self:
            if not (warranty.date_start and warranty.date_end):
                warranty.state = False
                continue
            warranty.state = warranty_helper.warranty_state([(warranty.date_start, warranty.date_end)], on_date)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for warranty in self:
            if warranty.date_end < warranty.date_start:
                raise ValidationError(
                    self.env._(
                        "The warranty of %(equipment)s cannot end (%(end)s) before it starts (%(start)s).",
                        equipment=warranty.equipment_id.display_name,
                        end=warranty.date_end,
                        start=warranty.date_start,
                    )
                )

    @api.depends("warranty_type", "date_end")
    def _compute_display_name(self):
        types = dict(self._fields["warranty_type"]._description_selection(self.env))
        for warranty in self:
            warranty.display_name = self.env._(
                "%(type)s warranty until %(end)s",
                type=types.get(warranty.warranty_type, ""),
                end=warranty.date_end or "",
            )

    def _get_coverage(self):
        """The kinds of cost this warranty pays for, as a set of ``labour``, ``parts``, ``travel``."""
        self.ensure_one()
        return {
            kind
            for kind, covered in (
                ("labour", self.cover_labour),
                ("parts", self.cover_parts),
                ("travel", self.cover_travel),
            )
            if covered
        }
