"""Queries and commands on the e-mail aggregate: outbox and attempts, Message-IDs, reply tokens, raw mails,
undeliverable addresses (2.0 style, AsyncConnection; functions never commit).

The outbox lease: a sender claims a row with a conditional UPDATE that writes its own `claim_id`; only the holder
of that claim may record the result, so two senders never both deliver a row, and a crashed sender's claim runs
out after the lease and another takes over.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import (
    conversations, mail_attempts, mail_message_ids, mail_outbox, mail_raw, mail_reply_tokens, mail_undeliverable,
    messages, tickets,
)

PENDING, SENDING, SENT, FAILED, UNDELIVERABLE = "pending", "sending", "sent", "failed", "undeliverable"
OPEN_STATUSES = (PENDING, SENDING)


# --- Outbox ---

async def insert_outbox(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(mail_outbox).values(**values))


async def due_outbox_ids(conn: AsyncConnection, now: datetime, lease_expired_before: datetime,
                         limit: int) -> list[str]:
    """Pending rows whose time has come, and rows whose sender's lease ran out (it crashed mid-delivery)."""
    result = await conn.execute(select(mail_outbox.c.id).where(or_(
        and_(mail_outbox.c.status == PENDING, mail_outbox.c.next_attempt_at <= now),
        and_(mail_outbox.c.status == SENDING, mail_outbox.c.claimed_at < lease_expired_before),
    )).order_by(mail_outbox.c.next_attempt_at).limit(limit))
    return [row.id for row in result]


async def claim_outbox(conn: AsyncConnection, outbox_id: str, claim_id: str, now: datetime,
                       lease_expired_before: datetime) -> RowMapping | None:
    """Take the lease of one row (conditional UPDATE); the row as claimed, or None when someone else has it."""
    result = await conn.execute(update(mail_outbox).where(
        mail_outbox.c.id == outbox_id,
        or_(and_(mail_outbox.c.status == PENDING, mail_outbox.c.next_attempt_at <= now),
            and_(mail_outbox.c.status == SENDING, mail_outbox.c.claimed_at < lease_expired_before)),
    ).values(status=SENDING, claim_id=claim_id, claimed_at=now, attempts=mail_outbox.c.attempts + 1))
    if result.rowcount != 1:
        return None
    return await get_outbox(conn, outbox_id)


async def get_outbox(conn: AsyncConnection, outbox_id: str) -> RowMapping | None:
    return (await conn.execute(select(mail_outbox).where(mail_outbox.c.id == outbox_id))).mappings().first()


async def finish_outbox(conn: AsyncConnection, outbox_id: str, claim_id: str, **values: Any) -> bool:
    """Record the result of the attempt holding `claim_id`; False if the lease was lost meanwhile."""
    result = await conn.execute(update(mail_outbox).where(
        mail_outbox.c.id == outbox_id, mail_outbox.c.claim_id == claim_id, mail_outbox.c.status == SENDING,
    ).values(claim_id=None, claimed_at=None, **values))
    return result.rowcount == 1


async def outbox_of_ticket(conn: AsyncConnection, ticket_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(
        mail_outbox.c.id, mail_outbox.c.article_id, mail_outbox.c.purpose, mail_outbox.c.to_address,
        mail_outbox.c.subject, mail_outbox.c.message_id, mail_outbox.c.status, mail_outbox.c.attempts,
        mail_outbox.c.next_attempt_at, mail_outbox.c.last_error, mail_outbox.c.created_at, mail_outbox.c.sent_at,
        mail_outbox.c.failed_at,
    ).where(mail_outbox.c.ticket_id == ticket_id).order_by(mail_outbox.c.created_at))
    return result.mappings().all()


async def mail_outside_tickets(conn: AsyncConnection, *, conversation_id: str | None = None,
                               to_address: str | None = None) -> Sequence[RowMapping]:
    """Mails that belong to no ticket (the chat transcripts) of a conversation or to an address, oldest first."""
    query = select(mail_outbox).where(mail_outbox.c.ticket_id.is_(None))
    if conversation_id is not None:
        query = query.where(mail_outbox.c.conversation_id == conversation_id)
    if to_address is not None:
        query = query.where(func.lower(mail_outbox.c.to_address) == to_address.lower())
    result = await conn.execute(query.order_by(mail_outbox.c.created_at))
    return result.mappings().all()


async def has_mail_of_purpose(conn: AsyncConnection, ticket_id: str, purpose: str) -> bool:
    result = await conn.execute(select(mail_outbox.c.id).where(mail_outbox.c.ticket_id == ticket_id,
                                                               mail_outbox.c.purpose == purpose).limit(1))
    return result.first() is not None


async def stop_open_mails_to(conn: AsyncConnection, address: str, now: datetime, reason: str) -> int:
    """A permanent bounce: every mail still waiting for that address stops (the one being sent finishes)."""
    result = await conn.execute(update(mail_outbox).where(
        func.lower(mail_outbox.c.to_address) == address.lower(), mail_outbox.c.status == PENDING,
    ).values(status=UNDELIVERABLE, failed_at=now, last_error=reason[:500]))
    return int(result.rowcount or 0)


async def mark_outbox_by_message_id(conn: AsyncConnection, message_id: str, now: datetime, reason: str) -> None:
    await conn.execute(update(mail_outbox).where(
        mail_outbox.c.message_id == message_id, mail_outbox.c.status.in_([SENT, PENDING])
    ).values(status=UNDELIVERABLE, failed_at=now, last_error=reason[:500]))


async def outbox_counts(conn: AsyncConnection) -> dict[str, int]:
    result = await conn.execute(select(mail_outbox.c.status, func.count()).group_by(mail_outbox.c.status))
    return {status: int(count) for status, count in result}


# --- Attempts (idempotency keys) ---

async def start_attempt(conn: AsyncConnection, attempt_id: str, outbox_id: str, now: datetime) -> None:
    await conn.execute(insert(mail_attempts).values(id=attempt_id, outbox_id=outbox_id, started_at=now))


async def finish_attempt(conn: AsyncConnection, attempt_id: str, now: datetime, outcome: str,
                         smtp_code: int | None = None, error: str | None = None) -> None:
    await conn.execute(update(mail_attempts).where(mail_attempts.c.id == attempt_id, mail_attempts.c.finished_at
                                                   .is_(None))
                       .values(finished_at=now, outcome=outcome, smtp_code=smtp_code,
                               error=(error or None) and error[:500]))


async def attempts_of(conn: AsyncConnection, outbox_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(mail_attempts).where(mail_attempts.c.outbox_id == outbox_id)
                                .order_by(mail_attempts.c.started_at))
    return result.mappings().all()


# --- Message-IDs and reply tokens (threading) ---

async def add_message_id(conn: AsyncConnection, message_id: str, ticket_id: str, direction: str,
                         now: datetime) -> None:
    exists = await conn.execute(select(mail_message_ids.c.message_id)
                                .where(mail_message_ids.c.message_id == message_id))
    if exists.first() is None:
        await conn.execute(insert(mail_message_ids).values(message_id=message_id, ticket_id=ticket_id,
                                                           direction=direction, created_at=now))


async def message_ids_of(conn: AsyncConnection, ticket_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(mail_message_ids).where(mail_message_ids.c.ticket_id == ticket_id)
                                .order_by(mail_message_ids.c.created_at))
    return result.mappings().all()


async def ticket_ids_by_message_ids(conn: AsyncConnection, message_ids: Sequence[str]) -> dict[str, str]:
    if not message_ids:
        return {}
    result = await conn.execute(select(mail_message_ids.c.message_id, mail_message_ids.c.ticket_id)
                                .where(mail_message_ids.c.message_id.in_(list(message_ids))))
    return {row.message_id: row.ticket_id for row in result}


async def token_of_ticket(conn: AsyncConnection, ticket_id: str) -> str | None:
    result = await conn.execute(select(mail_reply_tokens.c.token).where(mail_reply_tokens.c.ticket_id == ticket_id))
    return result.scalar_one_or_none()


async def insert_token(conn: AsyncConnection, token: str, ticket_id: str, now: datetime) -> None:
    await conn.execute(insert(mail_reply_tokens).values(token=token, ticket_id=ticket_id, created_at=now))


async def ticket_id_by_token(conn: AsyncConnection, token: str) -> str | None:
    result = await conn.execute(select(mail_reply_tokens.c.ticket_id).where(mail_reply_tokens.c.token == token))
    return result.scalar_one_or_none()


async def ticket_ref(conn: AsyncConnection, *, ticket_id: str | None = None,
                     number: int | None = None) -> RowMapping | None:
    query = select(tickets.c.id, tickets.c.number, tickets.c.email, tickets.c.status, tickets.c.merged_into_id)
    query = query.where(tickets.c.id == ticket_id) if ticket_id else query.where(tickets.c.number == number)
    return (await conn.execute(query)).mappings().first()


# --- Raw inbound mails ---

async def raw_exists(conn: AsyncConnection, digest: str) -> bool:
    result = await conn.execute(select(mail_raw.c.id).where(mail_raw.c.digest == digest))
    return result.first() is not None


async def insert_raw(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(mail_raw).values(**values))


async def raw_of_ticket(conn: AsyncConnection, ticket_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(mail_raw).where(mail_raw.c.ticket_id == ticket_id)
                                .order_by(mail_raw.c.received_at))
    return result.mappings().all()


async def incoming_message_id_seen(conn: AsyncConnection, message_id: str) -> bool:
    result = await conn.execute(select(mail_raw.c.id).where(mail_raw.c.message_id == message_id).limit(1))
    return result.first() is not None


# --- Undeliverable addresses ---

async def mark_undeliverable(conn: AsyncConnection, address: str, status: str, diagnostic: str,
                             ticket_id: str | None, now: datetime) -> None:
    address = address.lower()
    await conn.execute(delete(mail_undeliverable).where(mail_undeliverable.c.address == address))
    await conn.execute(insert(mail_undeliverable).values(address=address, status=status,
                                                         diagnostic=diagnostic[:500] or None, ticket_id=ticket_id,
                                                         bounced_at=now))


async def undeliverable(conn: AsyncConnection, address: str | None) -> RowMapping | None:
    if not address:
        return None
    result = await conn.execute(select(mail_undeliverable).where(mail_undeliverable.c.address == address.lower()))
    return result.mappings().first()


async def clear_undeliverable(conn: AsyncConnection, address: str) -> None:
    await conn.execute(delete(mail_undeliverable).where(mail_undeliverable.c.address == address.lower()))


# --- The conversation a transcript is sent from ---

async def customer_texts(conn: AsyncConnection, conversation_id: str) -> list[str]:
    result = await conn.execute(select(messages.c.text).where(
        messages.c.conversation_id == conversation_id, messages.c.sender_type == "customer"))
    return [row.text or "" for row in result]


async def conversation_email(conn: AsyncConnection, conversation_id: str) -> str | None:
    result = await conn.execute(select(conversations.c.customer_email).where(conversations.c.id == conversation_id))
    return result.scalar_one_or_none()


async def transcripts_sent(conn: AsyncConnection, conversation_id: str) -> int:
    result = await conn.execute(select(func.count()).select_from(mail_outbox).where(
        mail_outbox.c.conversation_id == conversation_id, mail_outbox.c.purpose == "transcript"))
    return int(result.scalar_one())


async def transcript_messages(conn: AsyncConnection, conversation_id: str) -> Sequence[RowMapping]:
    result = await conn.execute(select(
        messages.c.seq, messages.c.sender_type, messages.c.text, messages.c.created_at,
        messages.c.message_type,
    ).where(messages.c.conversation_id == conversation_id, messages.c.private.is_(False),
            messages.c.message_type != "activity").order_by(messages.c.seq))
    return result.mappings().all()


# --- Privacy: export, erasure, retention ---

async def delete_mail_of_tickets(conn: AsyncConnection, ticket_ids: Sequence[str]) -> int:
    """Everything e-mail of these tickets (SQLite enforces ON DELETE CASCADE only with foreign_keys=ON)."""
    if not ticket_ids:
        return 0
    ids = list(ticket_ids)
    outbox_ids = select(mail_outbox.c.id).where(mail_outbox.c.ticket_id.in_(ids)).scalar_subquery()
    await conn.execute(delete(mail_attempts).where(mail_attempts.c.outbox_id.in_(outbox_ids)))
    removed = 0
    for table in (mail_outbox, mail_message_ids, mail_reply_tokens, mail_raw):
        result = await conn.execute(delete(table).where(table.c.ticket_id.in_(ids)))
        removed += int(result.rowcount or 0)
    await conn.execute(update(mail_undeliverable).where(mail_undeliverable.c.ticket_id.in_(ids)).values(
        ticket_id=None))
    return removed


async def delete_mail_of_conversation(conn: AsyncConnection, conversation_id: str) -> int:
    ticket_ids = [row.id for row in await conn.execute(select(tickets.c.id).where(
        tickets.c.conversation_id == conversation_id))]
    removed = await delete_mail_of_tickets(conn, ticket_ids)
    outbox_ids = select(mail_outbox.c.id).where(mail_outbox.c.conversation_id == conversation_id).scalar_subquery()
    await conn.execute(delete(mail_attempts).where(mail_attempts.c.outbox_id.in_(outbox_ids)))
    result = await conn.execute(delete(mail_outbox).where(mail_outbox.c.conversation_id == conversation_id))
    return removed + int(result.rowcount or 0)


async def delete_mail_of_address(conn: AsyncConnection, address: str) -> int:
    """Erasure by contact: raw mails sent by the address, mails to it, and its undeliverable mark."""
    address = address.lower()
    outbox_ids = select(mail_outbox.c.id).where(func.lower(mail_outbox.c.to_address) == address).scalar_subquery()
    await conn.execute(delete(mail_attempts).where(mail_attempts.c.outbox_id.in_(outbox_ids)))
    removed = 0
    for statement in (delete(mail_outbox).where(func.lower(mail_outbox.c.to_address) == address),
                      delete(mail_raw).where(mail_raw.c.sender == address),
                      delete(mail_undeliverable).where(mail_undeliverable.c.address == address)):
        removed += int((await conn.execute(statement)).rowcount or 0)
    return removed


async def purge_unattached(conn: AsyncConnection, cutoff: datetime) -> int:
    """Retention: raw mails that never became part of a ticket (bulk, own, refused) and sent transcripts."""
    result = await conn.execute(delete(mail_raw).where(mail_raw.c.ticket_id.is_(None),
                                                       mail_raw.c.received_at < cutoff))
    removed = int(result.rowcount or 0)
    old = select(mail_outbox.c.id).where(mail_outbox.c.ticket_id.is_(None), mail_outbox.c.created_at < cutoff,
                                         mail_outbox.c.status.notin_(list(OPEN_STATUSES))).scalar_subquery()
    await conn.execute(delete(mail_attempts).where(mail_attempts.c.outbox_id.in_(old)))
    result = await conn.execute(delete(mail_outbox).where(mail_outbox.c.id.in_(old)))
    return removed + int(result.rowcount or 0)
