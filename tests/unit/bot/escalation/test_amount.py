"""German, Austrian and Swiss money notation for the damage value."""
from __future__ import annotations

import pytest

from bot.escalation.amount import format_euro, parse_amount

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("350 €", 350.0),
        ("350€", 350.0),
        ("€ 89,90", 89.9),
        ("1.299,90 EUR", 1299.9),
        ("1.299 Euro", 1299.0),
        ("12.500.000", 12500000.0),
        ("1,299.90", 1299.9),
        ("12.5", 12.5),
        ("49,95", 49.95),
        ("250,-", 250.0),
        ("250.- €", 250.0),
        ("CHF 1'200.-", 1200.0),
        ("Fr. 1 200,50", 1200.5),
        ("ca. 400 Euro", 400.0),
        (199, 199.0),
        (249.5, 249.5),
    ],
)
def test_readable_amounts(text: object, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [None, "", "sehr teuer", True, -5, ["350"]])
def test_unreadable_amounts_are_none(text: object) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("value", "expected"), [(350.0, "350 €"), (1234.5, "1.234,50 €"), (89.9, "89,90 €"), (20000, "20.000 €")]
)
def test_format_euro(value: float, expected: str) -> None:
    assert format_euro(value) == expected
