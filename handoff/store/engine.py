"""Async engine factory: SQLite (file, WAL) by default, PostgreSQL (asyncpg pool) by URL."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/handoff.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 20
# SQLAlchemy 1.4 gives file SQLite a NullPool: every transaction opened a new connection (a new aiosqlite thread
# and four PRAGMAs), 11 ms per transaction on the benchmark machine against 1 ms with a pooled connection.
# One connection: every transaction here begins IMMEDIATE (below), so two connections could never work at the same
# time anyway; competing for SQLite's lock made waiters sleep in SQLite's busy handler (up to 100 ms a try; reply
# p99 ~2 s at concurrency 8), while waiting for the pool's one connection is a fair async queue. Other processes
# (CLI, a second app process) still meet the busy timeout.
SQLITE_POOL_SIZE = 1
SQLITE_MAX_OVERFLOW = 0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str = DEFAULT_DATABASE_URL, **options: Any) -> AsyncEngine:
    if is_sqlite(url):
        ensure_sqlite_directory(url)
        if make_url(url).database not in (None, "", ":memory:"):
            options.setdefault("poolclass", AsyncAdaptedQueuePool)
            options.setdefault("pool_size", SQLITE_POOL_SIZE)
            options.setdefault("max_overflow", SQLITE_MAX_OVERFLOW)
        engine = create_async_engine(url, future=True, **options)
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

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write transaction can otherwise fail with
        # SQLITE_BUSY without waiting (the busy timeout does not apply to lock upgrades in WAL mode).
        connection.exec_driver_sql("BEGIN IMMEDIATE")
