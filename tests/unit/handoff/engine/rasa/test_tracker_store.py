"""Trackers of idle conversations leave memory; active ones stay whole."""
from __future__ import annotations

import pytest

from handoff.engine.rasa.tracker_store import idle_evicting_tracker_store

trackers = pytest.importorskip("rasa.shared.core.trackers")
from rasa.shared.core.events import UserUttered  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tracker(sender_id: str, text: str = "Hallo"):
    state = trackers.DialogueStateTracker(sender_id, [])
    state.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    return state


async def test_idle_conversations_are_dropped_and_active_ones_kept():
    clock = Clock()
    store = idle_evicting_tracker_store(max_idle_seconds=3600, clock=clock)
    await store.save(tracker("old"))
    clock.now += 1800
    await store.save(tracker("recent"))
    clock.now += 1900          # "old" idle 3700 s, "recent" 1900 s
    await store.save(tracker("new"))
    assert set(store.store) == {"recent", "new"}
    assert await store.retrieve("old") is None
    assert (await store.retrieve("recent")).latest_message.text == "Hallo"


async def test_saving_again_keeps_a_conversation_alive():
    clock = Clock()
    store = idle_evicting_tracker_store(max_idle_seconds=100, clock=clock)
    await store.save(tracker("a"))
    await store.save(tracker("b"))
    clock.now += 90
    await store.save(tracker("a", "Noch da"))
    clock.now += 20            # a: 20 s, b: 110 s
    await store.save(tracker("c"))
    assert set(store.store) == {"a", "c"}
    assert (await store.retrieve("a")).latest_message.text == "Noch da"


async def test_zero_means_never_and_forget_removes_one_conversation():
    clock = Clock()
    store = idle_evicting_tracker_store(clock=clock)
    await store.save(tracker("a"))
    await store.save(tracker("b"))
    clock.now += 10 ** 9
    await store.save(tracker("c"))
    assert set(store.store) == {"a", "b", "c"}
    await store.forget("b")
    assert set(store.store) == {"a", "c"} and "b" not in store.last_saved


async def test_beyond_the_limit_the_least_recently_active_conversation_is_dropped_first():
    clock = Clock()
    store = idle_evicting_tracker_store(clock=clock, max_trackers=2)
    await store.save(tracker("a"))
    await store.save(tracker("b"))
    await store.save(tracker("a", "Noch da"))   # a is now the most recent
    await store.save(tracker("c"))
    assert set(store.store) == {"a", "c"}
    assert (await store.retrieve("a")).latest_message.text == "Noch da"


class RecordingSpill:
    def __init__(self) -> None:
        self.writes: list[dict[str, str]] = []

    async def keep_all(self, trackers: dict[str, str]) -> None:
        self.writes.append(dict(trackers))

    async def take(self, sender_id: str) -> str | None:
        return next((kept[sender_id] for kept in self.writes if sender_id in kept), None)

    async def forget(self, sender_id: str) -> None:
        pass


async def test_a_full_store_lets_trackers_go_a_few_at_a_time_in_one_write():
    spill = RecordingSpill()
    store = idle_evicting_tracker_store(clock=Clock(), max_trackers=100, spill=spill)
    for number in range(101):
        await store.save(tracker(f"k{number}"))
    # One over the limit: the least recently active and two more (100 // 50) leave, in one write.
    assert [sorted(write) for write in spill.writes] == [["k0", "k1", "k2"]]
    assert len(store.store) == 98
    for number in range(101, 103):
        await store.save(tracker(f"k{number}"))
    assert len(spill.writes) == 1   # room was left: no write for the next two new conversations
    assert (await store.retrieve("k1")).latest_message.text == "Hallo"   # and nothing is lost


@pytest.mark.parametrize("sessions", [0, 1, 2, 3])
async def test_retrieve_gives_rasas_last_session(sessions):
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet

    domain = Domain.from_dict({"slots": {"order_number": {"type": "text", "mappings": [{"type": "custom"}]}}})
    state = trackers.DialogueStateTracker("k", domain.slots)
    for number in range(sessions):
        state.update(ActionExecuted("action_session_start"))
        state.update(SessionStarted())
        state.update(SlotSet("order_number", f"NW-{number}"))
        state.update(ActionExecuted("action_listen"))
        state.update(UserUttered(f"Hallo {number}", {"name": "greet", "confidence": 1.0}))
    if not sessions:
        state.update(UserUttered("Hallo", {"name": "greet", "confidence": 1.0}))
    rasa_store, ours = InMemoryTrackerStore(domain), idle_evicting_tracker_store()
    ours.domain = domain
    for store in (rasa_store, ours):
        await store.save(state)
    expected, found = await rasa_store.retrieve("k"), await ours.retrieve("k")
    assert [event.as_dict() for event in found.events] == [event.as_dict() for event in expected.events]
    assert found.current_slot_values() == expected.current_slot_values()
    assert (len(found.events) < len(state.events)) == (sessions > 1)   # only the last session
    full = await ours.retrieve_full_tracker("k")
    assert len(full.events) == len(state.events)


async def test_a_turn_that_failed_before_saving_is_undone_at_the_next_retrieve():
    from rasa.shared.core.domain import Domain

    store = idle_evicting_tracker_store(clock=Clock())
    store.domain = Domain.empty()
    await store.save(tracker("k", "Wo ist mein Paket?"))
    taken = await store.retrieve("k")
    assert taken is store.store["k"]   # the saved object itself: no JSON round trip per turn
    taken.update(UserUttered("halb verarbeitet", {"name": "greet", "confidence": 1.0}))   # ...then the turn fails
    again = await store.retrieve("k")
    assert [event.text for event in again.events] == ["Wo ist mein Paket?"]


async def test_trackers_of_quieter_conversations_are_kept_as_json_and_come_back_whole(monkeypatch):
    from rasa.shared.core.domain import Domain

    from handoff.engine.rasa import tracker_store as module

    monkeypatch.setattr(module, "LIVE_TRACKERS", 2)
    spill = RecordingSpill()
    store = idle_evicting_tracker_store(clock=Clock(), max_trackers=3, spill=spill)
    store.domain = Domain.empty()
    await store.save(tracker("a", "Erste Frage"))
    taken = await store.retrieve("a")
    taken.update(UserUttered("mitten im Zug", {"name": "greet", "confidence": 1.0}))   # a turn of "a" under way
    await store.save(tracker("b"))
    await store.save(tracker("c"))
    assert isinstance(store.store["a"], str) and not isinstance(store.store["c"], str)
    assert [event.text for event in (await store.retrieve("a")).events] == ["Erste Frage"]   # as saved
    await store.save(tracker("d"))   # over the limit: "a" (least recently saved) goes to the spill, as saved
    assert "a" in spill.writes[0] and "mitten im Zug" not in spill.writes[0]["a"]


async def test_before_a_new_model_every_kept_tracker_becomes_json():
    from rasa.shared.core.domain import Domain

    store = idle_evicting_tracker_store(clock=Clock())
    store.domain = Domain.empty()
    await store.save(tracker("a", "Hallo"))
    taken = await store.retrieve("a")
    taken.update(UserUttered("unterbrochen", {"name": "greet", "confidence": 1.0}))
    store.serialise_all()
    assert isinstance(store.store["a"], str) and not store.live
    assert [event.text for event in (await store.retrieve("a")).events] == ["Hallo"]
