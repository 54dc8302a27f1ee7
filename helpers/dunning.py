"""Pure arithmetic of credit control: levels, late-payment interest, age buckets and payer grades."""

from odoo.tools.float_utils import float_round

AGE_BUCKETS = [
    ("not_due", "Not Due"),
    ("0_30", "0-30"),
    ("31_60", "31-60"),
    ("61_90", "61-90"),
    ("90_plus", "90+"),
]

PAYER_GRADES = [("good", "Good"), ("average", "Average"), ("bad", "Bad")]


def reached_level(levels, days_late):
    """The last of ``levels`` (ordered, each with a ``days`` attribute) whose delay ``days_late`` has reached.

    A level of ``days`` N is reached on the day the invoice is N days past its due date
    (N may be negative for a reminder before the due date). Returns None when none is reached.
    """
    reached = None
    for level in levels:
        if days_late >= level.days:
            reached = level
    return reached


def next_level_index(levels, current_index, days_late, days_since_last=None, min_gap=0, allow_skip=False):
    """Index in ``levels`` (ordered, each with ``days``) of the new level an invoice reaches, or None.

    ``current_index`` is the index of the last level the invoice reached (-1: none yet),
    ``days_since_last`` the days since its last dunning (None: never dunned).
    Levels are reached in order: the next one after the current, once the invoice is late enough
    for it and at least ``min_gap`` days after its last dunning. With ``allow_skip``, the invoice
    goes straight to the last level its delay has reached.
    """
    if days_since_last is not None and current_index >= 0 and days_since_last < min_gap:
        return None
    reached = None
    for index, level in enumerate(levels):
        if days_late >= level.days:
            reached = index
    if reached is None or reached <= current_index:
        return None
    if allow_skip:
        return reached
    following = current_index + 1
    return following if days_late >= levels[following].days else None


def level_index(level_keys, current_key):
    """Index in ``level_keys`` (a policy's sorted ``(sequence, days, id)`` keys) of the last level reached, -1 if none.

    ``current_key`` is the key of the last level the invoice reached (None: none yet); a level of another
    policy counts as the last of ``level_keys`` that does not come after it.
    """
    if current_key is None:
        return -1
    if current_key in level_keys:
        return level_keys.index(current_key)
    return sum(1 for key in level_keys if key[:2] <= current_key[:2]) - 1


def item_charges(chargeable, apply_interest, apply_indemnity, interest_days, residual, annual_rate, indemnity):
    """``(interest days, interest, indemnity)`` charged on an invoice reaching a new level.

    ``chargeable``: the invoice reaches a level and is no charge invoice itself; ``interest_days``: days since
    interest was last charged (or since the due date); ``indemnity``: the company's indemnity, or 0 when the
    invoice was already charged one.
    """
    days = max(interest_days, 0) if chargeable and apply_interest else 0
    interest = late_interest(residual, annual_rate, days) if days else 0.0
    return days, interest, indemnity if chargeable and apply_indemnity else 0.0


def amount_segment(amount, medium, large):
    """The segment of a customer owing ``amount``: small, medium (from ``medium``) or large (from ``large``)."""
    if amount >= large:
        return "large"
    if amount >= medium:
        return "medium"
    return "small"


def late_interest(residual, annual_rate, days_late, digits=2):
    """French late-payment interest: ``residual x rate x days / 365``, rounded to the cent.

    ``annual_rate`` is a percentage (e.g. 12.15 for the ECB rate plus 10 points).
    """
    if residual <= 0 or annual_rate <= 0 or days_late <= 0:
        return 0.0
    return float_round(residual * annual_rate / 100.0 * days_late / 365.0, precision_digits=digits)


def age_bucket(days_late):
    """The aging bucket of an open item ``days_late`` days past its due date."""
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "0_30"
    if days_late <= 60:
        return "31_60"
    if days_late <= 90:
        return "61_90"
    return "90_plus"


def payer_grade(invoice_count, avg_days_late, late_share, oldest_overdue_days):
    """Grade a customer from their history.

    ``avg_days_late`` the delay of the settled invoices at their payment date, weighted by amount,
    ``late_share`` the share (0-1) of the same settled invoices paid after their due date,
    ``oldest_overdue_days`` the delay of the oldest invoice still open (0 when none is overdue).
    Bad: more than 30 days late on average, or an invoice open for more than 90 days late.
    Average: more than 10 days late on average, more than 30 % paid late, or more than 30 days overdue.
    Good otherwise; no grade without any invoice.
    """
    if not invoice_count:
        return False
    if avg_days_late > 30 or oldest_overdue_days > 90:
        return "bad"
    if avg_days_late > 10 or late_share > 0.3 or oldest_overdue_days > 30:
        return "average"
    return "good"
