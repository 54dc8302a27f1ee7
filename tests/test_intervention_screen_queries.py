from datetime import datetime

from lxml import etree

from odoo.tests import tagged
from odoo.tools import format_date

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestInterventionScreenQueries(ServiceCommon):
    """Opening the intervention form costs the same number of queries for one record or ten."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_technician = cls._create_service_user("technician2", "service_management.group_service_technician")
        Intervention = cls.env["service.intervention"]
        cls.interventions = Intervention
        for index in range(10):
            equipment = cls._create_equipment(name=f"Lift {index}")
            done = Intervention.create(
                {"partner_id": cls.customer.id, "equipment_id": equipment.id, "user_id": cls.other_technician.id}
            )
            done.action_start()
            done.action_done()
            done.write({"actual_start": datetime(2026, 1, 5, 9, 0), "actual_end": datetime(2026, 1, 5, 11, 0)})
            cls.interventions |= Intervention.create(
                {
                    "partner_id": cls.customer.id,
                    "equipment_id": equipment.id,
                    "user_id": cls.technician.id,
                    "planned_start": datetime(2026, 3, 2 + index, 9, 0),
                    "planned_duration": 2.0,
                }
            )

    def _form_specification(self, user):
        """The fields the web client reads for the intervention form, as ``tools/load.py`` builds them."""
        views = self.env["service.intervention"].with_user(user).get_views([(False, "form")])
        fields = views["models"]["service.intervention"]["fields"]
        specification = {}

        def walk(node):
            for child in node:
                if child.tag == "field":
                    kind = fields.get(child.get("name"), {}).get("type")
                    if kind in ("many2one", "one2many", "many2many"):
                        specification[child.get("name")] = {"fields": {"display_name": {}}}
                    elif kind:
                        specification[child.get("name")] = {}
                    continue
                walk(child)

        walk(etree.fromstring(views["views"]["form"]["arch"]))
        return specification

    def _count_queries(self, function):
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - count

    def _assert_constant_queries(self, user, call):
        records = self.interventions.with_user(user)
        specification = self._form_specification(user)
        # warm the caches of the views, access rules and translations, as a running server has them
        self._count_queries(lambda: call(records[:1], specification))
        one = self._count_queries(lambda: call(records[:1], specification))
        ten = self._count_queries(lambda: call(records, specification))
        self.assertTrue(one, "the form's data is read from the database")
        self.assertEqual(ten, one, "ten interventions cost the queries of one")

    def test_form_read_queries_do_not_grow_with_the_records(self):
        for user in (self.technician, self.dispatcher):
            with self.subTest(user=user.login):
                self._assert_constant_queries(user, lambda records, specification: records.web_read(specification))

    def test_form_shows_every_equipment_history_from_one_read(self):
        specification = self._form_specification(self.technician)
        self.assertIn("equipment_history", specification)
        values = self.interventions.with_user(self.technician).web_read(specification)
        self.assertEqual(len(values), 10)
        for value in values:
            history = value["equipment_history"]
            self.assertIn(format_date(self.env, datetime(2026, 1, 5, 11, 0)), history)
            self.assertIn("Corrective", history, "the type's label, not its code")
            self.assertIn(self.other_technician.name, history, "whoever did the work")

    def test_form_history_is_empty_without_equipment_or_done_work(self):
        intervention = self.env["service.intervention"].create(
            {"partner_id": self.customer.id, "user_id": self.technician.id}
        )
        self.assertFalse(intervention.with_user(self.technician).equipment_history)
        new = self.interventions[0].copy()
        new.equipment_id = self._create_equipment(name="Unused lift")
        self.assertFalse(new.with_user(self.technician).equipment_history)

    def _onchange(self, user, record, values, field_names):
        specification = self._form_specification(user)
        self.env.invalidate_all()
        return record.with_user(user).onchange(values, field_names, specification)["value"]

    def test_onchange_of_the_duration_leaves_the_history_alone(self):
        intervention = self.interventions[0]
        history = intervention.equipment_history
        self.assertTrue(history)
        field = intervention._fields["equipment_history"]
        value = self._onchange(self.dispatcher, intervention, {"planned_duration": 3.0}, ["planned_duration"])
        self.assertIn("planned_end", value, "the end moves with the duration")
        self.assertNotIn("equipment_history", value)
        self.assertFalse(self.env.cache.contains(intervention, field), "the history is not rendered for nothing")
        self.assertEqual(intervention.equipment_history, history, "and still shown as before")

    def test_onchange_of_the_equipment_shows_its_history(self):
        intervention, other = self.interventions[:2]
        done_on_other = self.env["service.intervention"].search(
            [("equipment_id", "=", other.equipment_id.id), ("state", "=", "done")]
        )
        value = self._onchange(self.dispatcher, intervention, {"equipment_id": other.equipment_id.id}, ["equipment_id"])
        self.assertIn(done_on_other.name, value["equipment_history"])

    def test_onchange_removing_the_equipment_clears_its_history(self):
        intervention = self.interventions[0]
        self.assertTrue(intervention.equipment_history)
        value = self._onchange(self.dispatcher, intervention, {"equipment_id": False}, ["equipment_id"])
        self.assertIn("equipment_history", value, "a display field follows the change it depends on")
        self.assertFalse(value["equipment_history"])
