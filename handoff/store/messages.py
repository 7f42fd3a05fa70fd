"""A conversation's messages: storing, reading (with the agent's name), and the bot's routing claim on each.

Functions take an open connection inside the caller's transaction; they never commit.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.vocabulary import CUSTOMER, INCOMING
from handoff.store.tables import agents, messages

MESSAGE_COLUMNS = (*messages.c, agents.c.display_name.label("agent_name"))


def _messages_query():
    return select(*MESSAGE_COLUMNS).select_from(
        messages.outerjoin(agents, and_(messages.c.sender_id == agents.c.id,
                                        messages.c.sender_type == "agent")))


# The statements of every customer turn are built once: SQLAlchemy then finds their compiled form by a cache
# key it has already computed, where a freshly built statement costs a construction and a key (~0.3 ms each).
@lru_cache(maxsize=None)
def _insert_message() -> Any:
    return insert(messages).execution_options(single_row=True)   # one row (store/aiosqlite_fast.py)


@lru_cache(maxsize=None)
def _select_message() -> Any:
    return _messages_query().where(messages.c.id == bindparam("message_id")).execution_options(
        single_row=True)


@lru_cache(maxsize=None)
def _select_message_by_client_id() -> Any:
    return _messages_query().where(messages.c.conversation_id == bindparam("conversation_id"),   # unique pair
                                   messages.c.client_id == bindparam("client_id")
                                   ).execution_options(single_row=True)


@lru_cache(maxsize=None)
def _finish_routing_statement(with_claim: bool, understanding: tuple[str, ...]) -> Any:
    query = update(messages).where(messages.c.id == bindparam("message_id"), messages.c.routed_at.is_(None))
    if with_claim:
        query = query.where(messages.c.routing_started_at == bindparam("claimed_at"))
    return query.values(routed_at=bindparam("routed_at"), **{key: bindparam(key) for key in understanding}
                        ).execution_options(single_row=True)


async def insert_message(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_insert_message(), values)


async def get_message(conn: AsyncConnection, message_id: str) -> RowMapping | None:
    result = await conn.execute(_select_message(), {"message_id": message_id})
    return result.mappings().first()


async def find_message_by_client_id(conn: AsyncConnection, conversation_id: str,
                                    client_id: str) -> RowMapping | None:
    result = await conn.execute(_select_message_by_client_id(),
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

    The REST channel answers with the agent messages written in between; reading only these (the previous
    customer message is found by a backward index scan on (conversation_id, seq)) keeps a turn's cost
    independent of the conversation's length, where the whole transcript was read before.
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
    """Set routed_at (and what the bot understood: intent, confidence, tone); with `claimed_at`, only while
    that claim is still the message's (not taken over since)."""
    statement = _finish_routing_statement(claimed_at is not None, tuple(sorted(understanding)))
    result = await conn.execute(statement, {"message_id": message_id, "claimed_at": claimed_at,
                                            "routed_at": now, **understanding})
    return result.rowcount == 1


async def unrouted_customer_messages(conn: AsyncConnection, stale_before: Any,
                                     limit: int) -> Sequence[RowMapping]:
    """Customer messages stored before `stale_before` whose routing never ended and whose claim (if any) is
    stale."""
    result = await conn.execute(_messages_query().where(
        messages.c.message_type == INCOMING, messages.c.routed_at.is_(None),
        messages.c.created_at < stale_before,
        or_(messages.c.routing_started_at.is_(None), messages.c.routing_started_at < stale_before),
    ).order_by(messages.c.created_at, messages.c.conversation_id, messages.c.seq).limit(limit))
    return result.mappings().all()
