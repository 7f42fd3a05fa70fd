"""Rasa's in-memory tracker store without its unbounded growth, and without losing a conversation's context.

Rasa's InMemoryTrackerStore (the default when endpoints.yml names no tracker store) keeps every
conversation's serialised tracker until the process ends: ~15 KB per conversation, about 200 MiB in the
10-minute soak's 13,000 conversations (docs/reliability.md). Here no more than `max_trackers` are kept in memory,
and a conversation idle longer than the domain's session expiration leaves memory too. A tracker that leaves
memory is handed to a `TrackerSpill` (the `bot_trackers` table, handoff/engine/tracker_spill.py) and taken back
from there when its conversation goes on, so a form in progress survives any number of other conversations, and
an idle conversation comes back with the slots Rasa carries into its new session. Only trackers that leave memory
are written: an active conversation costs no storage round trip (docs/performance.md compares this with keeping
every tracker in the database). Without a spill (tests, no database) a dropped tracker is lost, as Rasa's own
store would lose it on restart. Production setups that share trackers between processes name a Redis tracker
store in endpoints.yml and this class is not used.
The trackers of the most recently active conversations (`LIVE_TRACKERS`) are kept as the objects Rasa saved, not
as JSON: a turn then costs no serialisation and no replay of the events (0.37 -> 0.05 ms), at ~3.5x the memory
of the JSON for those few.
"""
from __future__ import annotations

import itertools
import logging
import time
from typing import Any, Callable, Protocol

logger = logging.getLogger(__name__)

NEVER = 0.0
UNLIMITED = 0
SLACK_DIVISOR = 50   # 5,000 kept: 100 leave together
LIVE_TRACKERS = 256   # the most recently active conversations' trackers kept as objects (docs/performance.md)


class TrackerSpill(Protocol):
    """Where trackers that leave memory are kept (serialised as Rasa serialises them)."""

    async def keep_all(self, trackers: dict[str, str]) -> None: ...

    async def take(self, sender_id: str) -> str | None: ...

    async def forget(self, sender_id: str) -> None: ...


def last_session(tracker: Any) -> Any:
    """What Rasa's stores return from `retrieve`: the tracker's last session. The same answer as Rasa 3.6's
    `get_trackers_for_conversation_sessions(tracker)[-1]` without first replaying the events into one new tracker
    per session and throwing them away when there is only one, as there nearly always is (half the replays of a
    turn's retrieve)."""
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME
    from rasa.shared.core.events import ActionExecuted, split_events
    from rasa.shared.core.trackers import DialogueStateTracker

    sessions = split_events(tracker.events, ActionExecuted, {"action_name": ACTION_SESSION_START_NAME},
                            include_splitting_event=True)
    if len(sessions) <= 1:
        return tracker
    return DialogueStateTracker.from_events(tracker.sender_id, sessions[-1], tracker.slots.values(),
                                            sender_source=tracker.sender_source,
                                            max_event_history=tracker._max_event_history)


def _first_events(tracker: Any, count: int, domain: Any) -> Any:
    """A new tracker of the first `count` events of `tracker` (a turn only ever adds events)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(tracker.sender_id, list(itertools.islice(tracker.events, count)),
                                            domain.slots, max_event_history=tracker._max_event_history,
                                            sender_source=tracker.sender_source)


def idle_evicting_tracker_store(max_idle_seconds: float = NEVER, clock: Callable[[], float] = time.monotonic,
                                max_trackers: int = UNLIMITED, spill: TrackerSpill | None = None) -> Any:
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    class IdleEvictingTrackerStore(InMemoryTrackerStore):
        def __init__(self) -> None:
            super().__init__(Domain.empty())
            self.max_idle_seconds = max_idle_seconds
            self.max_trackers = max_trackers
            self.clock = clock
            self.spill = spill
            # Insertion order = least recently saved first: a save moves its conversation to the end.
            self.last_saved: dict[str, float] = {}
            # Trackers on their way to the spill: a conversation going on meanwhile finds its tracker here.
            self.leaving: dict[str, str] = {}
            # The most recently saved trackers stay objects in `store` (the others are JSON, as in Rasa's store),
            # with the number of events they had when saved: the next turn takes the object itself instead of a
            # JSON round trip, and a turn that failed after adding events (it never saved) is undone from them.
            self.live: dict[str, int] = {}

        async def save(self, tracker: Any) -> None:
            sender_id = tracker.sender_id
            self.store[sender_id] = tracker
            self.live.pop(sender_id, None)
            self.live[sender_id] = len(tracker.events)
            self._serialise_beyond(LIVE_TRACKERS)
            now = self.clock()
            self.last_saved.pop(sender_id, None)
            self.last_saved[sender_id] = now
            await self._let_go(self.idle(now) + self.beyond_limit())

        async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> Any:
            if sender_id not in self.store:
                await self._take_back(sender_id)
            if sender_id not in self.store:
                return None
            tracker = self.store[sender_id]
            if isinstance(tracker, str):
                tracker = self.deserialise_tracker(sender_id, tracker)
            elif len(tracker.events) != self.live[sender_id]:   # changed since its save: that turn failed
                tracker = self.store[sender_id] = _first_events(tracker, self.live[sender_id], self.domain)
            return tracker if not tracker or fetch_all_sessions else last_session(tracker)

        def serialise_all(self) -> None:
            """Every kept tracker as JSON (before the domain changes: a new model may have other slots)."""
            self._serialise_beyond(0)

        def _serialise_beyond(self, count: int) -> None:
            while len(self.live) > count:
                sender_id = next(iter(self.live))
                self.store[sender_id] = self._serialised(sender_id)   # leaves `live` there

        def _serialised(self, sender_id: str) -> str | None:
            """The stored tracker as JSON, as it was saved."""
            value = self.store.get(sender_id)
            if value is None or isinstance(value, str):
                self.live.pop(sender_id, None)
                return value
            saved = self.live.pop(sender_id, len(value.events))
            if len(value.events) != saved:
                value = _first_events(value, saved, self.domain)
            return self.serialise_tracker(value)

        async def _take_back(self, sender_id: str) -> None:
            serialised = self.leaving.get(sender_id)
            if serialised is None and self.spill is not None:
                try:
                    serialised = await self.spill.take(sender_id)
                except Exception:  # the conversation goes on as a new session rather than not at all
                    logger.exception("could not take back the kept tracker of %s", sender_id)
            if serialised is not None and sender_id not in self.store:
                self.store[sender_id] = serialised
                self.last_saved[sender_id] = self.clock()

        def idle(self, now: float) -> list[str]:
            if self.max_idle_seconds <= NEVER:
                return []
            idle = []
            for sender_id, saved_at in self.last_saved.items():
                if now - saved_at < self.max_idle_seconds:
                    break
                idle.append(sender_id)
            return idle

        def beyond_limit(self) -> list[str]:
            if self.max_trackers <= UNLIMITED:
                return []
            over = len(self.last_saved) - self.max_trackers
            if over <= 0:
                return []
            # A few more than needed, so that a full store writes to the spill once per `slack` new conversations
            # rather than once per new conversation (each write is a transaction the web process may wait for).
            slack = self.max_trackers // SLACK_DIVISOR
            return list(itertools.islice(self.last_saved, over + slack))   # the least recently saved

        async def _let_go(self, sender_ids: list[str]) -> None:
            leaving = {}
            for sender_id in dict.fromkeys(sender_ids):
                del self.last_saved[sender_id]
                serialised = self._serialised(sender_id) if self.spill is not None else None
                self.store.pop(sender_id, None)
                self.live.pop(sender_id, None)
                if serialised is not None:
                    leaving[sender_id] = self.leaving[sender_id] = serialised
            if not leaving:
                return
            try:
                await self.spill.keep_all(leaving)   # type: ignore[union-attr]
            except Exception:
                logger.exception("could not keep %d trackers; their conversations start afresh", len(leaving))
            for sender_id, serialised in leaving.items():
                if self.leaving.get(sender_id) is serialised:
                    del self.leaving[sender_id]
                else:   # forgotten (data deletion) while it was being written: it must not stay there
                    await self.spill.forget(sender_id)   # type: ignore[union-attr]

        async def forget(self, sender_id: str) -> None:
            self.last_saved.pop(sender_id, None)
            self.store.pop(sender_id, None)
            self.live.pop(sender_id, None)
            self.leaving.pop(sender_id, None)
            if self.spill is not None:
                await self.spill.forget(sender_id)

    return IdleEvictingTrackerStore()
