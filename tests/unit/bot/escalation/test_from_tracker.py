"""Tracker events → Turns, on real Rasa trackers."""
from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUtteranceReverted

from bot.escalation.from_tracker import is_user_turn, not_understood, turns_since_last_handoff
from tests.unit.bot.escalation.conversations import bot, start, tracker, user

pytestmark = pytest.mark.unit


def test_a_message_becomes_a_turn_with_intent_tone_and_values() -> None:
    events = [
        *start(),
        SlotSet("order_total", 499.0),
        user(
            "Der Fernseher kam kaputt an, er hat 1.299,90 € gekostet!",
            "damaged_item",
            score=0.62,
            label="frustrated",
            cues=["exclamations"],
            entities=[{"entity": "amount", "value": "1.299,90 €", "start": 35, "end": 45}],
            confidence=0.87,
        ),
    ]

    (turn,) = turns_since_last_handoff(tracker(events))

    assert turn.text.startswith("Der Fernseher")
    assert (turn.intent, turn.intent_confidence) == ("damaged_item", 0.87)
    assert (turn.tone_score, turn.tone_label, turn.tone_cues) == (0.62, "frustrated", ("exclamations",))
    assert (turn.amount, turn.order_total, turn.fell_back) == (1299.9, 499.0, False)


def test_amount_slot_from_slot_extraction_is_used_when_the_message_has_no_entity() -> None:
    events = [*start(), user("Schaden am Gerät", "damaged_item"), *bot("utter_greet"),
              user("Es waren 350 Euro", "inform"), SlotSet("amount", "350 Euro")]

    turns = turns_since_last_handoff(tracker(events))

    assert [turn.amount for turn in turns] == [None, 350.0]


def test_fallbacks_come_from_the_intent_or_the_bots_fallback_answer() -> None:
    events = [
        *start(),
        user("blabla", "nlu_fallback"), *bot("action_clarify"),
        user("Wie meinen?", "order_status", confidence=0.5), *bot("action_clarify"),
        user("Wo ist mein Paket?", "order_status"), *bot("action_order_status"),
    ]

    assert [turn.fell_back for turn in turns_since_last_handoff(tracker(events))] == [True, True, False]


def test_missing_tone_means_calm() -> None:
    events = [*start(), user("Hallo", "greet")]
    events[-1].parse_data.pop("tone")

    (turn,) = turns_since_last_handoff(tracker(events))

    assert (turn.tone_score, turn.tone_label, turn.tone_cues) == (0.0, "calm", ())


def test_the_window_starts_after_the_last_handoff() -> None:
    events = [
        *start(),
        user("IHR IDIOTEN", score=0.95, label="abusive"), *bot("action_handoff"),
        user("Danke, das Gespräch mit Ihrer Kollegin war gut.", "greet"),
    ]

    turns = turns_since_last_handoff(tracker(events))

    assert [turn.text for turn in turns] == ["Danke, das Gespräch mit Ihrer Kollegin war gut."]


def test_restart_and_reverted_messages_leave_the_window() -> None:
    restarted = [
        *start(), user("alt", "greet"), *bot("utter_greet"), Restarted(), *start(), user("neu", "greet")
    ]
    reverted = [*start(), user("erste", "greet"), *bot("utter_greet"), user("zweite", "greet"),
                UserUtteranceReverted()]

    assert [turn.text for turn in turns_since_last_handoff(tracker(restarted))] == ["neu"]
    assert [turn.text for turn in turns_since_last_handoff(tracker(reverted))] == ["erste"]


def test_messages_inside_a_form_count() -> None:
    from rasa.shared.core.events import ActiveLoop

    events = [
        *start(),
        user("Wo ist meine Bestellung?", "order_status"),
        ActionExecuted("order_status_form"),
        ActiveLoop("order_status_form"),
        SlotSet("requested_slot", "order_number"),
        ActionExecuted("action_listen"),
        user("Das weiß ich doch nicht!!", "inform", score=0.7, label="frustrated"),
        ActionExecuted("order_status_form"), ActionExecuted("action_listen"),
        user("Schon wieder diese Frage", "inform", score=0.8, label="frustrated"),
    ]

    assert len(turns_since_last_handoff(tracker(events))) == 3


def test_user_turn_is_recognised_even_after_slot_extraction() -> None:
    with_slot = [*start(), user("NW-123456", "inform"), SlotSet("order_number", "NW-123456")]
    after_bot = [*start(), user("Hallo", "greet"), ActionExecuted("utter_greet")]

    assert is_user_turn(tracker(with_slot))
    assert not is_user_turn(tracker(after_bot))
    assert not is_user_turn(tracker(start()))


@pytest.mark.parametrize("intent, bot_action, expected", [
    ("out_of_scope", "utter_out_of_scope", True),
    ("nlu_fallback", None, True),
    ("out_of_scope", None, True),
    ("order_status", "action_clarify", True),
    ("delivery_info", "utter_out_of_scope", True),
    ("affirm", "action_clarify", False),
    ("deny", "action_clarify", False),
    ("delivery_info", "action_delivery_info", False),
])
def test_not_understood_covers_fallbacks_clarifying_questions_and_out_of_scope(
    intent: str, bot_action: str | None, expected: bool
) -> None:
    assert not_understood(intent, bot_action) is expected
