"""Cleaning and validating free text that people type."""
from __future__ import annotations

import re
import unicodedata

from handoff.domain.vocabulary import MAX_EMAIL_CHARS
from handoff.mail.addresses import InvalidAddress, validate_address
from handoff.services.errors import ValidationError

# Control characters (C0, DEL, C1) except newline; tabs become spaces first so indentation is not glued together.
CONTROL_CHARS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Bidi embedding/override/isolate controls: they can make an agent read a text in another order than it was
# typed ("Trojan source"); natural right-to-left text needs none of them.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Categories that draw nothing on their own (format characters such as zero-width spaces, separators).
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_EMAIL_LENGTH = MAX_EMAIL_CHARS


def clean_text(text: str | None, max_length: int, field: str = "text") -> str:
    if not isinstance(text, str):
        raise ValidationError(field, "Bitte geben Sie einen Text ein.")
    cleaned = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    cleaned = BIDI_CONTROLS.sub("", CONTROL_CHARS.sub("", cleaned)).strip()
    if not any(unicodedata.category(char) not in INVISIBLE_CATEGORIES for char in cleaned):
        raise ValidationError(field, "Die Nachricht ist leer.")
    if len(cleaned) > max_length:
        raise ValidationError(field, f"Die Nachricht ist zu lang (höchstens {max_length} Zeichen).")
    return cleaned


def optional_note(note: str | None, max_length: int, field: str = "note") -> str | None:
    """A note a person may leave out (closing an incident, deciding on goodwill): None when blank."""
    note = (note or "").strip() or None
    if note is not None and len(note) > max_length:
        raise ValidationError(field, f"Höchstens {max_length} Zeichen.")
    return note


def clean_email(email: str | None, field: str = "email") -> str:
    """A typed address, validated as mail will need it (issue 16: no line breaks, one @, a real domain), with a
    German reason when it is not one; the domain comes back lower-cased (IDN as punycode)."""
    value = (email or "").strip() if isinstance(email, str) else ""
    if len(value) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(value):
        raise ValidationError(field, "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.")
    try:
        return validate_address(value)
    except InvalidAddress as error:
        raise ValidationError(field, str(error)) from None
