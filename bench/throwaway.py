"""Throwaway PostgreSQL databases and Redis databases for the multi-instance benchmarks; always cleaned up."""
from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from typing import Iterator

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_APP_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
# Tests use db 15; the benchmark keeps to its own database so it never touches theirs.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


async def _execute(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(os.environ.get("BENCH_POSTGRES_ADMIN_URL", POSTGRES_ADMIN_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """An empty database for the duration of the block (SQLAlchemy URL), dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_APP_URL.format(name=name)
    finally:
        asyncio.run(_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _clear_redis(url: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.close()


@contextlib.contextmanager
def throwaway_redis(url: str = BENCH_REDIS_URL) -> Iterator[str]:
    """The benchmark's Redis database, emptied before and after (presence keys of earlier runs would count)."""
    asyncio.run(_clear_redis(url))
    try:
        yield url
    finally:
        asyncio.run(_clear_redis(url))
