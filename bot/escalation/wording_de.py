"""German wording for the agent: reason details and the one-line `summary_de`."""
from __future__ import annotations

from typing import Sequence

from bot.escalation.amount import format_euro
from bot.escalation.assessment import (
    REASON_CUSTOMER_REQUEST,
    REASON_DAMAGE_VALUE,
    REASON_DATA_PROTECTION,
    REASON_LEGAL_THREAT,
    REASON_REPEATED_QUESTION,
    Reason,
)
from bot.escalation.config import EscalationConfig

MOOD_CALM = "ruhig"
MOOD_TENSE = "angespannt"
MOOD_ANGRY = "verärgert"
MOOD_ABUSIVE = "beleidigend"

DETAIL_CUSTOMER_REQUEST = "Kunde möchte mit einem Mitarbeiter sprechen"
DETAIL_ABUSIVE = "Beleidigende Nachricht"
DETAIL_LEGAL_THREAT = "Kunde droht mit rechtlichen Schritten"
DETAIL_DATA_PROTECTION = "Datenschutzanfrage (DSGVO) – nur durch Mitarbeiter"
SUMMARY_CUSTOMER_REQUEST = "möchte einen Mitarbeiter"

# Short forms for the one-line summary; tone and fallbacks have their own wording there.
_SUMMARY_PHRASES = {
    REASON_CUSTOMER_REQUEST: SUMMARY_CUSTOMER_REQUEST,
    REASON_LEGAL_THREAT: "droht mit rechtlichen Schritten",
    REASON_DATA_PROTECTION: "Datenschutzanfrage",
    REASON_REPEATED_QUESTION: "Frage wiederholt",
}


def tone_detail(rolling: float, turns: int) -> str:
    return f"Verärgerung {rolling:.2f} über {_messages(turns)}"


def fallbacks_detail(count: int) -> str:
    return f"{count} Nachrichten hintereinander nicht verstanden"


def repeated_text_detail(earlier_position: int) -> str:
    return f"Gleiche Frage wie in Nachricht {earlier_position}"


def repeated_intent_detail(intent: str) -> str:
    return f"Anliegen '{intent}' direkt nach der Antwort erneut, Ton gereizter"


LOSS_WORDS = {"parcel_not_received": "Nicht angekommene Ware", "wrong_item": "Falsch oder unvollständig gelieferte Ware"}
DEFAULT_LOSS_WORDS = "Beschädigte Ware"


def damage_detail(value: float, threshold: float, intent: str | None = None) -> str:
    return f"{LOSS_WORDS.get(intent or '', DEFAULT_LOSS_WORDS)} im Wert von {format_euro(value)} (über {format_euro(threshold)})"


def mood(rolling: float, latest_abusive: bool, config: EscalationConfig) -> str:
    if latest_abusive:
        return MOOD_ABUSIVE
    if rolling >= config.tone_handoff_threshold:
        return MOOD_ANGRY
    if rolling >= config.tone_watch_threshold:
        return MOOD_TENSE
    return MOOD_CALM


def summary_line(
    mood_word: str, rolling: float, turns: int, fallbacks: int, reasons: Sequence[Reason]
) -> str:
    """E.g. "verärgert 0.86 über 3 Nachrichten; 2x nicht verstanden"."""
    parts = [f"{mood_word} {rolling:.2f} über {_messages(turns)}"]
    if fallbacks:
        parts.append(f"{fallbacks}x nicht verstanden")
    for reason in reasons:
        if reason.code == REASON_DAMAGE_VALUE:
            parts.append(f"Schaden {format_euro(reason.value)}")
        elif reason.code in _SUMMARY_PHRASES:
            parts.append(_SUMMARY_PHRASES[reason.code])
    return "; ".join(parts)


def _messages(count: int) -> str:
    return f"{count} Nachricht" if count == 1 else f"{count} Nachrichten"
