"""Redaction of personal data in customer texts, before anything becomes training data (pure, no I/O).

Each kind of personal data is replaced by a placeholder such as `[EMAIL]`. Kinds are redacted in a fixed
order so that a longer, more specific shape (an IBAN, a card number) is gone before a looser one (a phone
number) could claim part of it. Placeholders contain no digits, so no later pattern can match inside one.
Over-redaction is preferred to a leak: a trainer can still read "[NAME]" but can never un-leak a name.
"""
from __future__ import annotations

import re
from typing import Callable

EMAIL = "[EMAIL]"
IBAN = "[IBAN]"
CARD = "[CARD]"
ORDER_NUMBER = "[ORDER_NUMBER]"
PHONE = "[PHONE]"
ADDRESS = "[ADDRESS]"
POSTAL_CODE_CITY = "[PLZ_CITY]"
NAME = "[NAME]"
PLACEHOLDERS = (EMAIL, IBAN, CARD, ORDER_NUMBER, PHONE, ADDRESS, POSTAL_CODE_CITY, NAME)

CARD_MIN_DIGITS, CARD_MAX_DIGITS = 13, 19
PHONE_MIN_DIGITS = 7
IBAN_MIN_CHARS, IBAN_MAX_CHARS = 15, 34

_UPPER = "A-ZÄÖÜ"
_LOWER = "a-zäöüß"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
# Titles and particles that may sit between a salutation and the surname ("Frau Dr. von Berg").
_NAME_PREFIX = r"(?:(?:Dr|Prof)\.\s+)?(?:(?:von|van|de|zu)\s+)?"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Case-sensitive on purpose: IBANs are written in capitals, and lower-case words after one are not part of it.
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
# Card numbers start with 2-6 (Mastercard, Amex, Visa, Discover); "0049 171 ..." is a phone number.
_CARD_RE = re.compile(r"\b[2-6](?:[ -]?\d){12,18}\b")
_ORDER_RE = re.compile(r"\bNW[- ]?\d{6}\b", re.IGNORECASE)
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{2}[\s\-/]*(?:\(0\)\s*)?\d|\(0\d{1,4}\)|0\d)[\d\s\-/]{4,16}\d(?!\w)")
_STREET_SUFFIXES = ("straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer",
                    "chaussee", "steig", "pfad", "markt", "gürtel", "kai", "berg")
_STREET_RE = re.compile(
    rf"\b(?:[{_UPPER}][\w.-]*(?:{'|'.join(re.escape(s) for s in _STREET_SUFFIXES)})"
    rf"|(?:Am|An der|Im|In der|Auf der|Zum|Zur)\s+[{_UPPER}][{_LOWER}]+)"
    r"\s+\d{1,4}(?:\s?[a-zA-Z])?(?!\w)(?:\s*/\s*\d+)?")
# Five-digit (DE) codes anywhere; four-digit (AT/CH) only with a country prefix or right after an address,
# because "2023 Kunde" would otherwise look like a postal code and a city.
_POSTAL_CITY_RE = re.compile(
    rf"(?:\b(?:D-)?\d{{5}}|\b(?:A|CH)-\d{{4}}|(?<=\[ADDRESS\], )\d{{4}}|(?<=\[ADDRESS\] )\d{{4}})"
    rf"\s+[{_UPPER}][{_LOWER}]+(?:(?:\s|-)(?:am|an der|im|[{_UPPER}][{_LOWER}]+))*"
    rf"(?:\s+[{_UPPER}][{_LOWER}]+)?")
_SELF_NAMED_RE = re.compile(
    rf"(?i:\b(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|mein\s+name\s+lautet|hier\s+(?:ist|schreibt))\s+)"
    rf"(?P<first>[{_UPPER}{_LOWER}][{_LOWER}]+(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?)"
    rf"(?:\s+(?P<second>[{_UPPER}{_LOWER}][{_LOWER}]+(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?))?")
_SALUTATION_RE = re.compile(
    rf"\b(?:Herr|Herrn|Frau)\s+{_NAME_PREFIX}(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)")
_SIGNATURE_RE = re.compile(
    rf"(?im:^[ \t]*(?:mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|freundliche\s+gr(?:ü|ue)(?:ß|ss)e|"
    rf"(?:viele|beste|liebe)\s+gr(?:ü|ue)(?:ß|ss)e|mfg|lg|vg)[ \t,.!]*\n)"
    rf"[ \t]*(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})")
# Words that follow a first name without being a surname ("ich heiße Max und warte seit Tagen").
_NOT_SURNAMES = frozenset({
    "und", "ich", "habe", "hab", "bin", "hallo", "bitte", "danke", "wo", "was", "wie", "mein", "meine", "aus",
    "von", "hier", "wollte", "möchte", "brauche", "warte", "aber", "oder", "mit", "für", "zu", "und", "ist",
    "sie", "kunde", "kundin", "hatte", "wurde", "nicht", "schon", "seit", "am", "im", "in", "bei", "auf",
    "wegen",
})


def luhn_valid(digits: str) -> bool:
    """The checksum every payment card number carries; filters out most random digit runs."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_shape(match: re.Match[str]) -> bool:
    compact = match.group(0).replace(" ", "")
    return IBAN_MIN_CHARS <= len(compact) <= IBAN_MAX_CHARS and any(c.isdigit() for c in compact[4:])


def _card_shape(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS and luhn_valid(digits)


def _phone_shape(match: re.Match[str]) -> bool:
    return sum(c.isdigit() for c in match.group(0)) >= PHONE_MIN_DIGITS


def _always(_match: re.Match[str]) -> bool:
    return True


def _replace(text: str, pattern: re.Pattern[str], placeholder: str, accept: Callable[[re.Match[str]], bool],
             group: str | int = 0) -> str:
    def substitute(match: re.Match[str]) -> str:
        if not accept(match):
            return match.group(0)
        start, end = match.span(group)
        whole_start = match.start(0)
        value = match.group(0)
        return value[:start - whole_start] + placeholder + value[end - whole_start:]

    return pattern.sub(substitute, text)


def _redact_self_named(text: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        if match.group("first").casefold() in _NOT_SURNAMES:
            return match.group(0)
        prefix = match.group(0)[: match.start("first") - match.start(0)]
        second = match.group("second")
        if second is None or second.casefold() not in _NOT_SURNAMES:
            return prefix + NAME
        return prefix + NAME + match.group(0)[match.end("first") - match.start(0):]

    return _SELF_NAMED_RE.sub(substitute, text)


def redact(text: str) -> str:
    """The text with every detectable piece of personal data replaced by its placeholder."""
    text = _replace(text, _EMAIL_RE, EMAIL, _always)
    text = _replace(text, _IBAN_RE, IBAN, _iban_shape)
    text = _replace(text, _CARD_RE, CARD, _card_shape)
    text = _replace(text, _ORDER_RE, ORDER_NUMBER, _always)
    text = _replace(text, _PHONE_RE, PHONE, _phone_shape)
    text = _replace(text, _STREET_RE, ADDRESS, _always)
    text = _replace(text, _POSTAL_CITY_RE, POSTAL_CODE_CITY, _always)
    text = _redact_self_named(text)
    text = _replace(text, _SALUTATION_RE, NAME, _always, "name")
    text = _replace(text, _SIGNATURE_RE, NAME, _always, "name")
    return text


def contains_personal_data(text: str) -> bool:
    return redact(text) != text


def text_to_store(text: str, redact_transcripts: bool) -> str:
    """What of a customer's text is stored: the text itself, or, with REDACT_TRANSCRIPTS, its redacted form.

    The bot still answers the original text (it needs the order number to look an order up); only what is written
    to the transcript is redacted, by the same rules training uses.
    """
    return redact(text) if redact_transcripts else text
