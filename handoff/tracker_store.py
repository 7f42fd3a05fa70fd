"""Rasa's in-memory tracker store without its unbounded growth: trackers of idle conversations are dropped.

Rasa's InMemoryTrackerStore (the default when endpoints.yml names no tracker store) keeps every conversation's
serialised tracker until the process ends: ~10 KB per message, about 2 MiB every 10 s at the soak's load
(docs/reliability.md). A conversation idle longer than the domain's session expiration starts a new Rasa session
anyway; dropping its tracker then costs only the slots Rasa would carry over (the transcript, which agents read,
lives in the service's database). Production setups that must keep trackers name a SQL or Redis tracker store in
endpoints.yml and this class is not used.
"""
from __future__ import annotations

import time
from typing import Any, Callable

NEVER = 0.0


def idle_evicting_tracker_store(max_idle_seconds: float = NEVER, clock: Callable[[], float] = time.monotonic) -> Any:
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    class IdleEvictingTrackerStore(InMemoryTrackerStore):
        def __init__(self) -> None:
            super().__init__(Domain.empty())
            self.max_idle_seconds = max_idle_seconds
            self.clock = clock
            # Insertion order = least recently saved first: a save moves its conversation to the end.
            self.last_saved: dict[str, float] = {}

        async def save(self, tracker: Any) -> None:
            await super().save(tracker)
            now = self.clock()
            self.last_saved.pop(tracker.sender_id, None)
            self.last_saved[tracker.sender_id] = now
            self.evict_idle(now)

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

        def forget(self, sender_id: str) -> None:
            self.last_saved.pop(sender_id, None)
            self.store.pop(sender_id, None)

    return IdleEvictingTrackerStore()
