"""A long conversation's Rasa tracker keeps its state and recent turns, and no more."""
from __future__ import annotations

import pytest

from handoff.engine.rasa.compaction import TrackerWindow, compacted

pytest.importorskip("rasa.shared.core.trackers")
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, order_status, inform]
entities: [order_number]
slots:
  order_number:
    type: text
    mappings: [{type: from_entity, entity: order_number}]
  escalation:
    type: any
    mappings: [{type: custom}]
forms:
  order_status_form:
    required_slots: [order_number]
responses:
  utter_greet: [{text: "Hallo!"}]
  utter_ask_order_number: [{text: "Wie lautet Ihre Bestellnummer?"}]
""")
WINDOW = TrackerWindow(keep=3, compact_after=6)


def talk(tracker: DialogueStateTracker, turns: int, start: int = 0) -> None:
    for number in range(start, start + turns):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(f"Nachricht {number}", {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered(f"Antwort {number}"))
    tracker.update(ActionExecuted("action_listen"))


def new_tracker() -> DialogueStateTracker:
    return DialogueStateTracker("kunde-1", DOMAIN.slots)


def user_texts(tracker: DialogueStateTracker) -> list[str]:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


def test_a_short_conversation_is_left_as_it_is():
    tracker = new_tracker()
    talk(tracker, 6)
    assert compacted(tracker, DOMAIN, WINDOW) is tracker


def test_a_long_conversation_keeps_its_recent_turns_and_its_slots():
    tracker = new_tracker()
    tracker.update(SlotSet("escalation", {"level": "watch", "turns": 3}))
    talk(tracker, 4)
    tracker.update(SlotSet("order_number", "NW-100001"))
    talk(tracker, 3, start=4)
    short = compacted(tracker, DOMAIN, WINDOW)
    assert user_texts(short) == ["Nachricht 4", "Nachricht 5", "Nachricht 6"]
    assert short.get_slot("order_number") == "NW-100001"
    assert short.get_slot("escalation") == {"level": "watch", "turns": 3}
    assert short.latest_action_name == "action_listen"
    assert short.latest_message.text == "Nachricht 6"
    assert [event.text for event in short.events if isinstance(event, BotUttered)] == ["Antwort 4", "Antwort 5",
                                                                                       "Antwort 6"]
    # The first kept turn begins with its action_listen, after a session start that carries the slots over.
    names = [type(event).__name__ for event in short.events]
    assert names[:2] == ["ActionExecuted", "SessionStarted"]
    assert short.applied_events() and short.sender_id == "kunde-1"


def test_a_form_in_progress_survives_compaction():
    tracker = new_tracker()
    talk(tracker, 5)
    tracker.update(ActionExecuted("order_status_form"))
    tracker.update(ActiveLoop("order_status_form"))
    tracker.update(SlotSet("requested_slot", "order_number"))
    talk(tracker, 3, start=5)   # the customer answers off-topic three times; the form still waits
    short = compacted(tracker, DOMAIN, WINDOW)
    assert short is not tracker
    assert short.active_loop_name == "order_status_form"
    assert short.get_slot("requested_slot") == "order_number"


def test_compaction_keeps_the_tracker_bounded_over_hundreds_of_turns():
    tracker = new_tracker()
    for number in range(300):
        talk(tracker, 1, start=number)
        tracker = compacted(tracker, DOMAIN, WINDOW)
    assert len(user_texts(tracker)) <= WINDOW.compact_after
    assert user_texts(tracker)[-1] == "Nachricht 299"
    assert len(tracker.events) < 60


def test_the_window_must_keep_less_than_it_holds():
    with pytest.raises(ValueError):
        TrackerWindow(keep=8, compact_after=8)
