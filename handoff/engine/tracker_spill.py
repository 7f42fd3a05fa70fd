"""The `bot_trackers` table as the bot's TrackerSpill: where trackers that leave the bot's memory are kept."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from handoff.store import bot_trackers
from handoff.store.database import reading


class DatabaseTrackerSpill:
    def __init__(self, database: AsyncEngine,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.database = database
        self.clock = clock

    async def keep_all(self, trackers: dict[str, str]) -> None:
        async with self.database.begin() as conn:
            await bot_trackers.keep_all(conn, trackers, self.clock())

    async def take(self, sender_id: str) -> str | None:
        # Asked for every conversation new to the bot's memory, nearly always a new one: a read first, so that
        # the bot process takes SQLite's write lock (which the web process's every turn needs) only to take a
        # tracker that is there. Without it the two processes met in SQLite's busy handler, which sleeps.
        async with reading(self.database) as conn:
            if not await bot_trackers.is_kept(conn, sender_id):
                return None
        async with self.database.begin() as conn:
            return await bot_trackers.take(conn, sender_id)

    async def forget(self, sender_id: str) -> None:
        async with self.database.begin() as conn:
            await bot_trackers.forget(conn, sender_id)

    async def close(self) -> None:
        await self.database.dispose()
