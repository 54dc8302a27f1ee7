"""Pure cash-forecast arithmetic: when a contract's future invoices fall and are paid, recurring manual lines.

The periods come from the billing helpers (the same calendar periods and pro rata
as the billing run), so the forecast bills exactly what the billing will.
"""

from bisect import bisect_right
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.addons.service_management.helpers import billing, recurrence

MONTHS_PER_UNIT = {"monthly": 1, "quarterly": 3, "yearly": 12}


def monthly_amount(amount, unit, interval):
    """An amount billed every ``interval`` ``unit`` expressed per month (MRR): 1,200 a year is 100 a month."""
    if not unit or not interval:
        return 0.0
    return amount * recurrence.yearly_factor(unit, interval) / 12.0


def forecast_bounds(date_start, billing_start, date_end, termination_date, auto_renew, notice_given):
    """``(first, last)`` day a contract will bill for: tacit renewal keeps it open-ended unless
    notice was given, it does not renew or it is terminated (``last`` is ``None`` when open-ended)."""
    first = max(date_start, billing_start or date_start)
    if termination_date:
        return first, min(filter(None, [termination_date, date_end]))
    if date_end and (not auto_renew or notice_given):
        return first, date_end
    return first, None


def contract_invoices(anchor, unit, interval, first, last, billed_until, horizon_end, in_arrears):
    """``[(invoice_date, fraction)]`` of a line's periods not billed yet whose invoice falls by ``horizon_end``.

    ``fraction`` is the share of the period's price billed (pro rata to the day for a partial period).
    """
    result = []
    for period_start, period_end, date_from, date_to in billing.periods_to_bill(
        anchor, unit, interval, first, last, billed_until, horizon_end, in_arrears
    ):
        days, total_days = billing.day_fraction(date_from, date_to, period_start, period_end)
        invoice_date = date_to + timedelta(days=1) if in_arrears else date_from
        if invoice_date <= horizon_end:
            result.append((invoice_date, days / total_days))
    return result


def price_factor_at(day, steps):
    """The price factor in force on ``day``: that of the last revision of ``steps`` on or before it, else 1.

    :param steps: ``[(revision date, cumulative factor)]`` sorted by date (``revision_steps``)
    """
    position = bisect_right([revision_date for revision_date, _factor in steps], day)
    return steps[position - 1][1] if position else 1.0


def revision_steps(revision_date, last_day, method, percentage, fixed_part, variable_part, base_value, values, lag):
    """``[(date, cumulative factor)]`` of the yearly revisions from ``revision_date`` to ``last_day``: a fixed
    percentage compounds each year; the index formula takes each revision's index value (the latest known one
    when not yet published, which changes nothing), the base moving to the value a revision used.

    :param values: the index's ``[(month, value)]`` sorted by month (``index_value_for_revision``)
    """
    steps, factor, base, year = [], 1.0, base_value, 0
    day = revision_date
    while day and day <= last_day:
        index_value = index_value_for_revision(values, day, lag) if method == "index" else None
        factor *= revision_factor(method, percentage, fixed_part, variable_part, index_value, base)
        base = index_value or base
        steps.append((day, factor))
        year += 1
        day = revision_date + relativedelta(years=year)
    return steps


def index_value_for_revision(values, revision_date, lag_months=0):
    """The index value a revision on ``revision_date`` will use: the value of the month ``lag_months``
    before it, or, not published yet, the latest one before that month (``None`` when none is known).

    :param values: ``[(month, value)]`` sorted by month, each month on its first day
    """
    month = (revision_date - relativedelta(months=lag_months or 0)).replace(day=1)
    position = bisect_right([day for day, _value in values], month)
    return values[position - 1][1] if position else None


def revision_factor(method, percentage, fixed_part, variable_part, index_value, base_value):
    """The factor a revision multiplies prices by: ``1 + percentage / 100``, or the index formula
    ``a + b x I / I0`` (as ``indexation.revised_price``); 1 when the formula cannot be applied."""
    if method == "percentage":
        return 1 + (percentage or 0.0) / 100.0
    if method == "index" and index_value and base_value and base_value > 0:
        return (fixed_part or 0.0) + (variable_part or 0.0) * index_value / base_value
    return 1.0


def payment_date(invoice_date, term_days, delay_days, today):
    """When an invoice issued on ``invoice_date`` is expected to be paid; never before ``today``."""
    return max(today, invoice_date + timedelta(days=int(term_days or 0) + round(delay_days or 0)))


def occurrences(date_start, recurrence_unit, date_end, horizon_start, horizon_end):
    """The dates of a manual line (one-off when ``recurrence_unit`` is empty) within the horizon."""
    if not recurrence_unit:
        return [date_start] if horizon_start <= date_start <= horizon_end else []
    result = []
    n = 0
    last = min(filter(None, [date_end, horizon_end]))
    while True:
        day = date_start + relativedelta(months=MONTHS_PER_UNIT[recurrence_unit] * n)
        if day > last:
            return result
        if day >= horizon_start:
            result.append(day)
        n += 1
