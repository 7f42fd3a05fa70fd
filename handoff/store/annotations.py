"""Queries and commands on trainers' annotations of customer messages (the trainer loop, docs/training.md)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import annotations


async def is_annotated(conn: AsyncConnection, message_id: str) -> bool:
    result = await conn.execute(select(annotations.c.id).where(annotations.c.message_id == message_id))
    return result.first() is not None


async def insert_annotation(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(annotations).values(**values))


async def not_exported(conn: AsyncConnection, except_action: str) -> Sequence[RowMapping]:
    """Annotations not exported yet (but those of `except_action`), oldest first."""
    result = await conn.execute(
        select(annotations).where(annotations.c.action != except_action, annotations.c.exported_at.is_(None))
        .order_by(annotations.c.annotated_at))
    return result.mappings().all()


async def mark_exported(conn: AsyncConnection, annotation_ids: Sequence[str], now: datetime) -> None:
    await conn.execute(update(annotations).where(annotations.c.id.in_(list(annotation_ids))).values(exported_at=now))
