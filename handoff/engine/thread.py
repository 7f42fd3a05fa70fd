"""An event loop on its own thread, where everything Rasa does for a message runs.

Rasa's NLU and policies compute on the calling thread (tens of milliseconds of TensorFlow and Python per message).
On the web server's loop that time blocked every other customer's acknowledgement and every agent event behind
it (ack p99 2.6 s at concurrency 8, docs/performance.md). On this thread the web loop stays free for I/O, and the
database writes of one message overlap the bot's work on the next, on the machine's second core while TensorFlow
holds no GIL.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Awaitable, TypeVar

T = TypeVar("T")
THREAD_NAME = "rasa-bot"
STOP_TIMEOUT_SECONDS = 5.0


class BotThread:
    def __init__(self, name: str = THREAD_NAME) -> None:
        self.loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        self._started.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._started.set)
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self.loop.is_closed()

    async def run(self, coroutine: Awaitable[T]) -> T:
        """Await a coroutine on the bot's loop from another loop; cancelling the caller cancels it there too."""
        if not self.alive:
            raise RuntimeError("the bot thread has stopped")
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return await asyncio.wrap_future(future)

    def stop(self) -> None:
        if self.alive:
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(STOP_TIMEOUT_SECONDS)


class SameLoop:
    """BotThread's interface on the caller's own loop: for a process that runs nothing but the bot."""

    alive = True

    async def run(self, coroutine: Awaitable[T]) -> T:
        return await coroutine

    def stop(self) -> None:
        return None
