from odoo import models

# fields of the form that only show other values (worded, rendered or fetched for display): worth not computing
# when a change of the form cannot alter them
FORM_DISPLAY_FIELDS = (
    "equipment_history",
    "coverage_reason",
    "site_address",
    "site_map_url",
    "site_phone",
    "partner_payer_grade",
    "planning_warning",
)


class ServiceIntervention(models.Model):
    """What the intervention form computes when one of its fields changes."""

    _inherit = "service.intervention"

    def onchange(self, values, field_names, fields_spec):
        if field_names:
            unaffected = self._get_onchange_unaffected_fields(field_names, fields_spec)
            fields_spec = {name: spec for name, spec in fields_spec.items() if name not in unaffected}
        return super().onchange(values, field_names, fields_spec)

    def _get_onchange_unaffected_fields(self, field_names, fields_spec):
        """The display fields of ``fields_spec`` that a change of ``field_names`` cannot alter: none of their
        dependencies is recomputed by it, and no onchange method runs for it. The form keeps their shown value,
        as it does for every field the answer leaves out."""
        changed = [self._fields[name] for name in field_names if name in self._fields]
        if len(changed) != len(field_names):
            return set()
        tree = self.pool.get_trigger_tree(changed)
        affected = {field.name for node in tree.depth_first() for field in node.root if field.model_name == self._name}
        if any(self._onchange_methods.get(name) for name in affected.union(field_names)):
            return set()
        return {name for name in FORM_DISPLAY_FIELDS if name in fields_spec and name not in affected} - set(field_names)
