"""The one-hop statement path on SQLite behaves like SQLAlchemy's own adapter: rows, counts, ids, errors."""
from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from handoff.store.database import create_engine

pytestmark = pytest.mark.integration

metadata = MetaData()
items = Table("items", metadata, Column("id", Integer, primary_key=True), Column("name", String(20), unique=True))


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fast.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def test_rows_counts_and_ids_come_back_as_written(engine):
    async with engine.begin() as conn:
        first = await conn.execute(insert(items).values(name="a"))
        assert first.rowcount == 1 and first.inserted_primary_key == (1,)
        many = await conn.execute(insert(items), [{"name": "b"}, {"name": "c"}])
        assert many.rowcount == 2
        changed = await conn.execute(update(items).where(items.c.name != "a").values(name=items.c.name + "!"))
        assert changed.rowcount == 2
        rows = (await conn.execute(select(items).order_by(items.c.id))).all()
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]
        returned = await conn.execute(text("UPDATE items SET name = 'z' WHERE id = :id RETURNING id"), {"id": 3})
        assert returned.scalar_one() == 3
        assert (await conn.execute(select(items).where(items.c.id == 99))).first() is None


async def test_errors_are_sqlalchemy_errors_and_a_savepoint_rolls_back(engine):
    async with engine.begin() as conn:
        await conn.execute(insert(items).values(name="a"))
        with pytest.raises(IntegrityError):
            async with conn.begin_nested():
                await conn.execute(insert(items).values(name="b"))
                await conn.execute(insert(items).values(name="a"))
        assert (await conn.execute(select(items.c.name))).scalars().all() == ["a"]
        with pytest.raises(OperationalError):
            await conn.execute(text("SELEKT 1"))


async def test_a_failed_transaction_leaves_nothing_and_streaming_still_works(engine):
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(insert(items).values(name="x"))
            await conn.execute(insert(items).values(name="x"))
    async with engine.begin() as conn:
        assert (await conn.execute(select(items))).all() == []
        await conn.execute(insert(items), [{"name": str(n)} for n in range(5)])
        streamed = [row.name async for row in await conn.stream(select(items).order_by(items.c.id))]
        assert streamed == ["0", "1", "2", "3", "4"]


async def test_the_write_lock_is_held_from_the_first_statement_until_commit(tmp_path):
    import sqlite3

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fast.db'}", pool_size=1, max_overflow=0)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.exec_driver_sql("PRAGMA busy_timeout=100")   # the pool's only connection gives up soon
    other = sqlite3.connect(tmp_path / "fast.db", timeout=0.05, isolation_level=None)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(items).values(name="a"))   # BEGIN IMMEDIATE went with this statement
            assert conn.sync_connection.connection.dbapi_connection._connection.in_transaction
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")   # released by the commit
        with pytest.raises(OperationalError, match="locked"):
            async with engine.begin() as conn:
                await conn.execute(select(items))   # the deferred BEGIN fails here, as it failed at begin before
        other.execute("ROLLBACK")
        async with engine.begin() as conn:   # the failed transaction left the engine usable
            assert (await conn.execute(select(items.c.name))).scalars().all() == ["a"]
    finally:
        other.close()
        await engine.dispose()


async def test_transactions_without_statements_and_reads_leave_no_transaction_open(engine):
    async with engine.begin():
        pass
    async with engine.connect() as conn:
        assert (await conn.execute(select(items))).all() == []
    async with engine.begin() as conn:
        await conn.execute(insert(items).values(name="b"))
        raw = conn.sync_connection.connection.dbapi_connection._connection
    assert not raw._connection.in_transaction
    async with engine.begin() as conn:
        assert (await conn.execute(select(items.c.name))).scalars().all() == ["b"]


async def test_single_row_statements_inside_the_write_lock_give_the_same_rows_and_errors(engine):
    quick = {"single_row": True}
    async with engine.begin() as conn:
        first = await conn.execute(insert(items).values(name="a").execution_options(**quick))  # carries the BEGIN
        assert first.rowcount == 1 and first.inserted_primary_key == (1,)
        second = await conn.execute(insert(items).values(name="b").execution_options(**quick))   # on the loop
        assert second.rowcount == 1 and second.inserted_primary_key == (2,)
        returned = await conn.execute(text("UPDATE items SET name = 'c' WHERE id = :id RETURNING id"
                                           ).execution_options(**quick), {"id": 2})
        assert returned.scalar_one() == 2
        rows = await conn.execute(select(items).where(items.c.id == 2).execution_options(**quick))
        assert [tuple(row) for row in rows] == [(2, "c")]
        with pytest.raises(IntegrityError):
            async with conn.begin_nested():
                await conn.execute(insert(items).values(name="a").execution_options(**quick))
    async with engine.connect() as conn:
        assert (await conn.execute(select(items.c.name).order_by(items.c.id))).scalars().all() == ["a", "c"]
