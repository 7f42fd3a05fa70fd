"""Async engine factory: SQLite (file, WAL) by default, PostgreSQL (asyncpg pool) by URL."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from handoff.store import aiosqlite_fast
from handoff.store.urls import async_database_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/handoff.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 20
# SQLAlchemy 1.4 gives file SQLite a NullPool: every transaction opened a new connection (a new aiosqlite thread
# and four PRAGMAs), 11 ms per transaction on the benchmark machine against 1 ms with a pooled connection.
# Every transaction here begins IMMEDIATE (below), so only one connection of a process can work at a time. Left to
# SQLite, the others wait in its busy handler, which sleeps up to 100 ms a try (reply p99 ~2 s at concurrency 8);
# so the connections of one process take turns on an asyncio lock instead (fair, and a cancelled waiter simply
# leaves the line). A pool of one connection would do the same, but a task cancelled while waiting for the pool's
# only connection can swallow the cancellation (asyncio.wait_for inside SQLAlchemy's pool queue, Python 3.11) and
# go on; with spare connections the pool never makes anyone wait. Other processes still meet the busy timeout.
SQLITE_POOL_SIZE = 3
SQLITE_MAX_OVERFLOW = 5
# Execution option of `reading()`: the transaction only reads, so on SQLite it begins DEFERRED (a WAL reader takes
# no write lock and waits for none) instead of IMMEDIATE.
READ_ONLY = "nordwind_read_only"


class _TurnTakingConnection(AsyncConnection):
    """A connection that holds its engine's turn lock from checkout until it is closed, also when cancelled."""

    _holds_turn = False

    async def start(self, is_ctxmanager: bool = False) -> "AsyncConnection":
        await self.engine.turn.acquire()
        self._holds_turn = True
        try:
            return await super().start(is_ctxmanager=is_ctxmanager)
        except BaseException:
            await self.close_despite_cancellation()
            raise

    async def close(self) -> None:
        try:
            if self.sync_connection is not None:
                await super().close()
        finally:
            if self._holds_turn:
                self._holds_turn = False
                self.engine.turn.release()

    async def close_despite_cancellation(self) -> None:
        """Close (and give the turn back) even if the caller is cancelled meanwhile: the close goes on."""
        await asyncio.shield(asyncio.ensure_future(self.close()))


class _TurnTakingBegin(AsyncEngine._trans_ctx):
    async def start(self, is_ctxmanager: bool = False) -> AsyncConnection:
        try:
            return await super().start(is_ctxmanager=is_ctxmanager)
        except BaseException:
            # Cancelled or failed while BEGIN ran: `async with` calls no __aexit__ then, so the connection (and
            # the turn) would never be given back.
            await self.conn.close_despite_cancellation()
            raise


class TurnTakingEngine(AsyncEngine):
    """SQLite's one writer at a time, as an in-process queue (see SQLITE_POOL_SIZE)."""

    _connection_cls = _TurnTakingConnection

    def __init__(self, sync_engine: Any) -> None:
        super().__init__(sync_engine)
        self.turn = asyncio.Lock()

    def begin(self) -> _TurnTakingBegin:
        return _TurnTakingBegin(self.connect())


@asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that only reads. On SQLite it neither holds nor waits for the write lock, so another process
    writing meanwhile (the bot process and the web process share one file) is not made to sleep in SQLite's busy
    handler; on PostgreSQL it is an ordinary transaction. A write in it fails at once on SQLite."""
    async with engine.connect() as conn:
        await conn.execution_options(**{READ_ONLY: True})
        yield conn


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str = DEFAULT_DATABASE_URL, **options: Any) -> AsyncEngine:
    url = async_database_url(url)
    if is_sqlite(url):
        aiosqlite_fast.install()
        ensure_sqlite_directory(url)
        if make_url(url).database not in (None, "", ":memory:"):
            options.setdefault("poolclass", AsyncAdaptedQueuePool)
            options.setdefault("pool_size", SQLITE_POOL_SIZE)
            options.setdefault("max_overflow", SQLITE_MAX_OVERFLOW)
        engine = TurnTakingEngine(create_async_engine(url, future=True, **options).sync_engine)
        _configure_sqlite(engine)
        return engine
    options.setdefault("pool_size", POSTGRES_POOL_SIZE)
    options.setdefault("max_overflow", POSTGRES_MAX_OVERFLOW)
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, future=True, **options)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we emit BEGIN ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    aiosqlite_fast.listen(sync_engine)

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
            return
        # IMMEDIATE takes the write lock up front: a read-then-write transaction can otherwise fail with
        # SQLITE_BUSY without waiting (the busy timeout does not apply to lock upgrades in WAL mode).
        connection.exec_driver_sql("BEGIN IMMEDIATE")
