"""Load-generator side of the capacity benchmark: many idle widget connections, then replies while they stay."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

import aiohttp

from bench.clients import WidgetConversation

# Parallel opens: enough to be quick, few enough not to measure a connection storm.
OPEN_PARALLELISM = 32
MEASURE, CLOSE = "measure", "close"


async def open_many(session: aiohttp.ClientSession, base_url: str, count: int) -> tuple[list[Any], int]:
    opened: list[WidgetConversation] = []
    failed = 0
    gate = asyncio.Semaphore(OPEN_PARALLELISM)

    async def one() -> None:
        nonlocal failed
        async with gate:
            try:
                customer = await WidgetConversation.open(session, base_url)
                # The server sends a state frame after the replay: only then is the connection fully set up.
                await customer.reader.wait_for(lambda f: f.get("type") == "state", 0, 30.0)
                opened.append(customer)
            except Exception:  # noqa: BLE001 - a refused connection is what this benchmark looks for
                failed += 1

    await asyncio.gather(*(one() for _ in range(count)))
    return opened, failed


async def hold_idle_connections(session: aiohttp.ClientSession, job: dict[str, Any],
                                reply_load: Callable[..., Awaitable[dict[str, Any]]],
                                read_command: Callable[[], Awaitable[str]],
                                emit: Callable[..., None]) -> None:
    started = time.perf_counter()
    customers, failed = await open_many(session, job["base_url"], int(job["connections"]))
    emit("connected", count=len(customers), failed=failed, seconds=time.perf_counter() - started)
    try:
        while (command := await read_command()) == MEASURE:
            alive = sum(1 for c in customers if not c.reader.task.done())
            result = await reply_load(session, job)
            still_alive = sum(1 for c in customers if not c.reader.task.done())
            emit("result", alive_before=alive, alive_after=still_alive, **result)
    finally:
        await asyncio.gather(*(c.close() for c in customers), return_exceptions=True)
        emit("closed")
