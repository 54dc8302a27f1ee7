"""Pure price-revision arithmetic, testable without records."""

from odoo.tools import float_round


def revised_price(price, fixed_part, variable_part, index_value, base_value, rounding=0.01):
    """Price revised by ``P = P0 x (a + b x I / I0)``, rounded to ``rounding``.

    :param price: the price before revision (P0)
    :param fixed_part: ``a``, the share of the price that does not follow the index
    :param variable_part: ``b``, the share that follows the index
    :param index_value: ``I``, the index at the revision
    :param base_value: ``I0``, the index at the previous revision (or at signature)
    """
    if base_value <= 0:
        raise ValueError("the base index value must be positive")
    return float_round(price * (fixed_part + variable_part * index_value / base_value), precision_rounding=rounding)


def price_with_percentage(price, percentage, rounding=0.01):
    """Price increased by ``percentage`` percent, rounded to ``rounding``."""
    return float_round(price * (1 + percentage / 100.0), precision_rounding=rounding)
