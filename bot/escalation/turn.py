"""One customer message as the escalation decision sees it (no Rasa types: from_tracker.py converts)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.escalation.names import TONE_LABEL_CALM


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    intent_confidence: float = 0.0
    tone_score: float = 0.0
    tone_label: str = TONE_LABEL_CALM
    tone_cues: tuple[str, ...] = ()
    # Value of the damaged goods named by the customer, as known at this message.
    amount: float | None = None
    # Total of the looked-up order, as known at this message.
    order_total: float | None = None
    # The bot did not understand this message (nlu_fallback or a fallback action answered it).
    fell_back: bool = False
