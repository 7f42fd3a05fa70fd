"""Money values as customers in DE/AT/CH write them ("350 €", "1.299,90 EUR", "CHF 1'200.-")."""
from __future__ import annotations

import re
from typing import Any

_CURRENCY = re.compile(r"(€|eur(o|os)?|chf|sfr\.?|fr\.|franken)", re.IGNORECASE)
# ",-" / ".-" / ",--" close a whole-euro price in German writing.
_WHOLE_SUFFIX = re.compile(r"[.,]-+$")
_GROUPING = re.compile(r"[\s'’\u00a0\u202f]")
_NUMBER = re.compile(r"\d[\d.,]*")
# 1.299 / 12.500.000: dots followed by groups of three digits are thousands separators.
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3}){2,}$")


def parse_amount(value: Any) -> float | None:
    """Returns the value as a float, or None when it holds no readable non-negative number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = _GROUPING.sub("", _CURRENCY.sub("", value))
    text = _WHOLE_SUFFIX.sub("", text)
    match = _NUMBER.search(text)
    if match is None:
        return None
    return _german_number(match.group(0).rstrip(".,"))


def _german_number(digits: str) -> float | None:
    if "," in digits and "." in digits:
        # Whichever separator comes last is the decimal one: "1.299,90" (DE) or "1,299.90" (EN).
        decimal, thousands = (",", ".") if digits.rfind(",") > digits.rfind(".") else (".", ",")
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        digits = digits.replace(",", "") if _COMMA_THOUSANDS.match(digits) else digits.replace(",", ".")
    elif _DOT_THOUSANDS.match(digits):
        digits = digits.replace(".", "")
    try:
        return float(digits)
    except ValueError:
        return None


def format_euro(value: float) -> str:
    """German money notation for the agent: 350 → "350 €", 1234.5 → "1.234,50 €"."""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", ".")
    else:
        text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"
