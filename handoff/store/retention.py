"""Which conversations the retention job deletes: no activity since the cutoff (handoff/services/retention.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import conversations, messages, tickets


async def expired_conversation_ids(conn: AsyncConnection, cutoff: datetime, limit: int) -> list[str]:
    # updated_at follows state changes only; a customer still writing keeps the conversation alive too.
    recent_message = exists().where(messages.c.conversation_id == conversations.c.id,
                                    messages.c.created_at >= cutoff)
    # A ticket someone worked on since the cutoff keeps its conversation (the transcript is its context).
    recent_ticket = exists().where(tickets.c.conversation_id == conversations.c.id, tickets.c.updated_at >= cutoff)
    query = (select(conversations.c.id).where(conversations.c.updated_at < cutoff, ~recent_message, ~recent_ticket)
             .order_by(conversations.c.updated_at).limit(limit))
    return [row.id for row in await conn.execute(query)]
