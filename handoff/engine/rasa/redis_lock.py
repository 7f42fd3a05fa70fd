"""One bot turn per conversation at a time across processes, in two Redis round trips that do not block the loop.

Rasa 3.6's RedisLockStore runs its ticket scheme with the synchronous client: seven round trips per turn (read,
write and read the ticket lock, then read, write, read and delete it again), each holding up the bot's event loop
and every other conversation on it, and its read-then-write is not atomic between processes. Here a turn first
queues behind the turns of its conversation in this process (an asyncio lock: first come, first served, no
polling), then takes redis-py's lock (SET NX PX with a random token, released by a script that deletes only its
own token) against other processes; it polls only while another process holds the conversation, which the
product's routing makes rare. A lock left by a crashed process expires after `lifetime` seconds, as Rasa's does.
Used for `lock_store: type: redis` in endpoints.yml (handoff/engine/rasa/engine.py).
"""
from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from handoff.engine.rasa.redis_endpoint import async_client

KEY_PREFIX = "lock:"
DEFAULT_LIFETIME_SECONDS = 60.0   # Rasa's TICKET_LOCK_LIFETIME default
POLL_SECONDS = 0.005


class ConversationLocks:
    """What the engine needs of Rasa's LockStore: `lock(conversation_id)` as an async context manager."""

    def __init__(self, client: Any, key_prefix: str = "", lifetime: float = DEFAULT_LIFETIME_SECONDS) -> None:
        self.client = client
        self.key_prefix = KEY_PREFIX + (f"{key_prefix}:" if key_prefix else "")
        self.lifetime = lifetime
        self.local: dict[str, asyncio.Lock] = {}
        self.turns: dict[str, int] = {}   # turns of a conversation running or waiting here: its lock goes at 0

    @asynccontextmanager
    async def lock(self, conversation_id: str, *_args: Any, **_kwargs: Any) -> AsyncIterator[None]:
        local = self.local.setdefault(conversation_id, asyncio.Lock())
        self.turns[conversation_id] = self.turns.get(conversation_id, 0) + 1
        try:
            async with local:
                async with self.client.lock(self.key_prefix + conversation_id, timeout=self.lifetime,
                                            sleep=POLL_SECONDS, blocking_timeout=self.lifetime, thread_local=False):
                    yield
        finally:
            self.turns[conversation_id] -= 1
            if not self.turns[conversation_id]:
                del self.turns[conversation_id], self.local[conversation_id]

    async def close(self) -> None:
        await self.client.close()


def redis_conversation_locks(endpoint: Any) -> ConversationLocks:
    lifetime = float(os.environ.get("TICKET_LOCK_LIFETIME") or DEFAULT_LIFETIME_SECONDS)
    return ConversationLocks(async_client(endpoint), endpoint.kwargs.get("key_prefix") or "", lifetime)
