"""SQLite connections of one process take turns, and a cancelled task always gives its turn (and connection) back."""
from __future__ import annotations

import asyncio
import random

import pytest
from sqlalchemy import text

from handoff.store.database import create_engine

pytestmark = pytest.mark.integration


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}", pool_timeout=3)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield engine
    await engine.dispose()


async def _writer(engine) -> None:
    while True:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (1)"))
            await conn.execute(text("SELECT count(*) FROM t"))


async def test_tasks_cancelled_anywhere_in_a_transaction_leave_the_engine_usable(engine):
    generator = random.Random(20261201)
    for _ in range(200):
        task = asyncio.create_task(_writer(engine))
        await asyncio.sleep(generator.random() * 0.01)
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=5)
        assert done, "a cancelled task kept running (its cancellation was swallowed)"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() >= 0
    assert not engine.turn.locked()
    assert engine.pool.checkedout() == 0


async def test_transactions_never_overlap_and_all_get_their_turn(engine):
    active, most = 0, 0

    async def transaction(n: int) -> None:
        nonlocal active, most
        async with engine.begin() as conn:
            active += 1
            most = max(most, active)
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            await asyncio.sleep(0.001)
            active -= 1

    async def reader() -> int:
        async with engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one()

    results = await asyncio.gather(*(transaction(n) for n in range(30)), *(reader() for _ in range(10)))
    assert most == 1
    assert all(isinstance(count, int) for count in results[30:])
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 30
