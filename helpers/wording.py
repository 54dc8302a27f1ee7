"""Durations and recurrences worded in the reader's language, with the plural rules of Babel."""

from babel.units import format_unit

# recurrence or duration unit -> (CLDR duration unit, number of those units in one)
UNIT_MEASURES = {
    "daily": ("duration-day", 1),
    "weekly": ("duration-week", 1),
    "monthly": ("duration-month", 1),
    "quarterly": ("duration-month", 3),
    "yearly": ("duration-year", 1),
}


def babel_locale(lang):
    """Babel's name of an Odoo language code (``fr_FR``, ``en_US``; ``sr@latin`` becomes ``sr_Latn``)."""
    return (lang or "en_US").replace("@latin", "_Latn")


def format_duration(value, unit, lang):
    """``1 year``, ``5 years``, ``5 ans``, ``6 mois``: ``value`` times ``unit`` in words, pluralised by Babel."""
    measure, factor = UNIT_MEASURES[unit]
    return format_unit(value * factor, measure, length="long", locale=babel_locale(lang))
