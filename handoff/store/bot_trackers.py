"""Rasa trackers the bot process's in-memory store let go, kept until their conversation goes on (issue 18)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import bot_trackers

SLICE = 500


async def keep_all(conn: AsyncConnection, trackers: dict[str, str], kept_at: datetime) -> None:
    """Store (or replace) several serialised trackers at once (in slices: SQLite caps the parameters)."""
    items = list(trackers.items())
    for start in range(0, len(items), SLICE):
        part = items[start:start + SLICE]
        await conn.execute(delete(bot_trackers).where(bot_trackers.c.sender_id.in_([key for key, _ in part])))
        await conn.execute(bot_trackers.insert(), [{"sender_id": sender_id, "tracker": tracker, "kept_at": kept_at}
                                                  for sender_id, tracker in part])


async def is_kept(conn: AsyncConnection, sender_id: str) -> bool:
    return (await conn.execute(select(bot_trackers.c.sender_id)
                               .where(bot_trackers.c.sender_id == sender_id))).first() is not None


async def take(conn: AsyncConnection, sender_id: str) -> str | None:
    """The kept tracker of one conversation, removed from here (memory holds it again), or None."""
    row = (await conn.execute(select(bot_trackers.c.tracker)
                              .where(bot_trackers.c.sender_id == sender_id))).first()
    if row is None:
        return None
    await conn.execute(delete(bot_trackers).where(bot_trackers.c.sender_id == sender_id))
    return row.tracker


async def forget(conn: AsyncConnection, sender_id: str) -> None:
    await conn.execute(delete(bot_trackers).where(bot_trackers.c.sender_id == sender_id))


async def count(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(bot_trackers))).scalar_one())
