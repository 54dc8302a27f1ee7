from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoContent(TransactionCase):
    """The demo company is French: what it prints for its customers is written in French."""

    def _demo(self, xmlid):
        record = self.env.ref(f"service_management.{xmlid}", raise_if_not_found=False)
        if not record:
            self.skipTest("the database has no demo data")
        return record.with_context(lang="fr_FR")

    def test_checklist_questions_are_french(self):
        template = self._demo("service_checklist_template_boiler_demo")
        self.assertIn("Monoxyde de carbone dans les fumées (ppm)", template.item_ids.mapped("question"))
        answered = self.env["service.intervention.checklist.line"].search(
            [("question", "=", "Monoxyde de carbone dans les fumées (ppm)"), ("intervention_id.state", "=", "done")]
        )
        self.assertTrue(answered, "finished demo visits carry the French question")
        self.assertEqual(set(answered.mapped("answer_number")), {18.0}, "the demo's answers find their questions")
        self.assertFalse(
            self.env["service.intervention.checklist.line"].search_count(
                [("question", "=", "Carbon monoxide in the flue gas (ppm)")]
            )
        )

    def test_contract_titles_and_line_descriptions_are_french(self):
        contract = self._demo("service_contract_01_demo")
        self.assertEqual(contract.title, "Ascenseurs - tous risques, Résidence Les Tilleuls")
        lift = self.env.ref("service_management.product_service_full_lift_maintenance_demo")
        lift_line = contract.line_ids.filtered(lambda line: line.product_id == lift)
        self.assertTrue(lift_line.name.startswith("[SRV-LIFT-FULL] Maintenance ascenseur complète (annuelle)\n"))
        self.assertNotIn("Full cover", lift_line.name)
        # translatable names keep their English source and read French for French readers
        product = self._demo("product_service_full_lift_maintenance_demo")
        self.assertEqual(product.name, "Maintenance ascenseur complète (annuelle)")

    def test_dispatched_calls_are_french_and_mostly_on_time(self):
        self._demo("service_contract_01_demo")
        Intervention = self.env["service.intervention"]
        generated = Intervention.search([("description", "ilike", "Visite d'entretien programmée")])
        self.assertTrue(generated, "the planning code's demo work is described in French")
        self.assertFalse(Intervention.search_count([("description", "ilike", "Scheduled maintenance visit")]))
        breakdowns = Intervention.search([("state", "=", "done"), ("resolution_deadline", "!=", False)])
        self.assertEqual(set(breakdowns.mapped("intervention_type")), {"corrective"}, "planned work has no SLA")
        on_time = breakdowns.filtered(lambda intervention: not intervention.sla_breached)
        self.assertGreater(len(on_time), len(breakdowns) / 2, "most demo breakdowns are repaired in time")
