"""One bot turn per conversation at a time, across processes (two lock objects, two Redis clients), first come
first served within a process, and a lock left by a crashed process expires."""
from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlsplit

import pytest

from handoff.engine.rasa.redis_lock import ConversationLocks, redis_conversation_locks

pytestmark = [pytest.mark.integration, pytest.mark.redis]
pytest.importorskip("rasa.utils.endpoints")
from rasa.utils.endpoints import EndpointConfig  # noqa: E402


def endpoint() -> EndpointConfig:
    parts = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    return EndpointConfig(url=parts.hostname, port=parts.port or 6379, db=int(parts.path.lstrip("/") or 0),
                          key_prefix=f"test{uuid.uuid4().hex[:8]}", type="redis")


@pytest.fixture
async def two_processes():
    config = endpoint()
    first, second = redis_conversation_locks(config), redis_conversation_locks(config)
    yield first, second
    await first.close()
    await second.close()


async def test_turns_of_one_conversation_never_overlap_across_processes(two_processes):
    running, most, done = 0, 0, []

    async def turn(locks: ConversationLocks, number: int) -> None:
        nonlocal running, most
        async with locks.lock("kunde-1"):
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.002)
            running -= 1
            done.append(number)

    await asyncio.gather(*(turn(two_processes[number % 2], number) for number in range(40)))
    assert most == 1 and sorted(done) == list(range(40))
    assert all(not locks.local and not locks.turns for locks in two_processes)   # nothing left behind


async def test_within_a_process_turns_go_in_the_order_they_came(two_processes):
    locks, order = two_processes[0], []

    async def turn(number: int) -> None:
        async with locks.lock("kunde-2"):
            await asyncio.sleep(0.001)
            order.append(number)

    tasks = []
    for number in range(10):
        tasks.append(asyncio.create_task(turn(number)))
        await asyncio.sleep(0)   # each one queued before the next
    await asyncio.gather(*tasks)
    assert order == list(range(10))


async def test_other_conversations_do_not_wait(two_processes):
    first, second = two_processes
    async with first.lock("kunde-3"):
        async with asyncio.timeout(1):
            async with second.lock("kunde-4"):
                pass


async def test_a_lock_left_by_a_crashed_process_expires():
    config = endpoint()
    crashed = ConversationLocks(redis_conversation_locks(config).client, config.kwargs["key_prefix"], lifetime=0.3)
    survivor = redis_conversation_locks(config)
    held = crashed.client.lock(crashed.key_prefix + "kunde-5", timeout=0.3, thread_local=False)
    assert await held.acquire(blocking=False)   # and never released: the process died
    started = asyncio.get_running_loop().time()
    async with survivor.lock("kunde-5"):
        waited = asyncio.get_running_loop().time() - started
    assert 0.1 < waited < 5
    await crashed.close()
    await survivor.close()
