"""Rasa's in-memory tracker store without its unbounded growth: trackers of idle conversations are dropped.

Rasa's InMemoryTrackerStore (the default when endpoints.yml names no tracker store) keeps every
conversation's serialised tracker until the process ends: ~15 KB per conversation, about 200 MiB in the
10-minute soak's 13,000 conversations (docs/reliability.md). A conversation idle longer than the domain's
session expiration starts a new Rasa session anyway; dropping its tracker then costs only the slots Rasa would
carry over (the transcript, which agents read, lives in the service's database). And no more than
`max_trackers` are kept: beyond that the least recently active conversation loses its Rasa context first (its
slots; the bot treats it as a new session), so memory stays bounded at any load. Production setups that must
keep trackers name a SQL or Redis tracker store in endpoints.yml and this class is not used.
"""
from __future__ import annotations

import time
from typing import Any, Callable

NEVER = 0.0
UNLIMITED = 0


def idle_evicting_tracker_store(max_idle_seconds: float = NEVER, clock: Callable[[], float] = time.monotonic,
                                max_trackers: int = UNLIMITED) -> Any:
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    class IdleEvictingTrackerStore(InMemoryTrackerStore):
        def __init__(self) -> None:
            super().__init__(Domain.empty())
            self.max_idle_seconds = max_idle_seconds
            self.max_trackers = max_trackers
            self.clock = clock
            # Insertion order = least recently saved first: a save moves its conversation to the end.
            self.last_saved: dict[str, float] = {}

        async def save(self, tracker: Any) -> None:
            await super().save(tracker)
            now = self.clock()
            self.last_saved.pop(tracker.sender_id, None)
            self.last_saved[tracker.sender_id] = now
            self.evict_idle(now)
            self.evict_beyond_limit()

        def evict_idle(self, now: float) -> int:
            if self.max_idle_seconds <= NEVER:
                return 0
            idle = []
            for sender_id, saved_at in self.last_saved.items():
                if now - saved_at < self.max_idle_seconds:
                    break
                idle.append(sender_id)
            for sender_id in idle:
                del self.last_saved[sender_id]
                self.store.pop(sender_id, None)
            return len(idle)

        def evict_beyond_limit(self) -> int:
            if self.max_trackers <= UNLIMITED:
                return 0
            evicted = 0
            while len(self.last_saved) > self.max_trackers:
                sender_id = next(iter(self.last_saved))   # the least recently saved
                del self.last_saved[sender_id]
                self.store.pop(sender_id, None)
                evicted += 1
            return evicted

        def forget(self, sender_id: str) -> None:
            self.last_saved.pop(sender_id, None)
            self.store.pop(sender_id, None)

    return IdleEvictingTrackerStore()
