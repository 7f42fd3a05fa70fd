"""CSAT: the survey offered when a conversation is resolved (the response rate's base) and the rating.

Functions take an open connection inside the caller's transaction; they never commit.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import csat, csat_surveys


async def record_survey_sent(conn: AsyncConnection, conversation_id: str, sent_at: datetime) -> bool:
    """Insert unless this conversation was offered the rating before (it can be resolved again). True if new.

    Runs in the resolving transaction after its conditional status update, which holds the conversation's row:
    no concurrent resolve of the same conversation can insert between the check and the insert.
    """
    present = await conn.execute(select(csat_surveys.c.conversation_id)
                                 .where(csat_surveys.c.conversation_id == conversation_id))
    if present.first() is not None:
        return False
    await conn.execute(csat_surveys.insert().values(conversation_id=conversation_id, sent_at=sent_at))
    return True


async def insert_csat(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(csat).values(**values))


async def csat_for(conn: AsyncConnection, conversation_id: str) -> RowMapping | None:
    result = await conn.execute(select(csat).where(csat.c.conversation_id == conversation_id))
    return result.mappings().first()
