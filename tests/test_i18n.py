import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d")


@tagged("post_install", "-at_install")
class TestI18n(TransactionCase):
    """French is complete: every term of the template is translated, with the same placeholders."""

    def test_french_translation_is_complete(self):
        template = polib.pofile(file_path("service_management/i18n/service_management.pot"))
        french = polib.pofile(file_path("service_management/i18n/fr.po"))
        translations = {(entry.msgctxt, entry.msgid): entry for entry in french}
        missing = [entry.msgid for entry in template if (entry.msgctxt, entry.msgid) not in translations]
        self.assertFalse(missing, "terms of the template missing from fr.po")
        self.assertFalse([entry.msgid for entry in french.untranslated_entries()], "untranslated terms")
        self.assertFalse([entry.msgid for entry in french.fuzzy_entries()], "fuzzy terms")
        for entry in french:
            self.assertEqual(
                sorted(PLACEHOLDER.findall(entry.msgid)),
                sorted(PLACEHOLDER.findall(entry.msgstr)),
                f"placeholders differ in the translation of {entry.msgid!r}",
            )

    def test_french_labels_are_loaded(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["service_management"], ["fr_FR"], overwrite=True)
        fields_fr = self.env["service.equipment"].with_context(lang="fr_FR").fields_get(["serial_no", "state"])
        self.assertEqual(fields_fr["serial_no"]["string"], "Numéro de série")
        self.assertIn(("out_of_order", "En panne"), fields_fr["state"]["selection"])
