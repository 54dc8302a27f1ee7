"""Pure billing arithmetic: periods to bill, pro rata to the day, monthly spreading of revenue.

Periods of a monthly, quarterly or yearly line follow the calendar (months,
quarters, years, or several of them from the one the contract starts in), so
that a contract starting or ending inside a period is billed pro rata to the day.
Daily and weekly periods start on the contract's start date.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.addons.service_management.helpers import recurrence

ONE_DAY = timedelta(days=1)


def period_anchor(date_start, unit):
    """The first day of the calendar period the contract starts in."""
    if unit == "monthly":
        return date_start.replace(day=1)
    if unit == "quarterly":
        return date_start.replace(day=1, month=3 * ((date_start.month - 1) // 3) + 1)
    if unit == "yearly":
        return date_start.replace(day=1, month=1)
    return date_start


def period_index(anchor, unit, interval, day):
    """The number of the period (0 from ``anchor``) that contains ``day`` (``day >= anchor``)."""
    if unit in ("monthly", "quarterly", "yearly"):
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        size = {"monthly": 1, "quarterly": 3, "yearly": 12}[unit] * interval
        n = months // size
    else:
        size = 7 * interval if unit == "weekly" else interval
        n = (day - anchor).days // size
    while recurrence.nth_date(anchor, unit, interval, n + 1) <= day:
        n += 1
    while n > 0 and recurrence.nth_date(anchor, unit, interval, n) > day:
        n -= 1
    return n


def periods_to_bill(anchor, unit, interval, first_day, last_day, billed_until, today, in_arrears):
    """The periods of a line due on ``today`` and not billed yet.

    Each is ``(period_start, period_end, date_from, date_to)``: the calendar
    period and the part of it the contract covers. ``first_day``/``last_day``
    bound the contract (``last_day`` may be ``None``); ``billed_until`` is the
    last day already billed (or ``None``). In advance, a period is due from its
    first covered day; in arrears, the day after its last covered day.
    """
    start = max(first_day, billed_until + ONE_DAY) if billed_until else first_day
    result = []
    if last_day and start > last_day:
        return result
    n = period_index(anchor, unit, interval, max(start, anchor))
    while True:
        period_start = recurrence.nth_date(anchor, unit, interval, n)
        period_end = recurrence.period_end(anchor, unit, interval, n)
        date_from = max(period_start, start)
        date_to = min(period_end, last_day) if last_day else period_end
        if date_from > date_to:
            return result
        due = date_to < today if in_arrears else date_from <= today
        if not due:
            return result
        result.append((period_start, period_end, date_from, date_to))
        if last_day and date_to >= last_day:
            return result
        n += 1


def next_due_date(anchor, unit, interval, first_day, last_day, billed_until, in_arrears):
    """The day the first period not billed yet becomes due, or ``None`` when all is billed."""
    start = max(first_day, billed_until + ONE_DAY) if billed_until else first_day
    if last_day and start > last_day:
        return None
    n = period_index(anchor, unit, interval, max(start, anchor))
    period_end = recurrence.period_end(anchor, unit, interval, n)
    date_to = min(period_end, last_day) if last_day else period_end
    return date_to + ONE_DAY if in_arrears else start


def day_fraction(date_from, date_to, period_start, period_end):
    """``(days billed, days in the period)`` of ``date_from..date_to`` within the period."""
    return (date_to - date_from).days + 1, (period_end - period_start).days + 1


def split_at(date_from, date_to, change_dates):
    """Cut ``date_from..date_to`` into consecutive ranges starting at each change date inside it."""
    cuts = sorted({day for day in change_dates if date_from < day <= date_to})
    ranges = []
    start = date_from
    for cut in cuts:
        ranges.append((start, cut - ONE_DAY))
        start = cut
    ranges.append((start, date_to))
    return ranges


def spread_by_month(amount, date_from, date_to, digits=2):
    """Spread ``amount`` over the months of ``date_from..date_to`` in proportion to their days.

    Returns ``[(first day of month, amount)]``; every amount is rounded to
    ``digits`` and the last month takes the remainder, so they add up exactly.
    """
    total_days = (date_to - date_from).days + 1
    result = []
    month = date_from.replace(day=1)
    spent = 0.0
    while month <= date_to:
        month_end = month + relativedelta(months=1) - ONE_DAY
        days = (min(month_end, date_to) - max(month, date_from)).days + 1
        part = round(amount * days / total_days, digits)
        result.append([month, part])
        spent += part
        month += relativedelta(months=1)
    result[-1][1] = round(amount - (spent - result[-1][1]), digits)
    return [tuple(item) for item in result]


def served_month(invoice_date):
    """The month under which the revenue already served at ``invoice_date`` is recognised: the one before it."""
    return invoice_date.replace(day=1) - relativedelta(months=1)


def recognition_schedule(amount, date_from, date_to, invoice_date, digits=2):
    """The revenue of a line serving ``date_from..date_to``, billed on ``invoice_date``, month by month.

    Returns ``[(month, amount)]`` (first day of month, ordered): each month gets its share of the days
    of the whole service (partial months pro rata), the months before the invoice's month are grouped
    on :func:`served_month` (revenue at once, on the invoice date), the later months follow; the last
    month takes the rounding remainder, so the amounts add up to ``amount`` exactly.
    """
    invoice_month = invoice_date.replace(day=1)
    served, result = None, []
    for month, part in spread_by_month(amount, date_from, date_to, digits):
        if month < invoice_month:
            served = round((served or 0.0) + part, digits)
        else:
            result.append((month, part))
    if served is not None:
        result.insert(0, (served_month(invoice_date), served))
    return result
