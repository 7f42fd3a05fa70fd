"""Nordwind order numbers: "NW-" followed by six digits.

Customers type them as "NW-482913", "nw482913", "NW 482913", "Nr. 482913" or just "482913"; everything
downstream (lookup, handoff summary) only ever sees the canonical "NW-482913".
"""
from __future__ import annotations

import re

ORDER_NUMBER_PREFIX = "NW-"
ORDER_NUMBER_DIGITS = 6
ORDER_NUMBER_EXAMPLE = "NW-482913"

# The digits may follow an optional "NW" with dash, space or nothing; anything longer is a different number
# (phone, tracking id), which is why the digits must not touch further digits.
_ORDER_NUMBER_PATTERN = re.compile(r"(?<![\w])(?:nw[\s\-]?)?(\d{6})(?!\d)", re.IGNORECASE)


def normalise_order_number(text: str | None) -> str | None:
    """Returns the canonical order number found in `text`, or None when there is exactly none or several."""
    if not text:
        return None
    digits = {match.group(1) for match in _ORDER_NUMBER_PATTERN.finditer(text)}
    if len(digits) != 1:
        return None
    return f"{ORDER_NUMBER_PREFIX}{digits.pop()}"


def is_canonical_order_number(value: str) -> bool:
    return re.fullmatch(rf"{re.escape(ORDER_NUMBER_PREFIX)}\d{{{ORDER_NUMBER_DIGITS}}}", value) is not None
