"""The report facts (revision 0010): which conversations changed, what they are made of, and writing their facts.

handoff/services/report_facts.py decides what to refresh; handoff/domain/report_facts.py derives the facts.
Functions take an open connection inside the caller's transaction; they never commit.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import delete, func, insert, select, text, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.report_facts import (
    TONE_LABELS, ConversationFacts, ConversationRecord, CustomerMessage, DayKey, DayTotals, HandoffFacts,
    HandoffRecord,
)
from handoff.domain.vocabulary import AGENT, CUSTOMER, OUTGOING
from handoff.store.tables import (
    conversations, handoffs, messages, report_conversation_days, report_conversations, report_days,
    report_dirty_days, report_handoff_days, report_handoffs, report_state, tickets,
)

STATE_KEY = "refresh"
# Any number: the advisory lock that lets one refresh at a time run on PostgreSQL (SQLite's transactions begin
# IMMEDIATE and are serial anyway).
REFRESH_LOCK = 190010


async def lock_refresh(conn: AsyncConnection) -> None:
    """Held until the transaction ends: a second refresh waits, then finds the first one's work done."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK})


async def read_state(conn: AsyncConnection) -> dict[str, Any]:
    value = (await conn.execute(select(report_state.c.value).where(report_state.c.key == STATE_KEY))).scalar()
    return dict(value or {})


async def write_state(conn: AsyncConnection, value: dict[str, Any]) -> None:
    await conn.execute(delete(report_state).where(report_state.c.key == STATE_KEY))
    await conn.execute(insert(report_state).values(key=STATE_KEY, value=value))


async def all_conversation_ids(conn: AsyncConnection) -> list[str]:
    return [row[0] for row in (await conn.execute(select(conversations.c.id).order_by(conversations.c.id))).all()]


async def changed_conversation_ids(conn: AsyncConnection, since: datetime) -> set[str]:
    """Conversations with a change stamped at or after `since`: a state change (updated_at), a customer or agent
    message, a handoff request, a ticket; and those whose facts were pending. Each through an index, one
    statement."""
    m, h, t = messages.c, handoffs.c, tickets.c
    changed = union(
        select(conversations.c.id).where(conversations.c.updated_at >= since),
        select(m.conversation_id).where(m.sender_type.in_((CUSTOMER, AGENT)), m.created_at >= since),
        select(h.conversation_id).where(h.requested_at >= since),
        select(t.conversation_id).where(t.created_at >= since, t.conversation_id.is_not(None)),
        select(report_conversations.c.conversation_id).where(report_conversations.c.pending == 1),
    )
    return {row[0] for row in (await conn.execute(changed)).all()}


async def has_marked_days(conn: AsyncConnection) -> bool:
    return (await conn.execute(select(report_dirty_days.c.day).limit(1))).first() is not None


async def conversations_without_facts(conn: AsyncConnection) -> set[str]:
    """Conversations written with a stamp older than the watermark (an import): two counts first, which agree
    unless some exist."""
    total, with_facts = (await conn.execute(select(
        select(func.count()).select_from(conversations).scalar_subquery(),
        select(func.count()).select_from(report_conversations).scalar_subquery()))).one()
    if total == with_facts:
        return set()
    result = await conn.execute(
        select(conversations.c.id)
        .select_from(conversations.outerjoin(report_conversations,
                                             report_conversations.c.conversation_id == conversations.c.id))
        .where(report_conversations.c.conversation_id.is_(None)))
    return {row[0] for row in result}


async def conversation_records(conn: AsyncConnection, ids: Sequence[str]) -> list[ConversationRecord]:
    """Each conversation with its customer messages (in order), public agent replies, handoffs and tickets."""
    m, h = messages.c, handoffs.c
    found = {row[0]: (row[1], row[2]) for row in await conn.execute(
        select(conversations.c.id, conversations.c.channel, conversations.c.created_at)
        .where(conversations.c.id.in_(ids)))}
    customer: dict[str, list[CustomerMessage]] = defaultdict(list)
    replies: dict[str, list[datetime]] = defaultdict(list)
    # .all(): iterating row by row, SQLAlchemy 1.4's asyncpg cursor pops each row off the front of a list.
    result = (await conn.execute(
        select(m.conversation_id, m.sender_type, m.message_type, m.private, m.created_at, m.intent, m.confidence,
               m.tone_label, m.routing_started_at, m.routed_at)
        .where(m.conversation_id.in_(ids), m.sender_type.in_((CUSTOMER, AGENT))))).all()
    for row in result:
        if row.sender_type == CUSTOMER:
            customer[row.conversation_id].append(CustomerMessage(
                row.created_at, row.intent, row.confidence, row.tone_label, row.routing_started_at, row.routed_at))
        elif row.message_type == OUTGOING and not row.private:
            replies[row.conversation_id].append(row.created_at)
    requests: dict[str, list[HandoffRecord]] = defaultdict(list)
    for row in (await conn.execute(select(h.id, h.conversation_id, h.requested_at, h.reasons, h.claimed_at,
                                          h.ended_at, h.outcome).where(h.conversation_id.in_(ids)))).all():
        requests[row.conversation_id].append(HandoffRecord(row.id, row.requested_at, list(row.reasons or []),
                                                           row.claimed_at, row.ended_at, row.outcome))
    ticketed = {row[0] for row in await conn.execute(
        select(tickets.c.conversation_id).where(tickets.c.conversation_id.in_(ids)).distinct())}
    return [ConversationRecord(cid, channel, created_at,
                               sorted(customer.get(cid, ()), key=lambda message: message.created_at),
                               replies.get(cid, ()), requests.get(cid, ()), cid in ticketed)
            for cid, (channel, created_at) in found.items()]


async def forget_conversations(conn: AsyncConnection, ids: Sequence[str]) -> None:
    """Deletes the facts of these conversations; the days their customers wrote on are counted again later."""
    rc = report_conversations.c
    days: set[date] = set()
    for created, first, last in await conn.execute(select(rc.created_day, rc.first_customer_day,
                                                          rc.last_customer_day).where(rc.conversation_id.in_(ids))):
        days.update(day for day in (created,) if day is not None)
        if first is not None:
            days.update(_days_between(first, last))
    days.update(row[0] for row in await conn.execute(
        select(report_handoffs.c.requested_day).where(report_handoffs.c.conversation_id.in_(ids))))
    await mark_days(conn, days)
    await conn.execute(delete(report_handoffs).where(report_handoffs.c.conversation_id.in_(ids)))
    await conn.execute(delete(report_conversations).where(rc.conversation_id.in_(ids)))


def _days_between(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


async def mark_days(conn: AsyncConnection, days: Iterable[date]) -> None:
    rows = [{"day": day} for day in sorted(set(days))]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(dialect.insert(report_dirty_days).on_conflict_do_nothing(), rows)


async def take_marked_days(conn: AsyncConnection) -> set[date]:
    days = {row[0] for row in await conn.execute(select(report_dirty_days.c.day))}
    if days:
        await conn.execute(delete(report_dirty_days).where(report_dirty_days.c.day.in_(days)))
    return days


async def clear(conn: AsyncConnection) -> None:
    """Every fact, before building them all again (another zone or other opening hours)."""
    for table in (report_handoffs, report_conversations, report_days, report_dirty_days, report_conversation_days,
                  report_handoff_days):
        await conn.execute(delete(table))


async def write_facts(conn: AsyncConnection, ids: Sequence[str], facts: Sequence[ConversationFacts],
                      handoff_facts: Sequence[HandoffFacts]) -> None:
    """Replaces the facts of these conversations (a deleted conversation's are simply gone)."""
    await conn.execute(delete(report_handoffs).where(report_handoffs.c.conversation_id.in_(ids)))
    await conn.execute(delete(report_conversations).where(report_conversations.c.conversation_id.in_(ids)))
    if facts:
        await conn.execute(insert(report_conversations), [{
            "conversation_id": f.conversation_id, "channel": f.channel, "created_at": f.created_at,
            "bot_engaged": int(f.bot_engaged), "handed_off": int(f.handed_off), "contained": int(f.contained),
            "last_handoff_at": f.last_handoff_at, "first_customer_day": f.first_customer_day,
            "last_customer_day": f.last_customer_day, "pending": int(f.pending), "created_day": f.created_day}
            for f in facts])
    if handoff_facts:
        await conn.execute(insert(report_handoffs), [{
            "handoff_id": f.handoff_id, "conversation_id": f.conversation_id, "requested_at": f.requested_at,
            "requested_day": f.requested_day, "reasons": ",".join(f.reasons), "queue_seconds": f.queue_seconds,
            "queue_business_seconds": f.queue_business_seconds, "first_response_seconds": f.first_response_seconds,
            "first_response_business_seconds": f.first_response_business_seconds,
            "resolution_seconds": f.resolution_seconds, "resolution_business_seconds": f.resolution_business_seconds,
            "abandoned": int(f.abandoned), "queued": int(f.queued), "after_hours_ticket": int(f.after_hours_ticket),
            "no_agent_ticket": int(f.no_agent_ticket)} for f in handoff_facts])


async def conversations_writing_on(conn: AsyncConnection, spans: Iterable[tuple[datetime, datetime]]) -> set[str]:
    """Conversations with a customer message in any of these [start, end) spans (local days)."""
    m = messages.c
    found: set[str] = set()
    for start, end in spans:
        found.update(row[0] for row in await conn.execute(
            select(m.conversation_id).where(m.sender_type == CUSTOMER, m.created_at >= start, m.created_at < end)
            .distinct()))
    return found


async def write_days(conn: AsyncConnection, days: Iterable[date] | None, totals: dict[DayKey, DayTotals]) -> None:
    """Replaces the totals of these days (every day when None)."""
    if days is None:
        await conn.execute(delete(report_days))
    else:
        days = sorted(set(days))
        for start in range(0, len(days), 500):
            await conn.execute(delete(report_days).where(report_days.c.day.in_(days[start:start + 500])))
    rows = [{"day": day, "channel": channel, "intent": intent, "messages": t.messages,
             "not_understood": t.not_understood, **{label: t.tones[label] for label in TONE_LABELS},
             "conversations": t.conversations, "handed_off": t.handed_off}
            for (day, channel, intent), t in sorted(totals.items())]
    for start in range(0, len(rows), 1000):
        await conn.execute(insert(report_days), rows[start:start + 1000])


async def count_fact_days(conn: AsyncConnection, days: Iterable[date] | None) -> None:
    """The per-day sums of the conversation and handoff facts, counted again in the database for these local
    days (every day when None): conversations by the day they were created, handoffs by the day requested."""
    rc, rh = report_conversations.c, report_handoffs.c
    sums = (
        (report_conversation_days, rc.created_day,
         select(rc.created_day, rc.channel, func.count(), func.sum(rc.bot_engaged),
                func.sum(rc.bot_engaged * rc.handed_off), func.sum(rc.contained), func.sum(rc.handed_off))
         .group_by(rc.created_day, rc.channel)),
        (report_handoff_days, rh.requested_day,
         select(rh.requested_day, rh.reasons, func.count(), func.sum(rh.abandoned), func.sum(rh.queued),
                func.sum(rh.after_hours_ticket), func.sum(rh.no_agent_ticket))
         .group_by(rh.requested_day, rh.reasons)),
    )
    chunks: list[list[date] | None] = [None]
    if days is not None:
        ordered = sorted(set(days))
        chunks = [ordered[start:start + 500] for start in range(0, len(ordered), 500)]
    for table, day_column, query in sums:
        columns = [column.name for column in table.columns]
        for chunk in chunks:
            if chunk is None:
                await conn.execute(delete(table))
                selected = query.where(day_column.is_not(None))
            else:
                await conn.execute(delete(table).where(table.c.day.in_(chunk)))
                selected = query.where(day_column.in_(chunk))
            await conn.execute(insert(table).from_select(columns, selected))
