"""Queries and commands on goodwill grants (2.0 style, AsyncConnection, inside the caller's transaction).

Amounts are integer cents; sums are done by the database over integers.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agents, conversations, goodwill_grants, tickets


async def lock_case_and_agent(conn: AsyncConnection, conversation_id: str | None, ticket_id: str | None,
                              agent_id: str) -> None:
    """Serialise grants on one case and by one agent: row locks, always case before agent (no lock cycles).

    PostgreSQL takes them with SELECT ... FOR UPDATE; the totals read afterwards (READ COMMITTED) include every
    grant committed by whoever held the lock before. SQLite renders no FOR UPDATE and needs none: every transaction
    holds the write lock from BEGIN IMMEDIATE (store/database.py).
    """
    if conversation_id is not None:
        await conn.execute(select(conversations.c.id).where(conversations.c.id == conversation_id).with_for_update())
    if ticket_id is not None:
        await conn.execute(select(tickets.c.id).where(tickets.c.id == ticket_id).with_for_update())
    await conn.execute(select(agents.c.id).where(agents.c.id == agent_id).with_for_update())


async def case_total(conn: AsyncConnection, kind: str, conversation_id: str | None, ticket_id: str | None,
                     statuses: Iterable[str]) -> int:
    """Cents of `kind` in these statuses on the case: the conversation with its tickets, or the ticket."""
    links = []
    if conversation_id is not None:
        links.append(goodwill_grants.c.conversation_id == conversation_id)
    if ticket_id is not None:
        links.append(goodwill_grants.c.ticket_id == ticket_id)
    if not links:
        return 0
    result = await conn.execute(select(func.coalesce(func.sum(goodwill_grants.c.amount_cents), 0)).where(
        goodwill_grants.c.kind == kind, goodwill_grants.c.status.in_(list(statuses)), or_(*links)))
    return int(result.scalar_one())


async def agent_total(conn: AsyncConnection, kind: str | None, agent_id: str, since: datetime,
                      statuses: Iterable[str]) -> int:
    query = select(func.coalesce(func.sum(goodwill_grants.c.amount_cents), 0)).where(
        goodwill_grants.c.agent_id == agent_id, goodwill_grants.c.created_at >= since,
        goodwill_grants.c.status.in_(list(statuses)))
    if kind is not None:
        query = query.where(goodwill_grants.c.kind == kind)
    return int((await conn.execute(query)).scalar_one())


async def agent_totals_by_kind(conn: AsyncConnection, agent_id: str, since: datetime,
                               statuses: Iterable[str]) -> dict[str, int]:
    result = await conn.execute(
        select(goodwill_grants.c.kind, func.sum(goodwill_grants.c.amount_cents)).where(
            goodwill_grants.c.agent_id == agent_id, goodwill_grants.c.created_at >= since,
            goodwill_grants.c.status.in_(list(statuses))).group_by(goodwill_grants.c.kind))
    return {kind: int(total) for kind, total in result}


async def insert_grant(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(goodwill_grants).values(**values))


async def get_grant(conn: AsyncConnection, grant_id: str) -> RowMapping | None:
    result = await conn.execute(select(goodwill_grants, tickets.c.number.label("ticket_number"))
                                .select_from(goodwill_grants.outerjoin(tickets,
                                                                       tickets.c.id == goodwill_grants.c.ticket_id))
                                .where(goodwill_grants.c.id == grant_id))
    return result.mappings().first()


async def list_grants(conn: AsyncConnection, *, status: str | None = None, conversation_id: str | None = None,
                      ticket_id: str | None = None, agent_id: str | None = None,
                      limit: int = 200) -> Sequence[RowMapping]:
    query = (select(goodwill_grants, tickets.c.number.label("ticket_number"))
             .select_from(goodwill_grants.outerjoin(tickets, tickets.c.id == goodwill_grants.c.ticket_id)))
    if status:
        query = query.where(goodwill_grants.c.status == status)
    if conversation_id and ticket_id:
        query = query.where(or_(goodwill_grants.c.conversation_id == conversation_id,
                                goodwill_grants.c.ticket_id == ticket_id))
    elif conversation_id:
        query = query.where(goodwill_grants.c.conversation_id == conversation_id)
    elif ticket_id:
        query = query.where(goodwill_grants.c.ticket_id == ticket_id)
    if agent_id:
        query = query.where(goodwill_grants.c.agent_id == agent_id)
    result = await conn.execute(query.order_by(goodwill_grants.c.created_at.desc(), goodwill_grants.c.id)
                                .limit(limit))
    return result.mappings().all()


async def decide_if(conn: AsyncConnection, grant_id: str, expected_status: str, **values: Any) -> bool:
    """Conditional UPDATE: only while the grant is still `expected_status` (one decision wins)."""
    result = await conn.execute(update(goodwill_grants).where(
        goodwill_grants.c.id == grant_id, goodwill_grants.c.status == expected_status).values(**values))
    return result.rowcount == 1


async def grants_of_conversation(conn: AsyncConnection, conversation_id: str) -> Sequence[RowMapping]:
    """For the privacy export: every grant linked to the conversation or one of its tickets."""
    own_tickets = select(tickets.c.id).where(tickets.c.conversation_id == conversation_id)
    result = await conn.execute(select(goodwill_grants).where(or_(
        goodwill_grants.c.conversation_id == conversation_id, goodwill_grants.c.ticket_id.in_(own_tickets)))
        .order_by(goodwill_grants.c.created_at))
    return result.mappings().all()


async def totals(conn: AsyncConnection, since: datetime, until: datetime) -> Sequence[RowMapping]:
    """Per kind, status and agent: how many grants and how many cents were created in [since, until) (reports)."""
    result = await conn.execute(
        select(goodwill_grants.c.kind, goodwill_grants.c.status, goodwill_grants.c.agent_id,
               goodwill_grants.c.agent_name, func.count().label("count"),
               func.sum(goodwill_grants.c.amount_cents).label("cents"))
        .where(goodwill_grants.c.created_at >= since, goodwill_grants.c.created_at < until)
        .group_by(goodwill_grants.c.kind, goodwill_grants.c.status, goodwill_grants.c.agent_id,
                  goodwill_grants.c.agent_name)
        .order_by(goodwill_grants.c.kind, goodwill_grants.c.status, goodwill_grants.c.agent_name))
    return result.mappings().all()
