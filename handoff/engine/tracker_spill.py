"""The `bot_trackers` table as the bot's TrackerSpill: where trackers that leave the bot's memory are kept."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from handoff.store import bot_trackers


class DatabaseTrackerSpill:
    def __init__(self, database: AsyncEngine,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.database = database
        self.clock = clock

    async def keep(self, sender_id: str, tracker: str) -> None:
        async with self.database.begin() as conn:
            await bot_trackers.keep(conn, sender_id, tracker, self.clock())

    async def take(self, sender_id: str) -> str | None:
        async with self.database.begin() as conn:
            return await bot_trackers.take(conn, sender_id)

    async def forget(self, sender_id: str) -> None:
        async with self.database.begin() as conn:
            await bot_trackers.forget(conn, sender_id)

    async def close(self) -> None:
        await self.database.dispose()
