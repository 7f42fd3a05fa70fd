"""Work the shared stores do per answered message in the production topology: Redis commands and PostgreSQL
transactions, counted by the servers themselves.

Redis: `INFO commandstats` is server-wide (all databases), so the figure also counts any other client of the same
Redis during the window; the report says so, and the reported run is made on a quiet machine. PostgreSQL:
`pg_stat_database` of the benchmark's own throwaway database (transactions and rows fetched), which no other
client uses. PostgreSQL publishes its statistics with a delay of up to a second (`stats_fetch_consistency`), so the
snapshot forces a fresh read with `pg_stat_clear_snapshot()`.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class StoreCounters:
    database_url: str | None = None
    redis_url: str | None = None

    def snapshot(self) -> dict[str, int]:
        return asyncio.run(self._snapshot())

    async def _snapshot(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.redis_url:
            counts["redis_commands"] = await redis_commands(self.redis_url)
        if self.database_url:
            counts.update(await postgres_counts(self.database_url))
        return counts


async def redis_commands(url: str) -> int:
    import redis.asyncio as aioredis

    client = aioredis.from_url(url)
    try:
        stats = await client.info("commandstats")
    finally:
        await client.close()
    # The INFO call itself is one command per snapshot; it is subtracted by the caller's delta being over many.
    return sum(int(entry["calls"]) for entry in stats.values())


async def postgres_counts(database_url: str) -> dict[str, int]:
    import asyncpg

    url = make_url(database_url)
    connection = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                       password=url.password, database="postgres")
    try:
        await connection.execute("SELECT pg_stat_clear_snapshot()")
        row = await connection.fetchrow(
            "SELECT xact_commit + xact_rollback AS transactions, tup_fetched, tup_inserted + tup_updated + "
            "tup_deleted AS rows_written FROM pg_stat_database WHERE datname = $1", url.database)
    finally:
        await connection.close()
    return {"pg_transactions": int(row["transactions"]), "pg_rows_fetched": int(row["tup_fetched"]),
            "pg_rows_written": int(row["rows_written"])} if row else {}


def per_message(before: dict[str, int], after: dict[str, int], messages: int) -> dict[str, Any]:
    """Each counter's increase over the window, divided by the messages answered in it."""
    if not messages:
        return {}
    return {f"{name}_per_message": round((after[name] - before[name]) / messages, 2)
            for name in before if name in after}
