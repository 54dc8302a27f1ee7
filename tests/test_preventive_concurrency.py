from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WorkersCase


@tagged("post_install", "-at_install")
class TestPreventiveConcurrency(WorkersCase):
    """Two workers on two real database connections create the same preventive visits."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Residence", "is_company": True})
            product = env["product.product"].create({"name": "Concurrent Lift Visit", "type": "service"})
            equipment = env["service.equipment"].create({"name": "Concurrent Lift", "partner_id": partner.id})
            contract = env["service.contract"].create(
                {
                    "partner_id": partner.id,
                    "date_start": date(2025, 1, 1),
                    "duration_value": 1,
                    "duration_unit": "yearly",
                    "line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": 100.0,
                                "visits_per_year": 4,
                                "equipment_ids": [fields.Command.set(equipment.ids)],
                            }
                        )
                    ],
                }
            )
            contract.action_start()
            self.ids = {
                "partner": partner.id,
                "product": product.id,
                "equipment": equipment.id,
                "contract": contract.id,
                "line": contract.line_ids.id,
            }
            cr.commit()  # pylint: disable=invalid-commit
        self.envs = self._open_workers(self._clean_up)

    def _clean_up(self, env):
        env["service.intervention"].search([("contract_line_id", "=", self.ids["line"])]).unlink()
        contract = env["service.contract"].browse(self.ids["contract"])
        contract._set_state("cancelled")
        contract.unlink()
        env["service.equipment"].browse(self.ids["equipment"]).unlink()
        env["product.product"].browse(self.ids["product"]).unlink()
        env["res.partner"].browse(self.ids["partner"]).unlink()

    def _create_visits(self, env):
        """What the preventive job writes for the line: one intervention per visit of 2025."""
        line = env["service.contract.line"].browse(self.ids["line"])
        slots = line._get_preventive_slots(date(2025, 1, 1), date(2025, 12, 31))
        return env["service.intervention"].create(
            [line._prepare_preventive_intervention_vals(slot, line.equipment_ids) for slot in slots]
        )

    def test_two_workers_create_each_visit_once(self):
        env1, env2 = self.envs
        env2.cr.execute("SELECT 1")  # worker 2's snapshot is taken before worker 1 commits
        self.assertEqual(len(self._create_visits(env1)), 4)
        env1.cr.commit()
        # worker 2 does not see worker 1's visits and writes them again: the database refuses
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            self._create_visits(env2)
            env2.flush_all()
        env2.cr.rollback()
        visits = env2["service.intervention"].search([("contract_line_id", "=", self.ids["line"])])
        self.assertEqual(len(visits), 4)
        self.assertEqual(len(set(visits.mapped("preventive_slot"))), 4)
