"""The report queries (docs/reports.md): counts and facts of one period, on SQLite and PostgreSQL alike.

Conversations, handoffs, customer messages and topics are read from the report facts of revision 0010 (kept
current by handoff/services/report_facts.py); tickets, e-mails and CSAT, a few thousand rows a year, from their
own tables through the indexes of revision 0007. The definitions (rates, percentiles) are applied in
handoff/domain/reports.py and handoff/domain/report_facts.py.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import and_, case, func, null, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.report_facts import NO_INTENT, TONE_LABELS
from handoff.domain.reports import FRT_BUCKETS, DurationStats, frt_distribution, seconds_stats
from handoff.domain.vocabulary import CUSTOMER
from handoff.store.tables import (
    SEVERAL_DAYS, agents, csat, csat_surveys, messages, report_conversation_days, report_conversations, report_days,
    report_handoff_days, report_handoffs, ticket_articles, tickets,
)


def aware(value: Any) -> datetime | None:
    """Aggregates over SQLite columns can come back as naive strings; everything leaves here aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _in_period(column: Any, start: datetime, end: datetime) -> Any:
    return and_(column >= start, column < end)


EMAIL = "email"


@dataclass(frozen=True)
class OutcomeCounts:
    conversations: int          # created in the period
    bot_engaged: int            # ... in which the bot received at least one customer message
    handed_off: int             # ... of those, with at least one handoff request
    contained: int              # ... of those, no handoff, no ticket, no agent message
    handed_off_any: int         # every conversation of the period with a handoff (Chatwoot's numerator)


async def conversation_counts(conn: AsyncConnection, first_day: date,
                              last_day: date) -> tuple[dict[str, int], OutcomeCounts]:
    """The conversations created on the period's days by channel, and their bot outcome: the day sums of the
    conversation facts (revision 0011)."""
    d = report_conversation_days.c
    result = await conn.execute(
        select(d.channel, func.sum(d.conversations), func.sum(d.bot_engaged), func.sum(d.handed_off),
               func.sum(d.contained), func.sum(d.handed_off_any))
        .where(d.day >= first_day, d.day <= last_day).group_by(d.channel))
    by_channel: dict[str, int] = {}
    totals = [0] * 5
    for channel, *counts in result:
        by_channel[channel] = int(counts[0])
        totals = [total + int(value or 0) for total, value in zip(totals, counts)]
    return by_channel, OutcomeCounts(*totals)


async def customer_messages_by_channel(conn: AsyncConnection, first_day: date, last_day: date) -> dict[str, int]:
    d = report_days.c
    result = await conn.execute(select(d.channel, func.sum(d.messages))
                                .where(d.day >= first_day, d.day <= last_day).group_by(d.channel))
    return {channel: int(count) for channel, count in result}


async def email_volume(conn: AsyncConnection, start: datetime, end: datetime) -> tuple[int, int]:
    """(tickets opened by e-mail, customer e-mails received) in the period: e-mail threads are tickets (issue 16),
    not chat conversations."""
    opened = (await conn.execute(select(func.count()).select_from(tickets).where(
        tickets.c.channel == EMAIL, _in_period(tickets.c.created_at, start, end)))).scalar_one()
    received = (await conn.execute(select(func.count()).select_from(ticket_articles).where(
        ticket_articles.c.channel == EMAIL, ticket_articles.c.sender_type == CUSTOMER,
        _in_period(ticket_articles.c.created_at, start, end)))).scalar_one()
    return int(opened), int(received)


@dataclass(frozen=True)
class HandoffCounts:
    handoffs: int               # requested in the period
    abandoned: int
    queued: int                 # reached the live queue
    after_hours_tickets: int
    no_agent_tickets: int


async def handoff_counts(conn: AsyncConnection, first_day: date, last_day: date) -> HandoffCounts:
    d = report_handoff_days.c
    row = (await conn.execute(
        select(func.sum(d.handoffs), func.sum(d.abandoned), func.sum(d.queued), func.sum(d.after_hours_ticket),
               func.sum(d.no_agent_ticket)).where(d.day >= first_day, d.day <= last_day))).one()
    return HandoffCounts(*(int(value or 0) for value in row))


DURATIONS = ("queue", "first_response", "resolution")


@dataclass(frozen=True)
class HandoffDurations:
    stats: dict[str, DurationStats]           # per duration: count, p50 and p90, wall-clock and business hours
    first_response_buckets: list[dict[str, object]]   # the FRT distribution (frt_distribution)


async def handoff_durations(conn: AsyncConnection, start: datetime, end: datetime) -> HandoffDurations:
    """p50/p90 of each duration of the period's handoffs. PostgreSQL takes them itself (percentile_disc is the
    nearest rank of handoff/domain/reports.py percentile: the first value at or above the fraction), so a year's
    20,000 handoffs are not sent over; SQLite sends the values to the domain's functions."""
    h = report_handoffs.c
    where = _in_period(h.requested_at, start, end)
    if conn.dialect.name != "postgresql":
        return await _durations_in_python(conn, where)
    columns: list[Any] = []
    for name in DURATIONS:
        wall, business = h[f"{name}_seconds"], h[f"{name}_business_seconds"]
        columns.append(func.count(wall))
        columns += [func.percentile_disc(p / 100).within_group(column) for column in (wall, business) for p in (50, 90)]
    frt = h.first_response_seconds
    columns += [func.sum(case((and_(frt >= lower, frt < upper) if upper != math.inf else frt >= lower, 1), else_=0))
                for _label, lower, upper in FRT_BUCKETS]
    row = (await conn.execute(select(*columns).where(where))).one()
    stats = {}
    for index, name in enumerate(DURATIONS):
        count, wall50, wall90, business50, business90 = row[5 * index:5 * index + 5]
        stats[name] = DurationStats(int(count), wall50, wall90, business50, business90)
    buckets = [{"bucket": label, "count": int(count or 0)}
               for (label, _l, _u), count in zip(FRT_BUCKETS, row[5 * len(DURATIONS):])]
    return HandoffDurations(stats, buckets)


async def _durations_in_python(conn: AsyncConnection, where: Any) -> HandoffDurations:
    h = report_handoffs.c
    columns = [h[f"{name}{unit}"] for name in DURATIONS for unit in ("_seconds", "_business_seconds")]
    rows = (await conn.execute(select(*columns).where(where))).all()
    stats, first_response = {}, []
    for index, name in enumerate(DURATIONS):
        wall, business = 2 * index, 2 * index + 1
        measured = [row for row in rows if row[wall] is not None]
        stats[name] = seconds_stats([row[wall] for row in measured], [row[business] for row in measured])
        if name == "first_response":
            first_response = [row[wall] for row in measured]
    return HandoffDurations(stats, frt_distribution(first_response))


async def handoff_reasons(conn: AsyncConnection, start: datetime, end: datetime, first_day: date, last_day: date,
                          hourly: bool) -> list[tuple[Any, str, int]]:
    """(when, reason codes comma-separated, how many): per local day from the day sums, or per request for an
    hourly series (one day)."""
    if hourly:
        h = report_handoffs.c
        return [(row[0], row[1], 1) for row in (await conn.execute(
            select(h.requested_at, h.reasons).where(_in_period(h.requested_at, start, end)))).all()]
    d = report_handoff_days.c
    result = await conn.execute(select(d.day, d.reasons, d.handoffs).where(d.day >= first_day, d.day <= last_day))
    return [(row[0], row[1], int(row[2])) for row in result.all()]


async def ratings_in(conn: AsyncConnection, start: datetime, end: datetime) -> list[int]:
    result = await conn.execute(select(csat.c.rating, func.count())
                                .where(_in_period(csat.c.created_at, start, end)).group_by(csat.c.rating))
    return [rating for rating, count in result for _ in range(count)]


async def surveys_in(conn: AsyncConnection, start: datetime, end: datetime) -> tuple[int, int]:
    """(surveys sent in the period, how many of them were answered, whenever)."""
    row = (await conn.execute(
        select(func.count(), func.count(csat.c.conversation_id))
        .select_from(csat_surveys.outerjoin(csat, csat.c.conversation_id == csat_surveys.c.conversation_id))
        .where(_in_period(csat_surveys.c.sent_at, start, end)))).one()
    return int(row[0]), int(row[1])


@dataclass(frozen=True)
class TopicRow:
    intent: str
    messages: int
    not_understood: int
    tones: dict[str, int]
    conversations: int
    handed_off: int


async def topics(conn: AsyncConnection, first_day: date, last_day: date, intent: str | None = None) -> list[TopicRow]:
    """Per intent of customer messages on the period's days: volume, not understood, tone; conversations in which
    it came up first on one of these days, and of those the ones handed off at or after it."""
    d = report_days.c
    where = [d.day >= first_day, d.day <= last_day, d.intent != NO_INTENT]
    if intent is not None:
        where.append(d.intent == intent)
    result = await conn.execute(
        select(d.intent, func.sum(d.messages), func.sum(d.not_understood),
               *(func.sum(d[label]) for label in TONE_LABELS), func.sum(d.conversations), func.sum(d.handed_off))
        .where(*where).group_by(d.intent))
    rows = [TopicRow(row[0], int(row[1]), int(row[2]),
                     {label: int(value) for label, value in zip(TONE_LABELS, row[3:6])}, int(row[6]), int(row[7]))
            for row in result]
    return sorted(rows, key=lambda row: (-row.messages, row.intent))


async def topics_before(conn: AsyncConnection, first_day: date, end: datetime,
                        intent: str | None = None) -> list[tuple[datetime | None, list[tuple[str, datetime]]]]:
    """The conversations whose customer wrote before the period and again in it (their topics may have come up
    first before it): each one's last handoff request and its customer messages' (intent, time) up to `end`."""
    rc, m = report_conversations.c, messages.c
    candidates = {row[0]: aware(row[1]) for row in await conn.execute(
        select(rc.conversation_id, rc.last_handoff_at)
        .where(SEVERAL_DAYS, rc.last_customer_day >= first_day, rc.first_customer_day < first_day))}
    if not candidates:
        return []
    where = [m.conversation_id.in_(list(candidates)), m.sender_type == CUSTOMER, m.intent.is_not(None),
             m.created_at < end]
    if intent is not None:
        where.append(m.intent == intent)
    found: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for conversation_id, name, at in await conn.execute(select(m.conversation_id, m.intent, m.created_at)
                                                         .where(*where)):
        found[conversation_id].append((name, at))
    return [(candidates[cid], found[cid]) for cid in candidates if cid in found]


async def intents_seen(conn: AsyncConnection) -> list[str]:
    result = await conn.execute(select(messages.c.intent).where(messages.c.intent.is_not(None)).distinct())
    return sorted(name for (name,) in result)



@dataclass(frozen=True)
class TicketCounts:
    created: int
    met: int          # SLA met
    decided: int      # SLA met or missed
    overdue: int


MERGED = "merged"   # a duplicate: its history lives on in the ticket it was merged into
OPEN = ("new", "open")


def _target_met(due: Any, done: Any, now: datetime) -> Any:
    """handoff/domain/reports.py target_met in SQL: 1 met, 0 missed, NULL undecided or no target."""
    return case((due.is_(None), null()), (done.is_not(None), case((done <= due, 1), else_=0)),
                (due < now, 0), else_=null())


async def tickets_created(conn: AsyncConnection, start: datetime, end: datetime,
                          now: datetime) -> dict[tuple[str, str | None], TicketCounts]:
    """Per (kind, owner's display name) of the tickets created in the period: their SLA outcome and whether
    overdue `now`, counted in the database (ticket_sla_met and ticket_overdue of handoff/domain/reports.py,
    the same rules; tests/integration/handoff/store/test_report_tickets.py holds them side by side)."""
    t = tickets.c
    first = _target_met(t.first_response_due_at, t.first_response_at, now)
    solution = _target_met(t.solution_due_at, t.solved_at, now)
    targets = case((t.first_response_due_at.is_not(None), 1), else_=0) + \
        case((t.solution_due_at.is_not(None), 1), else_=0)
    met_targets = case((first == 1, 1), else_=0) + case((solution == 1, 1), else_=0)
    outcome = case((or_(first == 0, solution == 0), 0), (and_(targets > 0, met_targets == targets), 1),
                   else_=null())
    overdue = and_(t.status.in_(OPEN), or_(
        and_(t.first_response_due_at.is_not(None), t.first_response_at.is_(None), t.first_response_due_at < now),
        and_(t.solution_due_at.is_not(None), t.solved_at.is_(None), t.solution_due_at < now)))
    result = await conn.execute(
        select(t.kind, agents.c.display_name, func.count(), func.sum(case((outcome == 1, 1), else_=0)),
               func.count(outcome), func.sum(case((overdue, 1), else_=0)))
        .select_from(tickets.outerjoin(agents, agents.c.id == t.owner_id))
        .where(_in_period(t.created_at, start, end), t.status != MERGED).group_by(t.kind, agents.c.display_name))
    return {(kind, owner): TicketCounts(*(int(value or 0) for value in counts))
            for kind, owner, *counts in result.all()}


async def tickets_solved(conn: AsyncConnection, start: datetime, end: datetime) -> dict[tuple[str, str | None], int]:
    """How many tickets were solved in the period, per (kind, owner's display name)."""
    t = tickets.c
    result = await conn.execute(
        select(t.kind, agents.c.display_name, func.count())
        .select_from(tickets.outerjoin(agents, agents.c.id == t.owner_id))
        .where(_in_period(t.solved_at, start, end), t.status != MERGED).group_by(t.kind, agents.c.display_name))
    return {(kind, owner): int(count) for kind, owner, count in result.all()}
