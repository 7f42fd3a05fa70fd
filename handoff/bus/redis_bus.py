"""Bus and presence on Redis, for several service processes.

While Redis is down: `publish` logs and drops the event (the data is already committed; widgets catch up with
`after=<seq>`, the console refetches the queue on reconnect), subscriptions keep retrying with backoff and resume
by themselves when Redis is back, presence heartbeats fail (logged) so agents look offline, and `online_agents`
returns an empty set, which routes new handoffs to tickets instead of a queue nobody may be watching.
"""
from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

from handoff.bus.base import PRESENCE_ONLINE, PRESENCE_STATUSES
from handoff.bus.in_process import DEFAULT_SUBSCRIBER_BUFFER, Subscription

log = logging.getLogger(__name__)

DEFAULT_NAMESPACE = "nordwind"
DEFAULT_PRESENCE_TTL_SECONDS = 60
POLL_TIMEOUT_SECONDS = 1.0
RECONNECT_MIN_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class RedisBus:
    def __init__(self, url: str, namespace: str = DEFAULT_NAMESPACE,
                 subscriber_buffer: int = DEFAULT_SUBSCRIBER_BUFFER) -> None:
        # The client name lets operators (and the reconnect test) find this bus's connections in CLIENT LIST.
        self._redis = aioredis.from_url(url, client_name=f"{namespace}-bus")
        # Pub/sub channels are global to the Redis server (not per database); the namespace separates deployments.
        self._prefix = f"{namespace}:bus:"
        self._subscriber_buffer = subscriber_buffer
        self._pumps: set[asyncio.Task[None]] = set()
        self.publish_failures = 0

    async def publish(self, topic: str, payload: dict[str, Any]) -> None:
        try:
            await self._redis.publish(self._prefix + topic, json.dumps(payload, default=str))
        except REDIS_DOWN as error:
            self.publish_failures += 1
            log.warning("bus publish to %s dropped, Redis unavailable: %s", topic, error)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(frozenset(topics), self._subscriber_buffer)
        ready = asyncio.Event()
        pump = asyncio.create_task(self._pump([self._prefix + topic for topic in topics], subscription, ready))
        self._pumps.add(pump)
        try:
            # Subscribed before the caller gets the iterator, so nothing published after entry is missed.
            await ready.wait()
            yield subscription
        finally:
            pump.cancel()
            self._pumps.discard(pump)
            subscription.close()
            await asyncio.gather(pump, return_exceptions=True)

    async def _pump(self, channels: list[str], subscription: Subscription, ready: asyncio.Event) -> None:
        backoff = RECONNECT_MIN_SECONDS
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(*channels)
                ready.set()
                backoff = RECONNECT_MIN_SECONDS
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=POLL_TIMEOUT_SECONDS)
                    if message is not None and message.get("type") == "message":
                        topic = message["channel"].decode()[len(self._prefix):]
                        subscription.offer((topic, json.loads(message["data"])))
            except REDIS_DOWN as error:
                log.warning("bus subscription lost, reconnecting in %.1fs: %s", backoff, error)
                ready.set()  # the caller may start iterating; events resume after the reconnect
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, RECONNECT_MAX_SECONDS)
            finally:
                try:
                    await pubsub.reset()
                except REDIS_DOWN:
                    pass

    async def close(self) -> None:
        for pump in list(self._pumps):
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)
        self._pumps.clear()
        await self._redis.close()


class RedisPresence:
    """Presence as keys with a TTL: an agent whose heartbeats stop disappears without any cleanup job."""

    def __init__(self, url: str, namespace: str = DEFAULT_NAMESPACE,
                 ttl_seconds: int = DEFAULT_PRESENCE_TTL_SECONDS) -> None:
        self._redis = aioredis.from_url(url, decode_responses=True)
        self._prefix = f"{namespace}:presence:"
        self._ttl_ms = int(ttl_seconds * 1000)

    async def heartbeat(self, agent_id: str, status: str) -> None:
        if status not in PRESENCE_STATUSES:
            raise ValueError(f"unknown presence status: {status}")
        try:
            await self._redis.set(self._prefix + agent_id, status, px=self._ttl_ms)
        except REDIS_DOWN as error:
            log.warning("presence heartbeat lost, Redis unavailable: %s", error)

    async def online_agents(self) -> set[str]:
        try:
            keys = [key async for key in self._redis.scan_iter(match=self._prefix + "*")]
            if not keys:
                return set()
            statuses = await self._redis.mget(keys)
        except REDIS_DOWN as error:
            log.warning("presence unknown, Redis unavailable: %s", error)
            return set()
        return {key[len(self._prefix):] for key, status in zip(keys, statuses) if status == PRESENCE_ONLINE}

    async def forget(self, agent_id: str) -> None:
        try:
            await self._redis.delete(self._prefix + agent_id)
        except REDIS_DOWN as error:
            log.warning("presence forget failed, Redis unavailable: %s", error)

    async def close(self) -> None:
        await self._redis.close()
