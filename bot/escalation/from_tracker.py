"""Rasa tracker → escalation Turns: the only place in the escalation package that knows Rasa events."""
from __future__ import annotations

from typing import Any, Iterable

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation.amount import parse_amount
from bot.escalation.names import (
    ACTION_HANDOFF,
    CLOSING_INTENTS,
    NOT_UNDERSTOOD_ACTIONS,
    NOT_UNDERSTOOD_INTENTS,
    SLOT_AMOUNT,
    SLOT_ORDER_TOTAL,
    TONE_KEY,
    TONE_LABEL_CALM,
)
from bot.escalation.turn import Turn


def is_user_turn(tracker: DialogueStateTracker) -> bool:
    """True right after a customer message, before the bot acted on it.

    Slot extraction after the message adds SlotSet events but no ActionExecuted, so "the last event is the
    UserUttered" would miss messages that carry entities; the last of user/action events decides instead.
    """
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return tracker.latest_action_name == ACTION_LISTEN_NAME
        if isinstance(event, ActionExecuted):
            return False
    return False


def turns_since_last_handoff(tracker: DialogueStateTracker) -> list[Turn]:
    """The customer messages since the last action_handoff (or restart / new session), oldest first.

    Walks `tracker.events`, not `applied_events()`: the latter drops the messages answered inside a form's
    happy path, and a customer's anger counts just the same while a form asks for the order number.
    """
    return _TurnCollector().collect(tracker.events)


class _TurnCollector:
    def __init__(self) -> None:
        self.turns: list[Turn] = []
        self.slots: dict[str, Any] = {}
        self.pending: UserUttered | None = None

    def collect(self, events: Iterable[Event]) -> list[Turn]:
        for event in events:
            self._apply(event)
        self._close_pending(bot_action=None)
        return self.turns

    def _apply(self, event: Event) -> None:
        if isinstance(event, (Restarted, SessionStarted)):
            self.pending, self.turns = None, []
            if isinstance(event, Restarted):
                self.slots = {}
        elif isinstance(event, UserUtteranceReverted):
            # Rasa forgets the last message (e.g. two-stage fallback); so does the escalation window.
            if self.pending is not None:
                self.pending = None
            elif self.turns:
                self.turns.pop()
        elif isinstance(event, SlotSet):
            self.slots[event.key] = event.value
        elif isinstance(event, UserUttered):
            self._close_pending(bot_action=None)
            self.pending = event
        elif isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            self._close_pending(bot_action=event.action_name)
            if event.action_name == ACTION_HANDOFF:
                self.turns = []

    def _close_pending(self, bot_action: str | None) -> None:
        if self.pending is None:
            return
        self.turns.append(turn_from_message(self.pending, self.slots, bot_action))
        self.pending = None


def turn_from_message(message: UserUttered, slots: dict[str, Any], bot_action: str | None) -> Turn:
    """One Turn from a UserUttered, the slot values known right after it, and the bot's first answer."""
    intent = message.intent or {}
    tone = message.parse_data.get(TONE_KEY) or {}
    entity_amount = next(
        (entity.get("value") for entity in message.entities or [] if entity.get("entity") == SLOT_AMOUNT),
        None,
    )
    amount = parse_amount(entity_amount if entity_amount is not None else slots.get(SLOT_AMOUNT))
    intent_name = intent.get("name")
    return Turn(
        text=message.text or "",
        intent=intent_name,
        intent_confidence=float(intent.get("confidence") or 0.0),
        tone_score=_score(tone.get("score")),
        tone_label=str(tone.get("label") or TONE_LABEL_CALM),
        tone_cues=tuple(str(cue) for cue in tone.get("cues") or ()),
        amount=amount,
        order_total=parse_amount(slots.get(SLOT_ORDER_TOTAL)),
        fell_back=not_understood(intent_name, bot_action),
    )


def not_understood(intent: str | None, bot_action: str | None) -> bool:
    """The NLU found nothing it knows (or only a topic the assistant does not cover), or the bot answered with a
    clarifying question or "I cannot help with that". An "ok" or "nein" the core fallback answered is not a
    misunderstanding: the clarify action just says the bot is there when needed."""
    if intent in NOT_UNDERSTOOD_INTENTS:
        return True
    return bot_action in NOT_UNDERSTOOD_ACTIONS and intent not in CLOSING_INTENTS and intent != "deny"


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return min(1.0, max(0.0, float(value)))
