"""Pure arithmetic of preventive plans: the dates of the visits a contract line calls for."""

import calendar
from datetime import date

from dateutil.relativedelta import relativedelta


def _day_in_month(year, month, day):
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def visit_dates(anchor, visits_per_year, months, date_from, date_to):
    """The visit dates between ``date_from`` and ``date_to`` (both included).

    :param anchor: the contract's start; visits fall on its day of the month
    :param visits_per_year: how many visits a year
    :param months: preferred months (1-12), one per visit; empty to spread the
        visits evenly over the year from the anchor
    """
    if visits_per_year <= 0 or date_to < date_from:
        return []
    result = []
    for year in range(date_from.year - 1, date_to.year + 1):
        if months:
            candidates = [_day_in_month(year, month, anchor.day) for month in months]
        else:
            start = _day_in_month(year, anchor.month, anchor.day)
            candidates = [
                start + relativedelta(months=round(12 * index / visits_per_year)) for index in range(visits_per_year)
            ]
        result.extend(day for day in candidates if date_from <= day <= date_to and day >= anchor)
    return sorted(set(result))
