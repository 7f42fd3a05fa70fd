"""Countries and payment methods as customers write them."""
from __future__ import annotations

import pytest

from bot.dialogue.vocabulary import country_by_code, find_country, find_payment_method, payment_method_by_code

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text, code", [
    ("und nach Italien?", "IT"), ("Liefert ihr nach Österreich?", "AT"), ("liefert ihr nach oesterreich", "AT"),
    ("Was ist mit der Schweiz?", "CH"), ("Versand nach AT, was kostet das?", "AT"), ("Lieferzeit nach Wien", "AT"),
    ("Ich wohne in Südtirol", "IT"), ("Und nach Frankreich oder Spanien?", "FR"),
])
def test_countries(text: str, code: str) -> None:
    found = find_country(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["at the moment", "Die Lieferung ist da", "Wo ist mein Paket?", "Ich bin erreichbar"])
def test_no_country(text: str) -> None:
    assert find_country(text) is None


@pytest.mark.parametrize("text, code, offered", [
    ("und auf Rechnung?", "invoice", True), ("Kann ich mit PayPal bezahlen?", "paypal", True),
    ("Akzeptiert ihr Bitcoin?", "crypto", False), ("Kann ich bar zahlen?", "cash", False),
    ("Visa oder Mastercard?", "credit_card", True), ("Geht Apple Pay am iPhone?", "apple_pay", True),
    ("Nehmt ihr EC-Karte?", "girocard", False), ("per Lastschrift", "direct_debit", False),
])
def test_payment_methods(text: str, code: str, offered: bool) -> None:
    found = find_payment_method(text)
    assert found is not None and (found.code, found.offered) == (code, offered)


@pytest.mark.parametrize("text", ["Meine Rechnung fehlt", "Ich bin gut erreichbar", "Wo ist mein Paket?"])
def test_no_payment_method(text: str) -> None:
    assert find_payment_method(text) is None


def test_lookup_by_code() -> None:
    assert country_by_code("CH").name == "die Schweiz"
    assert payment_method_by_code("paypal").name == "PayPal"
    assert country_by_code(None) is None and payment_method_by_code("nope") is None
