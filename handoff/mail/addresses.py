"""E-mail addresses: validation of what a customer types, and the reply token of plus-addressing.

A reply token is 160 random bits in lower-case base32 (32 characters): mail servers may change the case of a
local part, so the token must survive it. `support+<token>@reply-domain` maps back to exactly one ticket; the
From address is never trusted as identity.
"""
from __future__ import annotations

import base64
import re
import secrets

MAX_ADDRESS_CHARS = 254
TOKEN_BYTES = 20          # 160 bits (the issue asks for at least 128)
TOKEN_CHARS = 32
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TOKEN = re.compile(r"^[a-z2-7]{%d}$" % TOKEN_CHARS)


class InvalidAddress(ValueError):
    """The message is German, for the customer or the agent."""


def validate_address(typed: str) -> str:
    """The address in normal form (domain lower-cased, IDN as punycode), or InvalidAddress with a German reason."""
    address = (typed or "").strip()
    if not address:
        raise InvalidAddress("Bitte geben Sie eine E-Mail-Adresse ein.")
    if any(ch in address for ch in "\r\n\0") or len(address) > MAX_ADDRESS_CHARS:
        raise InvalidAddress("Diese E-Mail-Adresse ist zu lang oder enthält unzulässige Zeichen.")
    if address.count("@") != 1:
        raise InvalidAddress("Eine E-Mail-Adresse hat genau ein @, zum Beispiel name@beispiel.de.")
    local, domain = address.split("@")
    if not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidAddress("Der Teil vor dem @ ist keine gültige E-Mail-Adresse (keine Leerzeichen oder Umlaute).")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidAddress("Die Domain nach dem @ ist ungültig.") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidAddress("Die Domain nach dem @ ist unvollständig, zum Beispiel beispiel.de.")
    return f"{local}@{ascii_domain}"


def masked_address(address: str) -> str:
    """`m…@example.de`: enough for the customer (and a log reader) to recognise the address, not to copy it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


def new_reply_token() -> str:
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii").lower().rstrip("=")


def reply_address(mailbox: str, token: str, domain: str) -> str:
    return f"{mailbox}+{token}@{domain}"


def tokens_in(addresses: list[str], mailbox: str, domain: str) -> list[str]:
    """Reply tokens found in recipient addresses `mailbox+<token>@domain` (case-insensitive)."""
    found = []
    prefix = f"{mailbox.lower()}+"
    for address in addresses:
        local, _, host = address.lower().partition("@")
        if host != domain.lower() or not local.startswith(prefix):
            continue
        token = local[len(prefix):]
        if _TOKEN.match(token) and token not in found:
            found.append(token)
    return found


def same_address(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a.strip().lower() == b.strip().lower()
