"""Names typed or imported by users: kept on one line, without control characters."""

import unicodedata


def clean_name(value):
    """``value`` without control characters (line breaks and tabs become spaces) nor surrounding spaces."""
    if not isinstance(value, str):
        return value
    chars = (" " if char in "\t\n\r\v\f" else char for char in value)
    return "".join(char for char in chars if unicodedata.category(char) != "Cc").strip()


def clean_vals(vals, field_names):
    """A copy of ``vals`` whose ``field_names`` are cleaned names (an empty one becomes ``False``)."""
    if not set(field_names) & set(vals):
        return vals
    vals = dict(vals)
    for name in field_names:
        if name in vals and isinstance(vals[name], str):
            vals[name] = clean_name(vals[name]) or False
    return vals
