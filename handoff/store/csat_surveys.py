"""The CSAT survey as a fact: the first time a conversation was offered the rating (the response rate's base)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import csat_surveys


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
