"""Rasa trackers the bot process's in-memory store let go, kept until their conversation goes on (issue 18)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import bot_trackers


async def keep(conn: AsyncConnection, sender_id: str, tracker: str, kept_at: datetime) -> None:
    """Store (or replace) one serialised tracker."""
    await conn.execute(delete(bot_trackers).where(bot_trackers.c.sender_id == sender_id))
    await conn.execute(bot_trackers.insert().values(sender_id=sender_id, tracker=tracker, kept_at=kept_at))


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
