"""Queries and commands on conversations, messages, handoffs and CSAT (2.0 style, AsyncConnection).

Tickets have their own module, store/tickets.py.

Functions take an open connection inside the caller's transaction; they never commit.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Sequence

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agents, conversations, csat, handoffs, messages
from handoff.store.tickets import delete_tickets_of_conversation
from handoff.domain.vocabulary import CUSTOMER, INCOMING

ALLOCATE_SEQ = text("UPDATE conversations SET last_seq = last_seq + 1 WHERE id = :id RETURNING last_seq")
MESSAGE_COLUMNS = (*messages.c, agents.c.display_name.label("agent_name"))


# The statements of every customer turn are built once: SQLAlchemy then finds their compiled form by a cache key
# it has already computed, where a freshly built statement costs a construction and a key (~0.3 ms each).
_HOT_STATEMENTS = {
    "conversation": lambda: select(conversations).where(conversations.c.id == bindparam("conversation_id")),
    "message": lambda: _messages_query().where(messages.c.id == bindparam("message_id")),
    "message_by_client_id": lambda: _messages_query().where(
        messages.c.conversation_id == bindparam("conversation_id"), messages.c.client_id == bindparam("client_id")),
    "insert_message": lambda: insert(messages),
    "insert_conversation": lambda: insert(conversations),
    "insert_handoff": lambda: insert(handoffs),
    "queued": lambda: select(conversations).where(conversations.c.status == "queued").order_by(
        conversations.c.priority.desc(), conversations.c.waiting_since, conversations.c.id),
    "recent_handling": lambda: select(handoffs.c.claimed_at, handoffs.c.ended_at).where(
        handoffs.c.claimed_at.is_not(None), handoffs.c.ended_at.is_not(None)).order_by(
        handoffs.c.ended_at.desc()).limit(bindparam("limit")),
}


@lru_cache(maxsize=None)
def _statement(name: str) -> Any:
    return _HOT_STATEMENTS[name]()


@lru_cache(maxsize=None)
def _conversation_update(values: tuple[str, ...], with_expected_status: bool) -> Any:
    """UPDATE conversations SET <values> WHERE id (AND status IN expected), one statement per shape."""
    query = update(conversations).where(conversations.c.id == bindparam("conversation_id"))
    if with_expected_status:
        query = query.where(conversations.c.status.in_(bindparam("expected", expanding=True)))
    return query.values(**{key: bindparam(f"v_{key}") for key in values})


@lru_cache(maxsize=None)
def _finish_routing_statement(with_claim: bool, understanding: tuple[str, ...]) -> Any:
    query = update(messages).where(messages.c.id == bindparam("message_id"), messages.c.routed_at.is_(None))
    if with_claim:
        query = query.where(messages.c.routing_started_at == bindparam("claimed_at"))
    return query.values(routed_at=bindparam("routed_at"), **{key: bindparam(key) for key in understanding})


async def insert_conversation(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_statement("insert_conversation"), values)


async def get_conversation(conn: AsyncConnection, conversation_id: str) -> RowMapping | None:
    result = await conn.execute(_statement("conversation"), {"conversation_id": conversation_id})
    return result.mappings().first()


async def find_by_external(conn: AsyncConnection, channel: str, external_id: str) -> RowMapping | None:
    result = await conn.execute(select(conversations).where(
        conversations.c.channel == channel, conversations.c.external_id == external_id))
    return result.mappings().first()


async def allocate_seq(conn: AsyncConnection, conversation_id: str) -> int:
    """Next per-conversation sequence number; the row lock it takes serialises writers of one conversation."""
    # Textual RETURNING: SQLAlchemy 1.4's SQLite compiler refuses .returning(), SQLite >= 3.35 supports it.
    result = await conn.execute(ALLOCATE_SEQ, {"id": conversation_id})
    seq = result.scalar_one_or_none()
    if seq is None:
        raise LookupError(conversation_id)
    return int(seq)


def _values_parameters(values: dict[str, Any]) -> dict[str, Any]:
    return {f"v_{key}": value for key, value in values.items()}


async def update_conversation(conn: AsyncConnection, conversation_id: str, **values: Any) -> None:
    await conn.execute(_conversation_update(tuple(sorted(values)), False),
                       {"conversation_id": conversation_id, **_values_parameters(values)})


async def change_status_if(
    conn: AsyncConnection, conversation_id: str, expected: Iterable[str], new_status: str, **values: Any
) -> bool:
    """Conditional UPDATE: only if the status is still one of `expected`. True if this caller changed it."""
    values = {"status": new_status, **values}
    result = await conn.execute(_conversation_update(tuple(sorted(values)), True), {
        "conversation_id": conversation_id, "expected": list(expected), **_values_parameters(values)})
    return result.rowcount == 1


async def insert_message(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_statement("insert_message"), values)


def _messages_query():
    return select(*MESSAGE_COLUMNS).select_from(
        messages.outerjoin(agents, and_(messages.c.sender_id == agents.c.id, messages.c.sender_type == "agent")))


async def get_message(conn: AsyncConnection, message_id: str) -> RowMapping | None:
    result = await conn.execute(_statement("message"), {"message_id": message_id})
    return result.mappings().first()


async def find_message_by_client_id(conn: AsyncConnection, conversation_id: str, client_id: str) -> RowMapping | None:
    result = await conn.execute(_statement("message_by_client_id"),
                                {"conversation_id": conversation_id, "client_id": client_id})
    return result.mappings().first()


async def list_messages(
    conn: AsyncConnection, conversation_id: str, after_seq: int = 0, include_private: bool = False
) -> Sequence[RowMapping]:
    query = _messages_query().where(messages.c.conversation_id == conversation_id, messages.c.seq > after_seq)
    if not include_private:
        query = query.where(messages.c.private.is_(False))
    result = await conn.execute(query.order_by(messages.c.seq))
    return result.mappings().all()


async def messages_since_previous_incoming(conn: AsyncConnection, conversation_id: str,
                                           before_seq: int) -> Sequence[RowMapping]:
    """The public messages between the customer's previous message and the one at `before_seq`.

    The REST channel answers with the agent messages written in between; reading only these (the previous customer
    message is found by a backward index scan on (conversation_id, seq)) keeps a turn's cost independent of the
    conversation's length, where the whole transcript was read before.
    """
    previous = (select(messages.c.seq)
                .where(messages.c.conversation_id == conversation_id, messages.c.seq < before_seq,
                       messages.c.message_type == INCOMING)
                .order_by(messages.c.seq.desc()).limit(1).scalar_subquery())
    query = _messages_query().where(messages.c.conversation_id == conversation_id,
                                    messages.c.seq > func.coalesce(previous, 0), messages.c.seq < before_seq,
                                    messages.c.private.is_(False))
    result = await conn.execute(query.order_by(messages.c.seq))
    return result.mappings().all()


async def first_customer_messages(conn: AsyncConnection, conversation_ids: Sequence[str]) -> dict[str, str]:
    if not conversation_ids:
        return {}
    first_seq = (select(messages.c.conversation_id, func.min(messages.c.seq).label("seq"))
                 .where(messages.c.conversation_id.in_(conversation_ids), messages.c.sender_type == CUSTOMER)
                 .group_by(messages.c.conversation_id).subquery())
    result = await conn.execute(select(messages.c.conversation_id, messages.c.text).join(
        first_seq, and_(messages.c.conversation_id == first_seq.c.conversation_id,
                        messages.c.seq == first_seq.c.seq)))
    return {row.conversation_id: row.text for row in result}


async def insert_handoff(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_statement("insert_handoff"), values)


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


async def update_open_handoff(conn: AsyncConnection, conversation_id: str, **values: Any) -> None:
    await conn.execute(update(handoffs).where(
        handoffs.c.conversation_id == conversation_id, handoffs.c.ended_at.is_(None)).values(**values))


async def recent_handling_seconds(conn: AsyncConnection, limit: int = 20) -> list[float]:
    """How long agents needed for their latest finished handoffs (claim to end)."""
    result = await conn.execute(_statement("recent_handling"), {"limit": limit})
    return [(ended - claimed).total_seconds() for claimed, ended in result]


async def queued(conn: AsyncConnection) -> Sequence[RowMapping]:
    result = await conn.execute(_statement("queued"))
    return result.mappings().all()


async def assigned_to(conn: AsyncConnection, agent_id: str, statuses: Sequence[str]) -> Sequence[RowMapping]:
    result = await conn.execute(select(conversations).where(
        conversations.c.assignee_id == agent_id, conversations.c.status.in_(statuses))
        .order_by(conversations.c.assigned_at))
    return result.mappings().all()


async def insert_csat(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(csat).values(**values))


async def csat_for(conn: AsyncConnection, conversation_id: str) -> RowMapping | None:
    result = await conn.execute(select(csat).where(csat.c.conversation_id == conversation_id))
    return result.mappings().first()


async def handoffs_for(conn: AsyncConnection, conversation_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(handoffs).where(handoffs.c.conversation_id == conversation_id)
                                .order_by(handoffs.c.requested_at))
    return result.mappings().all()


async def delete_conversation(conn: AsyncConnection, conversation_id: str) -> bool:
    # Explicit deletes instead of relying on ON DELETE CASCADE: SQLite enforces it only with foreign_keys=ON.
    await delete_tickets_of_conversation(conn, conversation_id)
    for table in (csat, handoffs, messages):
        await conn.execute(delete(table).where(table.c.conversation_id == conversation_id))
    result = await conn.execute(delete(conversations).where(conversations.c.id == conversation_id))
    return result.rowcount == 1


# --- Bot routing of customer messages (revision 0003): a claim, then the fact that routing ended. ---

async def claim_routing(conn: AsyncConnection, message_id: str, now: Any, stale_before: Any) -> bool:
    """Conditional UPDATE: take the message for routing unless routed or claimed since `stale_before`."""
    result = await conn.execute(update(messages).where(
        messages.c.id == message_id, messages.c.routed_at.is_(None),
        or_(messages.c.routing_started_at.is_(None), messages.c.routing_started_at < stale_before),
    ).values(routing_started_at=now))
    return result.rowcount == 1


async def finish_routing(conn: AsyncConnection, message_id: str, now: Any, claimed_at: Any | None = None,
                         **understanding: Any) -> bool:
    """Set routed_at (and what the bot understood: intent, confidence, tone); with `claimed_at`, only while that
    claim is still the message's (not taken over since)."""
    statement = _finish_routing_statement(claimed_at is not None, tuple(sorted(understanding)))
    result = await conn.execute(statement, {"message_id": message_id, "claimed_at": claimed_at, "routed_at": now,
                                            **understanding})
    return result.rowcount == 1


async def unrouted_customer_messages(conn: AsyncConnection, stale_before: Any, limit: int) -> Sequence[RowMapping]:
    """Customer messages stored before `stale_before` whose routing never ended and whose claim (if any) is stale."""
    result = await conn.execute(_messages_query().where(
        messages.c.message_type == INCOMING, messages.c.routed_at.is_(None),
        messages.c.created_at < stale_before,
        or_(messages.c.routing_started_at.is_(None), messages.c.routing_started_at < stale_before),
    ).order_by(messages.c.created_at, messages.c.conversation_id, messages.c.seq).limit(limit))
    return result.mappings().all()


async def assignee_display_name(conn: AsyncConnection, conversation_id: str) -> str | None:
    result = await conn.execute(select(agents.c.display_name).select_from(
        conversations.join(agents, conversations.c.assignee_id == agents.c.id))
        .where(conversations.c.id == conversation_id))
    return result.scalar_one_or_none()
