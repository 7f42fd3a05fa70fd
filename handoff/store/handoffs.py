"""Handoffs of a conversation to a person: requested, claimed, ended; and how long agents needed recently.

Functions take an open connection inside the caller's transaction; they never commit.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import handoffs


# Built once (like the turn's statements in store/conversations.py): read or written on every handoff.
@lru_cache(maxsize=None)
def _insert_handoff() -> Any:
    return insert(handoffs)


@lru_cache(maxsize=None)
def _select_recent_handling() -> Any:
    return select(handoffs.c.claimed_at, handoffs.c.ended_at).where(
        handoffs.c.claimed_at.is_not(None), handoffs.c.ended_at.is_not(None)).order_by(
        handoffs.c.ended_at.desc()).limit(bindparam("limit"))


async def insert_handoff(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_insert_handoff(), values)


async def open_handoff(conn: AsyncConnection, conversation_id: str) -> RowMapping | None:
    result = await conn.execute(select(handoffs).where(
        handoffs.c.conversation_id == conversation_id, handoffs.c.ended_at.is_(None))
        .order_by(handoffs.c.requested_at.desc()).limit(1))
    return result.mappings().first()


async def latest_handoffs(conn: AsyncConnection, conversation_ids: Sequence[str]) -> dict[str, RowMapping]:
    """The most recent handoff per conversation."""
    if not conversation_ids:
        return {}
    result = await conn.execute(select(handoffs).where(handoffs.c.conversation_id.in_(conversation_ids))
                                .order_by(handoffs.c.requested_at))
    return {row["conversation_id"]: row for row in result.mappings().all()}


async def handoffs_for(conn: AsyncConnection, conversation_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(handoffs).where(handoffs.c.conversation_id == conversation_id)
                                .order_by(handoffs.c.requested_at))
    return result.mappings().all()


async def update_open_handoff(conn: AsyncConnection, conversation_id: str, **values: Any) -> None:
    await conn.execute(update(handoffs).where(
        handoffs.c.conversation_id == conversation_id, handoffs.c.ended_at.is_(None)).values(**values))


async def recent_handling_seconds(conn: AsyncConnection, limit: int = 20) -> list[float]:
    """How long agents needed for their latest finished handoffs (claim to end)."""
    result = await conn.execute(_select_recent_handling(), {"limit": limit})
    return [(ended - claimed).total_seconds() for claimed, ended in result]
