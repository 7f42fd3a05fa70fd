"""Choose the bus and presence implementation from configuration: Redis when a URL is given."""
from __future__ import annotations

from handoff.bus.base import Bus, Presence
from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.bus.redis_bus import DEFAULT_NAMESPACE, RedisBus, RedisPresence


def create_bus(redis_url: str | None = None, namespace: str = DEFAULT_NAMESPACE) -> Bus:
    return RedisBus(redis_url, namespace=namespace) if redis_url else InProcessBus()


def create_presence(redis_url: str | None = None, namespace: str = DEFAULT_NAMESPACE,
                    ttl_seconds: int = 60) -> Presence:
    if redis_url:
        return RedisPresence(redis_url, namespace=namespace, ttl_seconds=ttl_seconds)
    return InProcessPresence(ttl_seconds=ttl_seconds)
