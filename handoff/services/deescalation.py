"""Hooks applied to the bot's reply when the escalation level is `watch`: acknowledge, then offer a person."""
from __future__ import annotations

import logging
from typing import Any

from collections import OrderedDict

from bot.escalation.acknowledge import (
    CUE_POSITIVE, EXPLICIT_CUES, MIN_TURNS_BETWEEN, choose_acknowledgement, should_acknowledge,
)
from bot.custom_messages import HUMAN_REQUEST_PAYLOAD, HUMAN_REQUEST_TITLE
from handoff.engine.contract import Button, ResponseLookup, capability

log = logging.getLogger(__name__)

WATCH_LEVEL = "watch"
ACKNOWLEDGEMENT_RESPONSE = "utter_ack_frustration"
# Said only when the model has no utter_ack_frustration variations (e.g. the fake bot in tests).
FALLBACK_ACKNOWLEDGEMENT = "Ich verstehe, dass das ärgerlich ist."
# Conversations whose last acknowledgement this process remembers (customer-message count `turns` at that time).
# Per process and bounded: with several app processes a conversation may at worst hear one sentence more.
ACKNOWLEDGED_CONVERSATIONS_KEPT = 10_000
_last_acknowledged: "OrderedDict[str, int]" = OrderedDict()
OFFER_PERSON_TEXT = "Wenn Sie möchten, verbinde ich Sie gern mit einer Kollegin oder einem Kollegen."
OFFER_PERSON_BUTTON = Button(title=HUMAN_REQUEST_TITLE, payload=HUMAN_REQUEST_PAYLOAD)


def is_watch(escalation: dict[str, Any] | None) -> bool:
    return bool(escalation) and escalation.get("level") == WATCH_LEVEL


def deescalation_acknowledgement(bot: Any, conversation_id: str, escalation: dict[str, Any]) -> str:
    """The sentence put before the bot's answer: varied per conversation and turn, specific to the cues."""
    lookup = capability(bot, ResponseLookup)
    variations = lookup.responses(ACKNOWLEDGEMENT_RESPONSE) if lookup is not None else []
    chosen = choose_acknowledgement(variations, conversation_id, int(escalation.get("turns") or 0),
                                    cues=tuple(escalation.get("cues") or ()))
    return chosen or FALLBACK_ACKNOWLEDGEMENT


def acknowledgement_due(conversation_id: str, escalation: dict[str, Any], tone: dict[str, Any] | None = None,
                        intent: str | None = None) -> bool:
    """On a `watch` turn (the escalation policy's decision over the conversation): only when this message itself
    shows frustration (an explicit cue or a confident score in its own `tone`), never for thanks, relief,
    greetings, goodbyes or questions about the bot (`intent`), at most once in MIN_TURNS_BETWEEN customer
    messages (bot/escalation/acknowledge.should_acknowledge)."""
    cues = set(escalation.get("cues") or ())
    if CUE_POSITIVE in cues and not cues & EXPLICIT_CUES:
        return False
    turns = int(escalation.get("turns") or 0)
    last = _last_acknowledged.get(conversation_id)
    # `turns` starts again after a handoff: a smaller number is a new window, not an early repeat.
    if last is not None and turns < last:
        last = None
    if tone is None:   # no tone for this message (an engine without a tone scorer): the policy's word only
        return last is None or turns - last >= MIN_TURNS_BETWEEN
    return should_acknowledge(tuple(tone.get("cues") or ()), float(tone.get("score") or 0.0), intent,
                              turn_number=turns, last_acknowledged_turn=last)


def prefix_acknowledgement(text: str | None, bot: Any, conversation_id: str, escalation: dict[str, Any],
                           tone: dict[str, Any] | None = None, intent: str | None = None) -> str:
    """The bot's text with one acknowledgement in front, when one is due (else the text unchanged)."""
    if not acknowledgement_due(conversation_id, escalation, tone, intent):
        return text or ""
    _last_acknowledged[conversation_id] = int(escalation.get("turns") or 0)
    _last_acknowledged.move_to_end(conversation_id)
    while len(_last_acknowledged) > ACKNOWLEDGED_CONVERSATIONS_KEPT:
        _last_acknowledged.popitem(last=False)
    acknowledgement = deescalation_acknowledgement(bot, conversation_id, escalation)
    return f"{acknowledgement} {text}" if text else acknowledgement
