"""Hooks applied to the bot's reply when the escalation level is `watch`: acknowledge, then offer a person."""
from __future__ import annotations

import logging
from typing import Any

from bot.escalation.acknowledge import choose_acknowledgement
from handoff.bot_engine import HUMAN_REQUEST_PAYLOAD, Button

log = logging.getLogger(__name__)

WATCH_LEVEL = "watch"
ACKNOWLEDGEMENT_RESPONSE = "utter_ack_frustration"
# Said only when the model has no utter_ack_frustration variations (e.g. the fake bot in tests).
FALLBACK_ACKNOWLEDGEMENT = "Ich verstehe, dass das ärgerlich ist."
OFFER_PERSON_TEXT = "Wenn Sie möchten, verbinde ich Sie gern mit einer Kollegin oder einem Kollegen."
OFFER_PERSON_BUTTON = Button(title="Mit einer Person sprechen", payload=HUMAN_REQUEST_PAYLOAD)


def is_watch(escalation: dict[str, Any] | None) -> bool:
    return bool(escalation) and escalation.get("level") == WATCH_LEVEL


def deescalation_acknowledgement(bot: Any, conversation_id: str, escalation: dict[str, Any]) -> str:
    """The sentence put before the bot's answer: varied per conversation and turn, specific to the cues."""
    responses = getattr(bot, "responses", None)
    variations = responses(ACKNOWLEDGEMENT_RESPONSE) if callable(responses) else []
    chosen = choose_acknowledgement(variations, conversation_id, int(escalation.get("turns") or 0),
                                    cues=tuple(escalation.get("cues") or ()))
    return chosen or FALLBACK_ACKNOWLEDGEMENT


def prefix_acknowledgement(text: str | None, bot: Any, conversation_id: str, escalation: dict[str, Any]) -> str:
    acknowledgement = deescalation_acknowledgement(bot, conversation_id, escalation)
    return f"{acknowledgement} {text}" if text else acknowledgement
