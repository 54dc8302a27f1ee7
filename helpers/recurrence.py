"""Pure recurrence arithmetic for contracts, testable without records.

Dates of a recurrence are always computed from its anchor (``start + n x step``)
so that a monthly recurrence starting on the 31st gives 31 Jan, 28/29 Feb,
31 Mar... and never drifts to the 28th.
"""

from dateutil.relativedelta import relativedelta

UNITS = ("daily", "weekly", "monthly", "quarterly", "yearly")
PERIODS_PER_YEAR = {"daily": 365, "weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}


def step(unit, interval=1):
    """The ``relativedelta`` of ``interval`` units."""
    if interval < 1:
        raise ValueError("interval must be a positive integer")
    if unit == "daily":
        return relativedelta(days=interval)
    if unit == "weekly":
        return relativedelta(weeks=interval)
    if unit == "monthly":
        return relativedelta(months=interval)
    if unit == "quarterly":
        return relativedelta(months=3 * interval)
    if unit == "yearly":
        return relativedelta(years=interval)
    raise ValueError(f"unknown recurrence unit {unit!r}")


def nth_date(anchor, unit, interval, n):
    """The start of the ``n``-th period (0 is ``anchor`` itself)."""
    if unit in ("daily", "weekly"):
        return anchor + step(unit, interval * n) if n else anchor
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[unit] * interval * n
    return anchor + relativedelta(months=months)


def period_end(anchor, unit, interval, n):
    """The last day of the ``n``-th period."""
    return nth_date(anchor, unit, interval, n + 1) - relativedelta(days=1)


def periods_between(anchor, unit, interval, date_from, date_to):
    """The ``(start, end)`` of each period starting from ``date_from`` to ``date_to``, both included."""
    result = []
    n = 0
    while True:
        start = nth_date(anchor, unit, interval, n)
        if start > date_to:
            return result
        if start >= date_from:
            result.append((start, period_end(anchor, unit, interval, n)))
        n += 1


def yearly_factor(unit, interval):
    """How many periods of ``interval`` units fit in a year (to express an amount per year)."""
    return PERIODS_PER_YEAR[unit] / interval


def add_duration(date_start, unit, value):
    """The last day of a duration of ``value`` units starting ``date_start``."""
    return nth_date(date_start, unit, value, 1) - relativedelta(days=1)
