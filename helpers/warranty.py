"""Pure warranty arithmetic, testable without records."""

NONE = "none"
FUTURE = "future"
ACTIVE = "active"
EXPIRED = "expired"


def covers(date_start, date_end, on_date):
    """Whether the period [date_start, date_end] (both days included) covers ``on_date``."""
    return date_start <= on_date <= date_end


def warranty_state(periods, on_date):
    """State of a set of warranty periods on a date.

    :param periods: iterable of ``(date_start, date_end)`` pairs
    :return: ``active`` when a period covers the date, else ``expired`` when a
        period ended before it, else ``future`` when a period starts after it,
        else ``none`` (no period at all)
    """
    periods = list(periods)
    if not periods:
        return NONE
    if any(covers(start, end, on_date) for start, end in periods):
        return ACTIVE
    if any(end < on_date for _start, end in periods):
        return EXPIRED
    return FUTURE
