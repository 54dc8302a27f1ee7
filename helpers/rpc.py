"""Arguments received by public methods over RPC: checked and converted, with a clear error otherwise."""

from datetime import date, datetime

from odoo import fields
from odoo.exceptions import UserError

# a date outside these years is a typing mistake; dates further on overflow the date arithmetic
MIN_YEAR = 1900
MAX_YEAR = 2999


def to_date(env, value, label):
    """``value`` (a date or ``YYYY-MM-DD``) as a date, or a ``UserError`` naming ``label``."""
    try:
        day = fields.Date.to_date(value) if isinstance(value, (date, datetime, str)) else None
    except (TypeError, ValueError, OverflowError):
        day = None
    if not day or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UserError(
            env._(
                "%(label)s must be a date between the years %(min)s and %(max)s (YYYY-MM-DD), not %(value)s.",
                label=label,
                min=MIN_YEAR,
                max=MAX_YEAR,
                value=repr(value),
            )
        )
    return day


def to_ids(env, value, label):
    """``value`` (an id, a list of ids, or nothing) as a list of positive ids, or a ``UserError`` naming ``label``."""
    if not value:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(item, int) and not isinstance(item, bool) and 0 < item < 2**31 for item in values):
        raise UserError(
            env._(
                "%(label)s must be record ids (positive whole numbers), not %(value)s.", label=label, value=repr(value)
            )
        )
    return list(values)
