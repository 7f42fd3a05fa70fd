"""Countries and payment methods as customers name them (German, standard library only).

They are the details a follow-up changes ("und nach Italien?", "und mit PayPal?"): the shipping and payment
answers use them, and the dialogue context carries them over from one message to the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dialogue.followup import fold


@dataclass(frozen=True)
class Named:
    # Stable code for the slot ("AT", "paypal") and the German name the answer uses.
    code: str
    name: str
    # Nordwind ships there / accepts it.
    offered: bool


# Folded spellings (ä → ae) as whole words; the first entry of each tuple wins on overlap only by order.
_COUNTRIES: tuple[tuple[Named, tuple[str, ...]], ...] = (
    (Named("DE", "Deutschland", True), ("deutschland", "germany", "de", "brd")),
    (Named("AT", "Österreich", True), ("oesterreich", "osterreich", "oestereich", "austria", "at", "wien", "tirol",
                                        "graz", "salzburg", "linz", "innsbruck", "vorarlberg", "kaernten")),
    (Named("CH", "die Schweiz", True), ("schweiz", "switzerland", "ch", "zuerich", "zurich", "basel", "bern")),
    (Named("IT", "Italien", False), ("italien", "italy", "suedtirol")),
    (Named("FR", "Frankreich", False), ("frankreich", "france")),
    (Named("NL", "die Niederlande", False), ("niederlande", "holland")),
    (Named("BE", "Belgien", False), ("belgien",)),
    (Named("LU", "Luxemburg", False), ("luxemburg",)),
    (Named("LI", "Liechtenstein", False), ("liechtenstein",)),
    (Named("PL", "Polen", False), ("polen",)),
    (Named("CZ", "Tschechien", False), ("tschechien",)),
    (Named("DK", "Dänemark", False), ("daenemark",)),
    (Named("ES", "Spanien", False), ("spanien", "mallorca")),
    (Named("PT", "Portugal", False), ("portugal",)),
    (Named("SE", "Schweden", False), ("schweden",)),
    (Named("GB", "Großbritannien", False), ("grossbritannien", "england", "uk", "schottland")),
    (Named("US", "die USA", False), ("usa", "amerika")),
    (Named("TR", "die Türkei", False), ("tuerkei",)),
    (Named("HU", "Ungarn", False), ("ungarn",)),
    (Named("HR", "Kroatien", False), ("kroatien",)),
    (Named("GR", "Griechenland", False), ("griechenland",)),
)

_PAYMENT_METHODS: tuple[tuple[Named, tuple[str, ...]], ...] = (
    (Named("paypal", "PayPal", True), ("paypal", "pay pal")),
    (Named("credit_card", "Kreditkarte", True),
     ("kreditkarte", "kreditkarten", "visa", "mastercard", "master card", "amex", "american express")),
    (Named("invoice", "Kauf auf Rechnung", True), ("auf rechnung", "per rechnung", "kauf auf rechnung", "rechnungskauf")),
    (Named("prepayment", "Vorkasse per Überweisung", True),
     ("vorkasse", "vorab ueberweisen", "vorauskasse", "ueberweisung", "bankueberweisung", "ueberweisen")),
    (Named("apple_pay", "Apple Pay", True), ("apple pay", "applepay")),
    (Named("google_pay", "Google Pay", False), ("google pay", "googlepay")),
    (Named("direct_debit", "Lastschrift", False), ("lastschrift", "sepa", "bankeinzug")),
    (Named("cash_on_delivery", "Nachnahme", False), ("nachnahme",)),
    (Named("crypto", "Zahlung mit Kryptowährungen wie Bitcoin", False),
     ("bitcoin", "bitcoins", "krypto", "kryptowaehrung", "crypto")),
    (Named("instalments", "Ratenzahlung", False), ("raten", "ratenzahlung", "ratenkauf", "finanzierung")),
    (Named("cash", "Barzahlung", False), ("bar", "bargeld", "barzahlung", "cash")),
    (Named("giropay", "Giropay", False), ("giropay", "paydirekt")),
    (Named("sofort", "Sofortüberweisung", False), ("sofortueberweisung", "sofort ueberweisung")),
    (Named("girocard", "Girocard (EC-Karte)", False), ("girocard", "ec-karte", "ec karte", "maestro")),
    (Named("twint", "Twint", False), ("twint",)),
    (Named("postfinance", "PostFinance", False), ("postfinance",)),
    (Named("eps", "eps-Überweisung", False), ("eps", "eps-ueberweisung")),
)

# "AT" and "DE" are also ordinary words in a few phrases; only match them as upper-case country codes.
_CASE_SENSITIVE_CODES = frozenset({"de", "at", "ch", "uk", "bar"})


def _find(text: str, table: tuple[tuple[Named, tuple[str, ...]], ...]) -> Named | None:
    folded = fold(text)
    best: tuple[int, Named] | None = None
    for named, spellings in table:
        for spelling in spellings:
            if spelling in _CASE_SENSITIVE_CODES:
                match = _case_sensitive_match(text, spelling)
            else:
                match = re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", folded)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), named)
    return best[1] if best else None


def _case_sensitive_match(text: str, spelling: str) -> re.Match[str] | None:
    if spelling == "bar":
        # "bar" is cash only as "bar zahlen/bezahlen" or "in bar", not "erreichbar" or "Bar".
        return re.search(r"\b(in bar|bar (zu )?(be)?zahlen)\b", text, re.IGNORECASE)
    return re.search(rf"(?<![\w-]){spelling.upper()}(?![\w-])", text)


def find_country(text: str) -> Named | None:
    """The country the message names first ("nach Österreich", "in die Schweiz", "Italien?")."""
    return _find(text, _COUNTRIES)


def find_payment_method(text: str) -> Named | None:
    """The payment method the message names first ("mit PayPal", "auf Rechnung", "per Bitcoin")."""
    return _find(text, _PAYMENT_METHODS)


def country_by_code(code: str | None) -> Named | None:
    return next((named for named, _ in _COUNTRIES if named.code == code), None)


def payment_method_by_code(code: str | None) -> Named | None:
    return next((named for named, _ in _PAYMENT_METHODS if named.code == code), None)
