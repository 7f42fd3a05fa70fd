"""Queries and commands on tickets and their articles (2.0 style, AsyncConnection).

Functions take an open connection inside the caller's transaction; they never commit. Status changes are
conditional UPDATEs (WHERE status IN the table's sources), so two agents acting at once cannot both win.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agents, ticket_articles, ticket_counter, tickets

ALLOCATE_ARTICLE_SEQ = text(
    "UPDATE tickets SET last_article_seq = last_article_seq + 1 WHERE id = :id RETURNING last_article_seq")
ALLOCATE_NUMBER = text("UPDATE ticket_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number")
OWNER_NAME = agents.c.display_name.label("owner_name")
AUTHOR_NAME = agents.c.display_name.label("agent_name")


async def allocate_number(conn: AsyncConnection) -> int:
    """The next ticket number; the row lock serialises concurrent creations (the counter row exists from 0004)."""
    result = await conn.execute(ALLOCATE_NUMBER)
    number = result.scalar_one_or_none()
    if number is None:   # a database created from tables.py without the migration's seed row
        await conn.execute(insert(ticket_counter).values(id=1, last_number=1))
        return 1
    return int(number)


async def insert_ticket(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(tickets).values(**values))


def _with_owner():
    return select(tickets, OWNER_NAME).select_from(tickets.outerjoin(agents, tickets.c.owner_id == agents.c.id))


# Built once: the widget asks on every customer message whether a ticket of the conversation takes the reply
# (services/tickets.py), and building the statement cost more than running it. The few rows of one conversation,
# found by index: on SQLite it may run on the event loop inside the turn's transaction (store/aiosqlite_fast.py).
_OF_CONVERSATION = (_with_owner().where(tickets.c.conversation_id == bindparam("conversation_id"))
                    .order_by(tickets.c.created_at, tickets.c.number).execution_options(single_row=True))
_OF_CONVERSATION_IN_STATUSES = _OF_CONVERSATION.where(tickets.c.status.in_(bindparam("statuses", expanding=True)))


async def get_ticket(conn: AsyncConnection, ticket_id: str) -> RowMapping | None:
    result = await conn.execute(_with_owner().where(tickets.c.id == ticket_id))
    return result.mappings().first()


async def get_by_number(conn: AsyncConnection, number: int) -> RowMapping | None:
    result = await conn.execute(_with_owner().where(tickets.c.number == number))
    return result.mappings().first()


async def list_tickets(conn: AsyncConnection, *, statuses: Sequence[str] | None = None, kind: str | None = None,
                       owner_id: str | None = None, unowned: bool = False, limit: int = 500) -> Sequence[RowMapping]:
    """Filtered list; ordered by the earliest due time first, tickets without one after, oldest first."""
    query = _with_owner()
    if statuses:
        query = query.where(tickets.c.status.in_(list(statuses)))
    if kind:
        query = query.where(tickets.c.kind == kind)
    if unowned:
        query = query.where(tickets.c.owner_id.is_(None))
    elif owner_id:
        query = query.where(tickets.c.owner_id == owner_id)
    result = await conn.execute(query.order_by(tickets.c.created_at.desc(), tickets.c.number.desc()).limit(limit))
    return result.mappings().all()


async def counts(conn: AsyncConnection, column_name: str,
                 statuses: Sequence[str] | None = None) -> dict[str | None, int]:
    column = tickets.c[column_name]
    query = select(column, func.count()).group_by(column)
    if statuses:
        query = query.where(tickets.c.status.in_(list(statuses)))
    return {key: int(count) for key, count in await conn.execute(query)}


async def update_ticket(conn: AsyncConnection, ticket_id: str, **values: Any) -> None:
    await conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(**values))


async def change_status_if(conn: AsyncConnection, ticket_id: str, expected: Iterable[str], **values: Any) -> bool:
    """Conditional UPDATE: only while the status is still one of `expected`. True if this caller changed it."""
    result = await conn.execute(update(tickets).where(
        tickets.c.id == ticket_id, tickets.c.status.in_(list(expected))).values(**values))
    return result.rowcount == 1


async def claim_if_unowned(conn: AsyncConnection, ticket_id: str, agent_id: str, expected: Iterable[str],
                           **values: Any) -> bool:
    """Exactly one winner: the owner is set only while there is none and the status allows a claim."""
    result = await conn.execute(update(tickets).where(
        tickets.c.id == ticket_id, tickets.c.owner_id.is_(None), tickets.c.status.in_(list(expected)),
    ).values(owner_id=agent_id, **values))
    return result.rowcount == 1


async def tickets_of_conversation(conn: AsyncConnection, conversation_id: str,
                                  statuses: Sequence[str] | None = None) -> Sequence[RowMapping]:
    if statuses:
        result = await conn.execute(_OF_CONVERSATION_IN_STATUSES,
                                    {"conversation_id": conversation_id, "statuses": list(statuses)})
    else:
        result = await conn.execute(_OF_CONVERSATION, {"conversation_id": conversation_id})
    return result.mappings().all()


async def newest_of_kind(conn: AsyncConnection, conversation_id: str, kinds: Sequence[str]) -> RowMapping | None:
    result = await conn.execute(_with_owner().where(
        tickets.c.conversation_id == conversation_id, tickets.c.kind.in_(list(kinds)))
        .order_by(tickets.c.created_at.desc(), tickets.c.number.desc()).limit(1))
    return result.mappings().first()


async def due_reminders(conn: AsyncConnection, now: datetime, limit: int) -> Sequence[RowMapping]:
    result = await conn.execute(select(tickets).where(
        tickets.c.status == "pending", tickets.c.pending_until <= now).order_by(tickets.c.pending_until).limit(limit))
    return result.mappings().all()


async def solved_before(conn: AsyncConnection, cutoff: datetime, limit: int) -> Sequence[RowMapping]:
    result = await conn.execute(select(tickets).where(
        tickets.c.status == "solved", tickets.c.solved_at <= cutoff).order_by(tickets.c.solved_at).limit(limit))
    return result.mappings().all()


async def watched_due(conn: AsyncConnection, statuses: Sequence[str]) -> Sequence[RowMapping]:
    """The due-time facts of every ticket whose due times are watched (for the header's counts)."""
    result = await conn.execute(select(
        tickets.c.id, tickets.c.status, tickets.c.owner_id, tickets.c.first_response_at,
        tickets.c.first_response_due_at, tickets.c.solution_due_at).where(tickets.c.status.in_(list(statuses))))
    return result.mappings().all()


# --- Articles ---

async def insert_article(conn: AsyncConnection, values: dict[str, Any]) -> int:
    """Insert with the ticket's next seq (the row lock orders concurrent writers of one ticket); returns the seq."""
    seq = (await conn.execute(ALLOCATE_ARTICLE_SEQ, {"id": values["ticket_id"]})).scalar_one()
    await conn.execute(insert(ticket_articles).values(**values, seq=seq))
    return int(seq)


async def update_article_meta(conn: AsyncConnection, article_id: str, meta: dict[str, Any]) -> None:
    await conn.execute(update(ticket_articles).where(ticket_articles.c.id == article_id).values(meta=meta))


async def articles_of(conn: AsyncConnection, ticket_id: str,
                      kinds: Sequence[str] | None = None) -> Sequence[RowMapping]:
    query = select(ticket_articles).where(ticket_articles.c.ticket_id == ticket_id)
    if kinds:
        query = query.where(ticket_articles.c.kind.in_(list(kinds)))
    result = await conn.execute(query.order_by(ticket_articles.c.seq))
    return result.mappings().all()


async def move_articles(conn: AsyncConnection, from_ticket_id: str, to_ticket_id: str) -> int:
    """Append the history of one ticket to another's (merge), after the articles the target already has."""
    moved = (await conn.execute(select(tickets.c.last_article_seq).where(tickets.c.id == from_ticket_id))).scalar_one()
    offset = (await conn.execute(text(
        "UPDATE tickets SET last_article_seq = last_article_seq + :moved WHERE id = :id RETURNING last_article_seq"),
        {"moved": moved, "id": to_ticket_id})).scalar_one() - moved
    result = await conn.execute(update(ticket_articles).where(ticket_articles.c.ticket_id == from_ticket_id)
                                .values(ticket_id=to_ticket_id, seq=ticket_articles.c.seq + offset))
    await conn.execute(update(tickets).where(tickets.c.id == from_ticket_id).values(last_article_seq=0))
    return int(result.rowcount or 0)


# --- Privacy: export and erasure ---

async def tickets_for_contact(conn: AsyncConnection, email: str) -> Sequence[RowMapping]:
    result = await conn.execute(_with_owner().where(func.lower(tickets.c.email) == email.lower())
                                .order_by(tickets.c.created_at))
    return result.mappings().all()


async def delete_tickets_of_conversation(conn: AsyncConnection, conversation_id: str) -> int:
    ids = select(tickets.c.id).where(tickets.c.conversation_id == conversation_id).scalar_subquery()
    # Explicit: SQLite enforces ON DELETE CASCADE only with foreign_keys=ON.
    await conn.execute(delete(ticket_articles).where(ticket_articles.c.ticket_id.in_(ids)))
    result = await conn.execute(delete(tickets).where(tickets.c.conversation_id == conversation_id))
    return int(result.rowcount or 0)


async def delete_ticket(conn: AsyncConnection, ticket_id: str) -> bool:
    await conn.execute(delete(ticket_articles).where(ticket_articles.c.ticket_id == ticket_id))
    result = await conn.execute(delete(tickets).where(tickets.c.id == ticket_id))
    return result.rowcount == 1


async def expired_ticket_ids(conn: AsyncConnection, cutoff: datetime, limit: int) -> list[str]:
    """Tickets without a conversation (e-mail) untouched since `cutoff`: retention deletes them. (A ticket of a
    conversation goes with its conversation, which a recently worked ticket keeps alive: store/retention.py.)"""
    result = await conn.execute(select(tickets.c.id).where(
        tickets.c.conversation_id.is_(None), tickets.c.updated_at < cutoff)
        .order_by(tickets.c.updated_at).limit(limit))
    return [row.id for row in result]
