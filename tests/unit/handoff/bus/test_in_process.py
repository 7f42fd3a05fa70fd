import asyncio

import pytest

from handoff.bus.in_process import InProcessBus, InProcessPresence

pytestmark = pytest.mark.unit


async def test_subscribers_get_only_their_topics_in_order():
    bus = InProcessBus()
    async with bus.subscribe("queue", "agent.1") as mine, bus.subscribe("agent.2") as other:
        await bus.publish("queue", {"type": "a"})
        await bus.publish("agent.2", {"type": "b"})
        await bus.publish("agent.1", {"type": "c"})
        assert [await mine.__anext__(), await mine.__anext__()] == [("queue", {"type": "a"}),
                                                                   ("agent.1", {"type": "c"})]
        assert await other.__anext__() == ("agent.2", {"type": "b"})


async def test_slow_consumer_drops_oldest_and_counts():
    bus = InProcessBus(subscriber_buffer=3)
    async with bus.subscribe("queue") as events:
        for number in range(5):
            await bus.publish("queue", {"n": number})
        assert [(await events.__anext__())[1]["n"] for _ in range(3)] == [2, 3, 4]
        assert events.dropped == 2 and bus.dropped_total == 2


async def test_waiting_consumer_wakes_up_and_close_ends_iteration():
    bus = InProcessBus()
    async with bus.subscribe("queue") as events:
        waiter = asyncio.create_task(events.__anext__())
        await asyncio.sleep(0)
        await bus.publish("queue", {"type": "x"})
        assert (await asyncio.wait_for(waiter, 1))[1] == {"type": "x"}
        await bus.close()
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()


async def test_presence_expires_and_respects_status():
    now = [0.0]
    presence = InProcessPresence(ttl_seconds=10, monotonic=lambda: now[0])
    await presence.heartbeat("a", "online")
    await presence.heartbeat("b", "away")
    assert await presence.online_agents() == {"a"}
    now[0] = 10.5
    assert await presence.online_agents() == set()
    with pytest.raises(ValueError):
        await presence.heartbeat("a", "sleeping")
