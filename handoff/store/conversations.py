"""The conversation aggregate's root: conversations, sequence numbers, status changes, the queue, deletion.

Messages, handoffs and CSAT of a conversation have their own modules (store/messages.py, handoffs.py,
csat.py); tickets theirs (store/tickets.py). Functions take an open connection inside the caller's
transaction; they never commit.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agents, conversations, csat, handoffs, messages
from handoff.store.tickets import delete_tickets_of_conversation

# Statements of the customer turn that touch one row found by its key may run on the event loop inside the
# transaction (store/aiosqlite_fast.py, SINGLE_ROW); no effect on PostgreSQL.
ALLOCATE_SEQ = text("UPDATE conversations SET last_seq = last_seq + 1 WHERE id = :id RETURNING last_seq"
                    ).execution_options(single_row=True)


# The statements of every customer turn are built once: SQLAlchemy then finds their compiled form by a cache
# key it has already computed, where a freshly built statement costs a construction and a key (~0.3 ms each).
@lru_cache(maxsize=None)
def _select_conversation() -> Any:
    return select(conversations).where(conversations.c.id == bindparam("conversation_id")).execution_options(
        single_row=True)


@lru_cache(maxsize=None)
def _insert_conversation() -> Any:
    return insert(conversations)


@lru_cache(maxsize=None)
def _select_queued() -> Any:
    return select(conversations).where(conversations.c.status == "queued").order_by(
        conversations.c.priority.desc(), conversations.c.waiting_since, conversations.c.id)


@lru_cache(maxsize=None)
def _conversation_update(values: tuple[str, ...], with_expected_status: bool) -> Any:
    """UPDATE conversations SET <values> WHERE id (AND status IN expected), one statement per shape."""
    query = update(conversations).where(conversations.c.id == bindparam("conversation_id"))
    if with_expected_status:
        query = query.where(conversations.c.status.in_(bindparam("expected", expanding=True)))
    return query.values(**{key: bindparam(f"v_{key}") for key in values})


async def insert_conversation(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_insert_conversation(), values)


async def get_conversation(conn: AsyncConnection, conversation_id: str) -> RowMapping | None:
    result = await conn.execute(_select_conversation(), {"conversation_id": conversation_id})
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


async def queued(conn: AsyncConnection) -> Sequence[RowMapping]:
    result = await conn.execute(_select_queued())
    return result.mappings().all()


async def assigned_to(conn: AsyncConnection, agent_id: str, statuses: Sequence[str]) -> Sequence[RowMapping]:
    result = await conn.execute(select(conversations).where(
        conversations.c.assignee_id == agent_id, conversations.c.status.in_(statuses))
        .order_by(conversations.c.assigned_at))
    return result.mappings().all()


async def assignee_display_name(conn: AsyncConnection, conversation_id: str) -> str | None:
    result = await conn.execute(select(agents.c.display_name).select_from(
        conversations.join(agents, conversations.c.assignee_id == agents.c.id))
        .where(conversations.c.id == conversation_id))
    return result.scalar_one_or_none()


async def delete_conversation(conn: AsyncConnection, conversation_id: str) -> bool:
    """The conversation with everything that belongs to it: tickets, CSAT, handoffs, messages."""
    # Explicit deletes instead of relying on ON DELETE CASCADE: SQLite enforces it only with foreign_keys=ON.
    await delete_tickets_of_conversation(conn, conversation_id)
    for table in (csat, handoffs, messages):
        await conn.execute(delete(table).where(table.c.conversation_id == conversation_id))
    result = await conn.execute(delete(conversations).where(conversations.c.id == conversation_id))
    return result.rowcount == 1
