"""`reading()`: on SQLite a read-only transaction neither waits for nor takes the write lock another process
holds (the bot process and the web process share one database file)."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from handoff.store.database import create_engine, reading

pytestmark = pytest.mark.integration


@pytest.fixture
async def engines(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    web, bot = create_engine(url), create_engine(url)   # two engines: two processes' connections to one file
    async with web.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        await conn.execute(text("INSERT INTO t VALUES (1)"))
    yield web, bot
    await web.dispose()
    await bot.dispose()


async def test_a_read_goes_on_while_another_connection_holds_the_write_lock(engines):
    web, bot = engines
    async with web.begin() as writing:
        await writing.execute(text("INSERT INTO t VALUES (2)"))   # write lock held, not yet committed
        async with reading(bot) as conn:
            count = await asyncio.wait_for(conn.execute(text("SELECT count(*) FROM t")), timeout=1)
            assert count.scalar_one() == 1   # the last committed state
        # ...and the reader left nothing behind that would keep the writer from committing.
    async with reading(bot) as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 2


async def test_a_write_while_reading_fails_at_once_instead_of_waiting(engines):
    web, bot = engines
    async with web.begin() as writing:
        await writing.execute(text("INSERT INTO t VALUES (2)"))
        with pytest.raises(OperationalError):
            async with reading(bot) as conn:
                await conn.execute(text("SELECT count(*) FROM t"))
                await asyncio.wait_for(conn.execute(text("INSERT INTO t VALUES (3)")), timeout=5)


async def test_an_ordinary_transaction_still_waits_for_the_write_lock(engines):
    web, bot = engines
    async with web.begin() as writing:
        await writing.execute(text("INSERT INTO t VALUES (2)"))
        waiting = asyncio.create_task(_insert(bot))
        await asyncio.sleep(0.2)
        assert not waiting.done()
    await asyncio.wait_for(waiting, timeout=10)
    async with reading(web) as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 3


async def _insert(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t VALUES (3)"))
