"""Rasa's Redis tracker store without its read-merge-write on every save.

Rasa 3.6's RedisTrackerStore.save first reads the stored tracker back, replays all of its events, and merges it with
the new one, comparing every new event with every stored one as dictionaries (quadratic in the conversation's
length), so that two processes saving the same conversation without a lock lose nothing. Here every turn of a
conversation runs under the shared Redis lock store (handoff/engine/rasa/engine.py holds it around the turn), so
the tracker being saved already contains everything stored before it: the save is one SET. The merge would also
undo the tracker compaction (handoff/engine/rasa/compaction.py): it appended every compacted tracker to the old
events, and the stored value grew with the conversation. Used for `tracker_store: type: redis` in endpoints.yml
when no event broker is configured (an event broker needs Rasa's read-back to find the new events).
"""
from __future__ import annotations

from typing import Any

REDIS_TYPE = "redis"


def redis_tracker_store(endpoint: Any, domain: Any = None) -> Any:
    from rasa.core.tracker_store import RedisTrackerStore
    from rasa.shared.core.domain import Domain

    class LockedRedisTrackerStore(RedisTrackerStore):
        async def save(self, tracker: Any, timeout: float | None = None) -> None:
            self.red.set(self.key_prefix + tracker.sender_id, self.serialise_tracker(tracker),
                         ex=timeout or self.record_exp)

    return LockedRedisTrackerStore(domain=domain or Domain.empty(), host=endpoint.url, **endpoint.kwargs)


def is_plain_redis(endpoint: Any, event_broker: Any) -> bool:
    return (endpoint is not None and str(getattr(endpoint, "type", "")).lower() == REDIS_TYPE
            and event_broker is None)
