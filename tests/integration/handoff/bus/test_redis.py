"""RedisBus and RedisPresence against a real Redis (TEST_REDIS_URL)."""
import asyncio
import uuid

import pytest
from redis import asyncio as aioredis

from handoff.bus.redis_bus import RedisBus, RedisPresence

pytestmark = [pytest.mark.integration, pytest.mark.redis]
RECEIVE_TIMEOUT = 5


@pytest.fixture
def namespace() -> str:
    # Pub/sub channels are server-wide; a unique namespace keeps parallel runs apart.
    return f"test-{uuid.uuid4().hex[:8]}"


async def test_publish_on_one_instance_reaches_subscribers_of_another(redis_url, namespace):
    publisher, subscriber = RedisBus(redis_url, namespace), RedisBus(redis_url, namespace)
    try:
        async with subscriber.subscribe("queue", "agent.7") as events:
            await publisher.publish("agent.8", {"type": "not-for-me"})
            await publisher.publish("queue", {"type": "queue_changed", "n": 1})
            await publisher.publish("agent.7", {"type": "assigned", "text": "Grüße"})
            first = await asyncio.wait_for(events.__anext__(), RECEIVE_TIMEOUT)
            second = await asyncio.wait_for(events.__anext__(), RECEIVE_TIMEOUT)
        assert [first, second] == [("queue", {"type": "queue_changed", "n": 1}),
                                   ("agent.7", {"type": "assigned", "text": "Grüße"})]
    finally:
        await publisher.close()
        await subscriber.close()


async def test_subscription_recovers_after_its_connection_is_killed(redis_url, namespace):
    bus = RedisBus(redis_url, namespace)
    admin = aioredis.from_url(redis_url)
    try:
        async with bus.subscribe("queue") as events:
            # Kill exactly this bus's connections, as a Redis restart would; other clients stay untouched.
            ours = [c for c in await admin.client_list() if c.get("name") == f"{namespace}-bus"]
            assert ours
            for client in ours:
                await admin.client_kill_filter(_id=client["id"])
            received = None
            for _ in range(50):   # keep publishing until the resubscribed pump delivers
                await bus.publish("queue", {"type": "after-restart"})
                try:
                    received = await asyncio.wait_for(events.__anext__(), 0.2)
                    break
                except asyncio.TimeoutError:
                    continue
        assert received == ("queue", {"type": "after-restart"})
    finally:
        await admin.close()
        await bus.close()


async def test_presence_expires_without_heartbeats(redis_url, namespace):
    presence = RedisPresence(redis_url, namespace, ttl_seconds=1)
    other = RedisPresence(redis_url, namespace, ttl_seconds=1)
    try:
        await presence.heartbeat("anna", "online")
        await presence.heartbeat("ben", "away")
        assert await other.online_agents() == {"anna"}
        await asyncio.sleep(1.3)
        assert await other.online_agents() == set()
        await presence.heartbeat("anna", "online")
        await presence.forget("anna")
        assert await other.online_agents() == set()
    finally:
        await presence.close()
        await other.close()
