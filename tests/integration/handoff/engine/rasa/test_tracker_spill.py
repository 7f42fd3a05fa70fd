"""Tracker state is never lost because other customers were chatting: trackers leaving the bounded in-memory store
are kept in the service's database (bot_trackers) and taken back when their conversation goes on."""
from __future__ import annotations

import pytest

from handoff.engine.rasa.tracker_store import SLACK_DIVISOR, idle_evicting_tracker_store
from handoff.engine.settings import DEFAULT_TRACKERS_KEPT
from handoff.engine.tracker_spill import DatabaseTrackerSpill
from handoff.store import bot_trackers

pytestmark = pytest.mark.integration
pytest.importorskip("rasa.shared.core.trackers")
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, order_status]
slots:
  order_number:
    type: text
    mappings: [{type: custom}]
forms:
  order_status_form:
    required_slots: [order_number]
""")
OTHER_CONVERSATIONS = 10_000


def greeting(sender_id: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Hallo", {"name": "greet", "confidence": 1.0}))
    return tracker


def form_in_progress(sender_id: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Wo bleibt meine Bestellung?", {"name": "order_status", "confidence": 1.0}))
    tracker.update(ActionExecuted("order_status_form"))
    tracker.update(ActiveLoop("order_status_form"))
    tracker.update(SlotSet("requested_slot", "order_number"))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


# SQLite, the default set-up's database (the one with the in-memory tracker store); PostgreSQL runs the same SQL
# in the second test and in production normally keeps trackers in Redis.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_form_in_progress_survives_ten_thousand_other_conversations(engine):
    store = idle_evicting_tracker_store(max_trackers=DEFAULT_TRACKERS_KEPT, spill=DatabaseTrackerSpill(engine))
    store.domain = DOMAIN   # as Agent.load sets it
    await store.save(form_in_progress("kunde-mit-formular"))
    for number in range(OTHER_CONVERSATIONS):
        await store.save(greeting(f"kunde-{number}"))
    kept = len(store.store)   # trackers leave a few at a time (SLACK_DIVISOR)
    assert "kunde-mit-formular" not in store.store
    assert DEFAULT_TRACKERS_KEPT - DEFAULT_TRACKERS_KEPT // SLACK_DIVISOR <= kept <= DEFAULT_TRACKERS_KEPT
    async with engine.connect() as conn:
        assert await bot_trackers.count(conn) == OTHER_CONVERSATIONS + 1 - kept

    tracker = await store.retrieve("kunde-mit-formular")
    assert tracker.active_loop_name == "order_status_form"
    assert tracker.get_slot("requested_slot") == "order_number"
    assert tracker.latest_message.text == "Wo bleibt meine Bestellung?"
    # Back in memory, taken out of the table; an unknown conversation is still unknown.
    assert "kunde-mit-formular" in store.store
    assert await store.retrieve("nie-gesehen") is None


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_deleting_a_conversation_deletes_its_kept_tracker(engine):
    store = idle_evicting_tracker_store(max_trackers=1, spill=DatabaseTrackerSpill(engine))
    await store.save(form_in_progress("a"))
    await store.save(greeting("b"))          # "a" leaves memory for the table
    await store.forget("a")
    assert await store.retrieve("a") is None
    async with engine.connect() as conn:
        assert await bot_trackers.count(conn) == 0
