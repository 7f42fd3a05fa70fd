"""Bus and presence for one process: asyncio queues, nothing survives a restart (the database does)."""
from __future__ import annotations

import asyncio
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

from handoff.bus.base import PRESENCE_ONLINE, PRESENCE_STATUSES, Envelope

DEFAULT_SUBSCRIBER_BUFFER = 1000
DEFAULT_PRESENCE_TTL_SECONDS = 60.0


class Subscription:
    """One subscriber's bounded buffer; when it is full the oldest event is dropped and counted."""

    def __init__(self, topics: frozenset[str], maxsize: int) -> None:
        self.topics = topics
        self._buffer: deque[Envelope] = deque(maxlen=maxsize)
        self._ready = asyncio.Event()
        self.dropped = 0
        self.closed = False

    def offer(self, envelope: Envelope) -> None:
        if len(self._buffer) == self._buffer.maxlen:
            self.dropped += 1
        self._buffer.append(envelope)
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    def __aiter__(self) -> "Subscription":
        return self

    async def __anext__(self) -> Envelope:
        while not self._buffer:
            if self.closed:
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        return self._buffer.popleft()


class InProcessBus:
    def __init__(self, subscriber_buffer: int = DEFAULT_SUBSCRIBER_BUFFER) -> None:
        self._subscriber_buffer = subscriber_buffer
        self._subscriptions: set[Subscription] = set()
        self.dropped_total = 0

    async def publish(self, topic: str, payload: dict[str, Any]) -> None:
        for subscription in list(self._subscriptions):
            if topic in subscription.topics:
                before = subscription.dropped
                subscription.offer((topic, payload))
                self.dropped_total += subscription.dropped - before

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(frozenset(topics), self._subscriber_buffer)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)
            subscription.close()

    async def close(self) -> None:
        for subscription in list(self._subscriptions):
            subscription.close()
        self._subscriptions.clear()


class InProcessPresence:
    def __init__(self, ttl_seconds: float = DEFAULT_PRESENCE_TTL_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._seen: dict[str, tuple[str, float]] = {}

    async def heartbeat(self, agent_id: str, status: str) -> None:
        if status not in PRESENCE_STATUSES:
            raise ValueError(f"unknown presence status: {status}")
        self._seen[agent_id] = (status, self._monotonic() + self._ttl)

    async def online_agents(self) -> set[str]:
        now = self._monotonic()
        return {agent for agent, (status, expires) in self._seen.items()
                if status == PRESENCE_ONLINE and expires > now}

    async def forget(self, agent_id: str) -> None:
        self._seen.pop(agent_id, None)

    async def close(self) -> None:
        self._seen.clear()
