from odoo import api, fields, models
from odoo.tools import float_compare


class ServiceContractAmendmentChange(models.Model):
    _name = "service.contract.amendment.change"
    _description = "Contract Amendment Change"
    _inherit = ["service.protected.fields.mixin"]
    _order = "date, id"

    # the old and new values recorded with the amendment: never rewritten by hand
    _service_protected_fields = (
        "amendment_id",
        "company_id",
        "date",
        "line_id",
        "field_name",
        "old_value",
        "new_value",
        "old_value_raw",
        "new_value_raw",
        "old_value_float",
        "new_value_float",
        "old_equipment_ids",
        "new_equipment_ids",
    )

    amendment_id = fields.Many2one("service.contract.amendment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="amendment_id.company_id", store=True)
    date = fields.Date(related="amendment_id.date", store=True, index=True)
    line_id = fields.Many2one("service.contract.line", required=True, ondelete="cascade", index=True)
    field_name = fields.Char(required=True)
    field_label = fields.Char(string="Field", compute="_compute_field_label")
    old_value = fields.Char(help="The value before the amendment, as text.")
    new_value = fields.Char()
    old_value_raw = fields.Char()
    new_value_raw = fields.Char()
    old_value_float = fields.Float(digits=(16, 6))
    new_value_float = fields.Float(digits=(16, 6))
    old_equipment_ids = fields.Many2many(
        "service.equipment", "service_contract_change_old_equipment_rel", "change_id", "equipment_id"
    )
    new_equipment_ids = fields.Many2many(
        "service.equipment", "service_contract_change_new_equipment_rel", "change_id", "equipment_id"
    )

    @api.depends("field_name")
    def _compute_field_label(self):
        Line = self.env["service.contract.line"]
        for change in self:
            field = Line._fields.get(change.field_name)
            change.field_label = field and field._description_string(self.env) or change.field_name

    @api.model
    def _same_value(self, line, fname, old_value, new_value):
        field = line._fields[fname]
        if field.type == "float":
            return float_compare(old_value, new_value, precision_digits=6) == 0
        if field.type == "many2many":
            return set(old_value.ids) == set(getattr(new_value, "ids", new_value))
        return old_value == new_value

    @api.model
    def _prepare_change_vals(self, line, fname, old_value, new_value):
        field = line._fields[fname]
        vals = {"line_id": line.id, "field_name": fname}
        if field.type == "float":
            vals.update(
                old_value_float=old_value,
                new_value_float=new_value,
                old_value=f"{old_value:g}",
                new_value=f"{new_value:g}",
            )
        elif field.type == "many2many":
            new_records = new_value if isinstance(new_value, models.BaseModel) else line[fname].browse(new_value)
            vals.update(
                old_equipment_ids=[fields.Command.set(old_value.ids)],
                new_equipment_ids=[fields.Command.set(new_records.ids)],
                old_value=", ".join(old_value.mapped("display_name")),
                new_value=", ".join(new_records.mapped("display_name")),
            )
        else:
            selection = dict(field._description_selection(self.env)) if field.type == "selection" else {}
            vals.update(
                old_value=selection.get(old_value, old_value),
                new_value=selection.get(new_value, new_value),
                old_value_float=0.0,
                new_value_float=0.0,
            )
            vals["old_value_raw"] = old_value
            vals["new_value_raw"] = new_value
        return vals

    def _get_value(self, new=True, for_write=False):
        """The value before (``new=False``) or after the change, typed like the line's field."""
        self.ensure_one()
        field = self.line_id._fields[self.field_name]
        if field.type == "float":
            return self.new_value_float if new else self.old_value_float
        if field.type == "many2many":
            records = self.new_equipment_ids if new else self.old_equipment_ids
            return [fields.Command.set(records.ids)] if for_write else records
        return self.new_value_raw if new else self.old_value_raw
