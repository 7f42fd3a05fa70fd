"""Report facts (docs/reports.md, "How the figures are computed"): what one conversation contributes to the
reports, derived once from its rows so that a report adds up narrow facts instead of reading a year of
messages. Pure; the definitions are those of docs/reports.md, here applied to one conversation at a time.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Iterable, Sequence

from handoff.domain.hours import BusinessHours
from handoff.domain.reports import business_seconds

FALLBACK_INTENT = "nlu_fallback"
# Below this intent confidence a message counts as not understood (the same threshold as the trainer inbox).
NOT_UNDERSTOOD_BELOW = 0.6
TONE_LABELS = ("calm", "frustrated", "abusive")
NO_INTENT = ""           # the day totals' key for customer messages without an intent (volume only)
OUTCOME_TICKET, OUTCOME_RESOLVED, OUTCOME_HANDED_BACK = "ticket", "resolved", "handed_back"
HANDLED_OUTCOMES = (OUTCOME_RESOLVED, OUTCOME_HANDED_BACK)


@dataclass(frozen=True)
class CustomerMessage:
    created_at: datetime
    intent: str | None
    confidence: float | None
    tone_label: str | None
    routing_started_at: datetime | None
    routed_at: datetime | None


@dataclass(frozen=True)
class HandoffRecord:
    id: str
    requested_at: datetime
    reasons: list[Any]
    claimed_at: datetime | None
    ended_at: datetime | None
    outcome: str | None


@dataclass(frozen=True)
class ConversationRecord:
    """Everything the reports need of one conversation, as stored."""

    id: str
    channel: str
    created_at: datetime
    customer_messages: Sequence[CustomerMessage] = ()
    agent_replies: Sequence[datetime] = ()          # public outgoing agent messages
    handoffs: Sequence[HandoffRecord] = ()
    has_ticket: bool = False

    @property
    def last_handoff_at(self) -> datetime | None:
        return max((h.requested_at for h in self.handoffs), default=None)


@dataclass(frozen=True)
class ConversationFacts:
    conversation_id: str
    channel: str
    created_at: datetime
    bot_engaged: bool
    handed_off: bool
    contained: bool
    last_handoff_at: datetime | None
    first_customer_day: date | None
    last_customer_day: date | None
    pending: bool             # may still change without a new row or state change: read it again next time
    created_day: date


@dataclass(frozen=True)
class HandoffFacts:
    handoff_id: str
    conversation_id: str
    requested_at: datetime
    requested_day: date
    reasons: list[str]
    queue_seconds: float | None
    queue_business_seconds: float | None
    first_response_seconds: float | None
    first_response_business_seconds: float | None
    resolution_seconds: float | None
    resolution_business_seconds: float | None
    abandoned: bool
    queued: bool
    after_hours_ticket: bool
    no_agent_ticket: bool


def hours_fingerprint(hours: BusinessHours) -> str:
    """Identifies the business hours (zone, weekly intervals, holidays) the facts were measured with."""
    text = json.dumps(hours.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def not_understood(message: CustomerMessage) -> bool:
    return message.intent == FALLBACK_INTENT or (
        message.confidence is not None and message.confidence < NOT_UNDERSTOOD_BELOW)


def conversation_facts(record: ConversationRecord, zone: tzinfo) -> ConversationFacts:
    """Bot outcome of one conversation (docs/reports.md, "Bot outcome")."""
    engaged = any(m.routing_started_at is not None for m in record.customer_messages)
    handed_off = bool(record.handoffs)
    contained = engaged and not (handed_off or record.has_ticket or record.agent_replies)
    days = [local_day(m.created_at, zone) for m in record.customer_messages]
    # An unrouted message can still be routed (bot-engaged, intent), an open handoff still be claimed or end.
    pending = any(m.routed_at is None for m in record.customer_messages) or \
        any(h.ended_at is None for h in record.handoffs)
    return ConversationFacts(record.id, record.channel, record.created_at, engaged, handed_off, contained,
                             record.last_handoff_at, min(days, default=None), max(days, default=None), pending,
                             local_day(record.created_at, zone))


def _span(start: datetime, end: datetime | None, hours: BusinessHours) -> tuple[float | None, float | None]:
    """(wall-clock, business-hours) seconds; none for a missing or negative span (left out of percentiles)."""
    if end is None or end < start:
        return None, None
    return (end - start).total_seconds(), business_seconds(start, end, hours)


def handoff_facts(handoff: HandoffRecord, conversation_id: str, agent_replies: Iterable[datetime],
                  hours: BusinessHours) -> HandoffFacts:
    """Waiting and handling of one handoff request (docs/reports.md, "Waiting and handling")."""
    requested, ended, claimed = handoff.requested_at, handoff.ended_at, handoff.claimed_at
    first_reply = min((at for at in agent_replies if at >= requested and (ended is None or at <= ended)),
                      default=None)
    handled = ended is not None and handoff.outcome in HANDLED_OUTCOMES and \
        (claimed is not None or first_reply is not None)
    ticket = handoff.outcome == OUTCOME_TICKET
    abandoned = ended is not None and claimed is None and first_reply is None and not ticket
    # A handoff that became a ticket at once (closed, nobody online) never waited in the live queue.
    queued = not (ticket and ended == requested)
    is_open = hours.is_open(requested)
    codes = sorted({str(reason.get("code")) for reason in handoff.reasons if isinstance(reason, dict)})
    return HandoffFacts(handoff.id, conversation_id, requested, local_day(requested, hours.zone), codes,
                        *_span(requested, claimed, hours), *_span(requested, first_reply, hours),
                        *_span(requested, ended if handled else None, hours),
                        abandoned, queued, ticket and not is_open, ticket and is_open)


@dataclass
class DayTotals:
    """One (day, channel, intent) of customer messages; conversations/handed_off count (conversation, intent)
    pairs first seen that day, and of those the ones handed off at or after that first message."""

    messages: int = 0
    not_understood: int = 0
    tones: dict[str, int] = field(default_factory=lambda: {label: 0 for label in TONE_LABELS})
    conversations: int = 0
    handed_off: int = 0

    def add(self, other: "DayTotals") -> None:
        self.messages += other.messages
        self.not_understood += other.not_understood
        for label in TONE_LABELS:
            self.tones[label] += other.tones[label]
        self.conversations += other.conversations
        self.handed_off += other.handed_off


DayKey = tuple[date, str, str]


def day_totals(record: ConversationRecord, zone: tzinfo, last_handoff_at: datetime | None,
               into: dict[DayKey, DayTotals] | None = None, days: set[date] | None = None) -> dict[DayKey, DayTotals]:
    """What one conversation's customer messages add to each local day (only `days`, when given)."""
    totals: dict[DayKey, DayTotals] = into if into is not None else {}

    def row_of(key: DayKey) -> DayTotals:
        if key not in totals:
            totals[key] = DayTotals()
        return totals[key]

    first_seen: dict[str, datetime] = {}
    for message in record.customer_messages:
        day = local_day(message.created_at, zone)
        if message.intent is not None and (message.intent not in first_seen
                                           or message.created_at < first_seen[message.intent]):
            first_seen[message.intent] = message.created_at
        if days is not None and day not in days:
            continue
        row = row_of((day, record.channel, message.intent or NO_INTENT))
        row.messages += 1
        row.not_understood += not_understood(message)
        if message.tone_label in row.tones:
            row.tones[message.tone_label] += 1
    for intent, first_at in first_seen.items():
        day = local_day(first_at, zone)
        if days is not None and day not in days:
            continue
        row = row_of((day, record.channel, intent))
        row.conversations += 1
        row.handed_off += last_handoff_at is not None and last_handoff_at >= first_at
    return totals


def straddling_topics(messages: Iterable[tuple[str, datetime]], last_handoff_at: datetime | None,
                      start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    """The topics of one conversation that the day totals of [start, end) miss: intents it raised before `start`
    and again inside the period count the conversation once, handed off when a handoff came at or after the
    first of them inside the period. intent -> (1, 0 or 1)."""
    before: set[str] = set()
    first_inside: dict[str, datetime] = {}
    for intent, at in messages:
        if at < start:
            before.add(intent)
        elif at < end and (intent not in first_inside or at < first_inside[intent]):
            first_inside[intent] = at
    return {intent: (1, int(last_handoff_at is not None and last_handoff_at >= first_at))
            for intent, first_at in first_inside.items() if intent in before}
