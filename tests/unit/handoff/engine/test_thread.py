"""Work handed to the bot thread runs there, returns its result or error, and can be cancelled."""
from __future__ import annotations

import asyncio
import threading

import pytest

from handoff.engine.thread import THREAD_NAME, BotThread


@pytest.fixture
def bot_thread():
    thread = BotThread()
    yield thread
    thread.stop()


async def test_runs_on_its_own_thread_and_loop(bot_thread):
    caller_loop = asyncio.get_running_loop()

    async def where() -> tuple[str, bool]:
        return threading.current_thread().name, asyncio.get_running_loop() is caller_loop

    assert await bot_thread.run(where()) == (THREAD_NAME, False)


async def test_errors_reach_the_caller(bot_thread):
    async def broken() -> None:
        raise LookupError("kaputt")

    with pytest.raises(LookupError, match="kaputt"):
        await bot_thread.run(broken())


async def test_caller_timeout_cancels_the_work_there(bot_thread):
    cancelled = threading.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(bot_thread.run(slow()), 0.05)
    assert await asyncio.to_thread(cancelled.wait, 5)


async def test_caller_loop_stays_free_while_the_bot_thread_is_busy(bot_thread):
    async def busy() -> None:
        threading.Event().wait(0.3)   # blocks the bot's loop, as a model prediction does

    work = asyncio.ensure_future(bot_thread.run(busy()))
    ticks = 0
    while not work.done():
        await asyncio.sleep(0.01)
        ticks += 1
    assert ticks >= 10


async def test_a_stopped_thread_refuses_work():
    thread = BotThread()
    thread.stop()

    async def nothing() -> None:
        return None

    coroutine = nothing()
    with pytest.raises(RuntimeError):
        await thread.run(coroutine)
    coroutine.close()


async def test_same_loop_runs_the_coroutine_right_here():
    import threading

    from handoff.engine.thread import SameLoop

    async def where():
        return threading.current_thread(), asyncio.get_running_loop()

    assert await SameLoop().run(where()) == (threading.current_thread(), asyncio.get_running_loop())
