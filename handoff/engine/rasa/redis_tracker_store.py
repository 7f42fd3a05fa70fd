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

from handoff.engine.rasa.redis_endpoint import async_client, is_redis


def redis_tracker_store(endpoint: Any, domain: Any = None) -> Any:
    from rasa.core.tracker_store import RedisTrackerStore
    from rasa.shared.core.domain import Domain

    from handoff.engine.rasa.tracker_store import last_session

    class LockedRedisTrackerStore(RedisTrackerStore):
        """Reads and writes with the asyncio client: Rasa's synchronous one held up the bot's event loop (and
        every other conversation on it) for each round trip."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.client = async_client(endpoint)

        async def save(self, tracker: Any, timeout: float | None = None) -> None:
            await self.client.set(self.key_prefix + tracker.sender_id, self.serialise_tracker(tracker),
                                  ex=timeout or self.record_exp)

        async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> Any:
            stored = await self.client.get(self.key_prefix + sender_id)
            if stored is None:
                return None
            tracker = self.deserialise_tracker(sender_id, stored)
            return tracker if fetch_all_sessions or tracker is None else last_session(tracker)

        async def forget(self, sender_id: str) -> None:
            await self.client.delete(self.key_prefix + sender_id)

    return LockedRedisTrackerStore(domain=domain or Domain.empty(), host=endpoint.url, **endpoint.kwargs)


def is_plain_redis(endpoint: Any, event_broker: Any) -> bool:
    return is_redis(endpoint) and event_broker is None
