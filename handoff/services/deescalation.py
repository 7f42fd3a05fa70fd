"""Hooks applied to the bot's reply when the escalation level is `watch`: acknowledge, then offer a person."""
from __future__ import annotations

import importlib
import logging
from typing import Any, Callable

from handoff.bot_engine import Button

log = logging.getLogger(__name__)

WATCH_LEVEL = "watch"
ACKNOWLEDGE_MODULE = "bot.escalation.acknowledge"
ACKNOWLEDGE_FUNCTION = "acknowledge"
# Used only while bot.escalation.acknowledge is not available (it is owned by the escalation package).
FALLBACK_ACKNOWLEDGEMENT = "Ich verstehe, dass das ärgerlich ist."
HUMAN_REQUEST_PAYLOAD = "/request_human"
OFFER_PERSON_TEXT = "Wenn Sie möchten, verbinde ich Sie gern mit einer Kollegin oder einem Kollegen."
OFFER_PERSON_BUTTON = Button(title="Mit einer Person sprechen", payload=HUMAN_REQUEST_PAYLOAD)


def is_watch(escalation: dict[str, Any] | None) -> bool:
    return bool(escalation) and escalation.get("level") == WATCH_LEVEL


def _acknowledge_function() -> Callable[[dict[str, Any]], str] | None:
    try:
        module = importlib.import_module(ACKNOWLEDGE_MODULE)
    except ImportError:
        return None
    return getattr(module, ACKNOWLEDGE_FUNCTION, None)


def deescalation_acknowledgement(escalation: dict[str, Any]) -> str:
    """The sentence put before the bot's answer; the choice belongs to `bot.escalation.acknowledge`."""
    acknowledge = _acknowledge_function()
    if acknowledge is None:
        return FALLBACK_ACKNOWLEDGEMENT
    try:
        text = acknowledge(escalation)
    except Exception:  # noqa: BLE001 - a broken acknowledgement must not cost the customer the answer
        log.exception("escalation acknowledgement failed")
        return FALLBACK_ACKNOWLEDGEMENT
    return text if isinstance(text, str) and text.strip() else FALLBACK_ACKNOWLEDGEMENT


def prefix_acknowledgement(text: str | None, escalation: dict[str, Any]) -> str:
    acknowledgement = deescalation_acknowledgement(escalation)
    return f"{acknowledgement} {text}" if text else acknowledgement
