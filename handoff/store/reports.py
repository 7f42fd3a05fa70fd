"""The report queries (docs/reports.md): counts and timestamps of one period, on SQLite and PostgreSQL alike.

Each function reads one period [start, end) through an index of revision 0007 and returns plain rows; the
definitions (rates, percentiles, business hours) are applied in handoff/domain/reports.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.vocabulary import AGENT, CUSTOMER, OUTGOING
from handoff.store.tables import (
    agents, conversations, csat, csat_surveys, handoffs, messages, ticket_articles, tickets,
)

FALLBACK_INTENT = "nlu_fallback"
# Below this intent confidence a message counts as not understood (the same threshold as the trainer inbox).
NOT_UNDERSTOOD_BELOW = 0.6
TONE_LABELS = ("calm", "frustrated", "abusive")


def aware(value: Any) -> datetime | None:
    """Aggregates over SQLite columns can come back as naive strings; everything leaves here aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _in_period(column: Any, start: datetime, end: datetime) -> Any:
    return and_(column >= start, column < end)


async def conversations_by_channel(conn: AsyncConnection, start: datetime, end: datetime) -> dict[str, int]:
    result = await conn.execute(
        select(conversations.c.channel, func.count()).where(_in_period(conversations.c.created_at, start, end))
        .group_by(conversations.c.channel))
    return {channel: count for channel, count in result}


async def customer_messages_by_channel(conn: AsyncConnection, start: datetime, end: datetime) -> dict[str, int]:
    result = await conn.execute(
        select(conversations.c.channel, func.count())
        .select_from(messages.join(conversations, conversations.c.id == messages.c.conversation_id))
        .where(messages.c.sender_type == CUSTOMER, _in_period(messages.c.created_at, start, end))
        .group_by(conversations.c.channel))
    return {channel: count for channel, count in result}


EMAIL = "email"


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
class OutcomeCounts:
    conversations: int          # created in the period
    bot_engaged: int            # ... in which the bot received at least one customer message
    handed_off: int             # ... of those, with at least one handoff request
    contained: int              # ... of those, no handoff, no ticket, no agent message
    handed_off_any: int         # every conversation of the period with a handoff (Chatwoot's numerator)


async def outcome_counts(conn: AsyncConnection, start: datetime, end: datetime) -> OutcomeCounts:
    """One pass: the period's conversations left-joined to the sets of conversations with a bot-routed customer
    message, a public agent message, a handoff, a ticket.

    Each set is read from `start` on through its time index: whatever belongs to a conversation created in the
    period happened after that conversation was created, so the lower bound loses nothing and the sets stay
    small (one correlated EXISTS per conversation and fact took seconds over a million messages).
    """
    m = messages.c
    period = select(conversations.c.id.label("id")).where(_in_period(conversations.c.created_at, start, end)).cte()
    engaged = (select(m.conversation_id.label("id")).distinct()
               .where(m.sender_type == CUSTOMER, m.created_at >= start, m.routing_started_at.is_not(None)).cte())
    agent_spoke = (select(m.conversation_id.label("id")).distinct()
                   .where(m.sender_type == AGENT, m.created_at >= start, m.message_type == OUTGOING,
                          m.private.is_(False)).cte())
    handed_off = (select(handoffs.c.conversation_id.label("id")).distinct()
                  .where(handoffs.c.requested_at >= start).cte())
    ticketed = (select(tickets.c.conversation_id.label("id")).distinct()
                .where(tickets.c.created_at >= start, tickets.c.conversation_id.is_not(None)).cte())
    is_engaged, is_handed_off = engaged.c.id.is_not(None), handed_off.c.id.is_not(None)
    nobody = and_(handed_off.c.id.is_(None), ticketed.c.id.is_(None), agent_spoke.c.id.is_(None))
    joined = (period.outerjoin(engaged, engaged.c.id == period.c.id)
              .outerjoin(agent_spoke, agent_spoke.c.id == period.c.id)
              .outerjoin(handed_off, handed_off.c.id == period.c.id)
              .outerjoin(ticketed, ticketed.c.id == period.c.id))
    row = (await conn.execute(select(
        func.count(), func.count(engaged.c.id),
        func.coalesce(func.sum(_flag(and_(is_engaged, is_handed_off))), 0),
        func.coalesce(func.sum(_flag(and_(is_engaged, nobody))), 0),
        func.count(handed_off.c.id),
    ).select_from(joined))).one()
    return OutcomeCounts(*(int(value) for value in row))


@dataclass(frozen=True)
class HandoffRow:
    requested_at: datetime
    reasons: list[dict[str, Any]]
    claimed_at: datetime | None
    first_agent_reply_at: datetime | None
    ended_at: datetime | None
    outcome: str | None


async def handoffs_requested(conn: AsyncConnection, start: datetime, end: datetime) -> list[HandoffRow]:
    """Every handoff requested in the period, with the first public agent reply while it lasted.

    The replies are one set-based join over the agent messages from `start` on (a reply comes after its
    handoff), not one lookup per handoff.
    """
    h, m = handoffs.c, messages.c
    requested = select(h.id, h.conversation_id, h.requested_at, h.ended_at) \
        .where(_in_period(h.requested_at, start, end)).cte()
    replies = (
        select(requested.c.id.label("handoff_id"), func.min(m.created_at).label("first_reply"))
        .select_from(requested.join(messages, m.conversation_id == requested.c.conversation_id))
        .where(m.sender_type == AGENT, m.created_at >= start, m.message_type == OUTGOING, m.private.is_(False),
               m.created_at >= requested.c.requested_at,
               or_(requested.c.ended_at.is_(None), m.created_at <= requested.c.ended_at))
        .group_by(requested.c.id).subquery())
    # Two statements joined here: joined in SQL, the planner (expecting a handful of replies) re-ran the
    # aggregate once per handoff.
    first_replies = {handoff_id: first for handoff_id, first in await conn.execute(select(replies))}
    result = await conn.execute(
        select(h.id, h.requested_at, h.reasons, h.claimed_at, h.ended_at, h.outcome)
        .where(_in_period(h.requested_at, start, end)).order_by(h.requested_at))
    return [HandoffRow(aware(row[1]), list(row[2] or []), aware(row[3]), aware(first_replies.get(row[0])),
                       aware(row[4]), row[5]) for row in result]


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


async def topics(conn: AsyncConnection, start: datetime, end: datetime, intent: str | None = None) -> list[TopicRow]:
    """Per intent of customer messages in the period: volume, not understood, tone; conversations and handoffs."""
    m = messages.c
    where = [m.sender_type == CUSTOMER, _in_period(m.created_at, start, end), m.intent.is_not(None)]
    if intent is not None:
        where.append(m.intent == intent)
    not_understood = or_(m.intent == FALLBACK_INTENT, m.confidence < NOT_UNDERSTOOD_BELOW)
    tone_columns = [func.sum(_flag(m.tone_label == label)).label(label) for label in TONE_LABELS]
    volume = await conn.execute(
        select(m.intent, func.count(), func.sum(_flag(not_understood)), *tone_columns)
        .where(*where).group_by(m.intent))
    rows: dict[str, dict[str, Any]] = {}
    for row in volume:
        rows[row[0]] = {"messages": int(row[1]), "not_understood": int(row[2] or 0),
                        "tones": {label: int(value or 0) for label, value in zip(TONE_LABELS, row[3:])}}
    first_seen = (select(m.intent.label("intent"), m.conversation_id.label("conversation_id"),
                         func.min(m.created_at).label("first_at"))
                  .where(*where).group_by(m.intent, m.conversation_id).subquery())
    last_handoff = (select(handoffs.c.conversation_id.label("conversation_id"),
                           func.max(handoffs.c.requested_at).label("last_at"))
                    .where(handoffs.c.requested_at >= start).group_by(handoffs.c.conversation_id).subquery())
    per_conversation = await conn.execute(
        select(first_seen.c.intent, func.count(),
               func.sum(_flag(last_handoff.c.last_at >= first_seen.c.first_at)))
        .select_from(first_seen.outerjoin(last_handoff,
                                          last_handoff.c.conversation_id == first_seen.c.conversation_id))
        .group_by(first_seen.c.intent))
    handoff_counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in per_conversation}
    return [TopicRow(name, data["messages"], data["not_understood"], data["tones"],
                     *handoff_counts.get(name, (0, 0)))
            for name, data in sorted(rows.items(), key=lambda item: (-item[1]["messages"], item[0]))]


async def intents_seen(conn: AsyncConnection) -> list[str]:
    result = await conn.execute(select(messages.c.intent).where(messages.c.intent.is_not(None)).distinct())
    return sorted(name for (name,) in result)



@dataclass(frozen=True)
class TicketRow:
    kind: str
    status: str
    owner: str | None            # the owner's display name; None: nobody owns it
    first_response_due_at: datetime | None
    first_response_at: datetime | None
    solution_due_at: datetime | None
    solved_at: datetime | None


MERGED = "merged"   # a duplicate: its history lives on in the ticket it was merged into


def _ticket_rows(where: Any) -> Any:
    t = tickets.c
    return (select(t.kind, t.status, agents.c.display_name, t.first_response_due_at, t.first_response_at,
                   t.solution_due_at, t.solved_at)
            .select_from(tickets.outerjoin(agents, agents.c.id == t.owner_id))
            .where(where, t.status != MERGED))


async def tickets_created(conn: AsyncConnection, start: datetime, end: datetime) -> list[TicketRow]:
    result = await conn.execute(_ticket_rows(_in_period(tickets.c.created_at, start, end)))
    return [TicketRow(row[0], row[1], row[2], *(aware(value) for value in row[3:])) for row in result]


async def tickets_solved(conn: AsyncConnection, start: datetime, end: datetime) -> list[TicketRow]:
    result = await conn.execute(_ticket_rows(_in_period(tickets.c.solved_at, start, end)))
    return [TicketRow(row[0], row[1], row[2], *(aware(value) for value in row[3:])) for row in result]
