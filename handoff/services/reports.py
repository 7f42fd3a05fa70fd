"""Reports for supervisors and trainers: one period and the one before it, every figure as docs/reports.md defines.

The store counts the report facts of the period; the definitions live in handoff/domain/reports.py and
handoff/domain/report_facts.py. Each report first brings the facts up to date (handoff/services/report_facts.py,
one short transaction), then reads: one connection per period, no events.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Sequence

from handoff.domain import report_periods as periods
from handoff.domain import reports as definitions
from handoff.domain.hours import BusinessHours
from handoff.domain.report_facts import FALLBACK_INTENT, straddling_topics
from handoff.domain.report_periods import Period
from handoff.domain.reports import rate
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.errors import ValidationError
from handoff.services.report_facts import refresh
from handoff.store import reports as store
from handoff.services.unit_of_work import reading

# Channels always listed (zero when unused); e-mail (tickets opened by mail) joins when there is any.
KNOWN_CHANNELS = ("widget", "rest", "socketio", "email")
Pair = tuple[str, str | None]     # (ticket kind, owner's display name)
SECTIONS = ("volume", "outcome", "handoff_reasons", "waiting", "frt_distribution", "csat")


@dataclass(frozen=True)
class ReportRequest:
    kind: str | None = None
    anchor: str | None = None
    first: str | None = None
    last: str | None = None
    topic: str | None = None


async def period_for(ctx: ServiceContext, request: ReportRequest) -> tuple[Period, BusinessHours]:
    async with reading(ctx) as conn:
        hours = await load_business_hours(conn)
    today: date = ctx.now().astimezone(hours.zone).date()
    try:
        period = periods.parse_period(request.kind, request.anchor, request.first, request.last, today,
                                          hours.time_zone)
    except periods.InvalidPeriod as error:
        raise ValidationError(error.field, error.message) from None
    return period, hours


async def overview(ctx: ServiceContext, request: ReportRequest) -> dict[str, Any]:
    """Every section but topics, for the period and (as `previous`) the period before it."""
    period, hours = await period_for(ctx, request)
    await refresh(ctx)
    # Two connections at once: the period before is as much work as the period itself.
    current, previous = await asyncio.gather(_figures(ctx, period),
                                             _figures(ctx, period.previous(), with_tickets=False))
    return {"period": period.to_dict(), "previous_period": period.previous().to_dict(),
            "business_hours": hours.to_dict(), **current,
            "previous": _summary(previous),
            "changes": _changes(_summary(current), _summary(previous))}


async def _figures(ctx: ServiceContext, period: Period, with_tickets: bool = True) -> dict[str, Any]:
    """Every section of one period; the period before needs no tickets (its summary compares none)."""
    start, end = period.start, period.end
    created_tickets: dict[Pair, store.TicketCounts] = {}
    solved_tickets: dict[Pair, int] = {}
    async with reading(ctx) as conn:   # reading only: no write lock, no events
        by_channel, outcomes = await store.conversation_counts(conn, period.first_day, period.last_day)
        messages_by_channel = await store.customer_messages_by_channel(conn, period.first_day, period.last_day)
        email_tickets, emails_received = await store.email_volume(conn, start, end)
        handoff_counts = await store.handoff_counts(conn, period.first_day, period.last_day)
        durations = await store.handoff_durations(conn, start, end)
        reasons = await store.handoff_reasons(conn, start, end, period.first_day, period.last_day,
                                              hourly=period.granularity == periods.HOUR)
        ratings = await store.ratings_in(conn, start, end)
        sent, answered = await store.surveys_in(conn, start, end)
        if with_tickets:
            created_tickets = await store.tickets_created(conn, start, end, ctx.now())
            solved_tickets = await store.tickets_solved(conn, start, end)
    if email_tickets or emails_received:   # e-mail threads are tickets: counted as contacts of channel e-mail
        by_channel[store.EMAIL] = by_channel.get(store.EMAIL, 0) + email_tickets
        messages_by_channel[store.EMAIL] = messages_by_channel.get(store.EMAIL, 0) + emails_received
    return {"volume": _volume(by_channel, messages_by_channel),
            "outcome": _outcome(outcomes, handoff_counts),
            "handoff_reasons": _reasons_over_time(reasons, period),
            "waiting": _waiting(handoff_counts, durations),
            "frt_distribution": durations.first_response_buckets,
            "csat": definitions.csat_summary(ratings, sent, answered).to_dict(),
            "tickets": _tickets(created_tickets, solved_tickets) if with_tickets else None}


UNOWNED = "nicht zugewiesen"


def _ticket_counts(counts: Sequence[store.TicketCounts], solved: int) -> dict[str, Any]:
    met, decided = sum(c.met for c in counts), sum(c.decided for c in counts)
    return {"created": sum(c.created for c in counts), "solved": solved,
            "overdue": sum(c.overdue for c in counts), "sla_met": met, "sla_decided": decided,
            "sla_met_rate": rate(met, decided)}


def _tickets(created: dict[Pair, store.TicketCounts], solved: dict[Pair, int]) -> dict[str, Any]:
    """Created and solved in the period, overdue now, and the share of decided SLAs met: overall, per kind and
    per owner; the store counts per (kind, owner)."""
    from handoff.domain.ticket_words import KIND_LABELS_DE

    def grouped(index: int, labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
        def name(pair: Pair) -> str:
            return pair[index] or UNOWNED

        names = sorted({name(pair) for pair in created} | {name(pair) for pair in solved})
        return [{"name": each, "label": (labels or {}).get(each, each),
                 **_ticket_counts([c for pair, c in created.items() if name(pair) == each],
                                  sum(n for pair, n in solved.items() if name(pair) == each))} for each in names]

    return {**_ticket_counts(list(created.values()), sum(solved.values())),
            "by_kind": grouped(0, KIND_LABELS_DE), "by_agent": grouped(1)}


def _volume(by_channel: dict[str, int], messages_by_channel: dict[str, int]) -> dict[str, Any]:
    channels = [name for name in KNOWN_CHANNELS if name != "email" or name in by_channel]
    channels += sorted(set(by_channel) - set(channels))
    total = sum(by_channel.values())
    return {"conversations": total, "customer_messages": sum(messages_by_channel.values()),
            "channels": [{"channel": name, "conversations": by_channel.get(name, 0),
                          "customer_messages": messages_by_channel.get(name, 0),
                          "share": rate(by_channel.get(name, 0), total)} for name in channels]}


def _outcome(counts: store.OutcomeCounts, handoffs: store.HandoffCounts) -> dict[str, Any]:
    return {"conversations": counts.conversations, "bot_engaged": counts.bot_engaged,
            "contained": counts.contained, "containment_rate": rate(counts.contained, counts.bot_engaged),
            "handed_off": counts.handed_off, "handoff_rate": rate(counts.handed_off, counts.bot_engaged),
            # Chatwoot's rate (every conversation in the denominator), shown for comparison only.
            "handoff_rate_all_conversations": rate(counts.handed_off_any, counts.conversations),
            "handoffs": handoffs.handoffs, "after_hours_tickets": handoffs.after_hours_tickets,
            "no_agent_tickets": handoffs.no_agent_tickets}


def _reasons_over_time(rows: Sequence[tuple[Any, str, int]], period: Period) -> dict[str, Any]:
    """A request with two reasons counts under both (the codes of one request are stored once each)."""
    labels = periods.buckets(period)
    series: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    hourly = period.granularity == periods.HOUR
    bucket_of_day: dict[Any, str] = {}
    for when, codes, count in rows:
        if hourly:
            bucket = periods.bucket_of(when, period)
        else:
            bucket = bucket_of_day.get(when) or bucket_of_day.setdefault(when, periods.bucket_of_day(when, period))
        for code in codes.split(",") if codes else ():
            series.setdefault(code, Counter())[bucket] += count
            totals[code] += count
    reasons = sorted(totals, key=lambda code: (-totals[code], code))
    return {"granularity": period.granularity, "buckets": labels,
            "totals": [{"reason": code, "count": totals[code]} for code in reasons],
            "series": [{"reason": code, "counts": [series[code][label] for label in labels]} for code in reasons]}


def _waiting(counts: store.HandoffCounts, durations: store.HandoffDurations) -> dict[str, Any]:
    """Durations as measured into the facts (definitions: handoff_facts in handoff/domain/report_facts.py)."""
    return {"time_in_queue": durations.stats["queue"].to_dict(),
            "first_response": durations.stats["first_response"].to_dict(),
            "resolution": durations.stats["resolution"].to_dict(),
            "abandoned": counts.abandoned, "queued": counts.queued,
            "abandoned_rate": rate(counts.abandoned, counts.queued)}


def _summary(figures: dict[str, Any]) -> dict[str, float | int | None]:
    """The headline figures compared with the previous period."""
    waiting = figures["waiting"]
    return {"conversations": figures["volume"]["conversations"],
            "customer_messages": figures["volume"]["customer_messages"],
            "containment_rate": figures["outcome"]["containment_rate"],
            "handoff_rate": figures["outcome"]["handoff_rate"],
            "after_hours_tickets": figures["outcome"]["after_hours_tickets"],
            "first_response_p50_seconds": waiting["first_response"]["p50_seconds"],
            "first_response_p50_business_seconds": waiting["first_response"]["p50_business_seconds"],
            "abandoned": waiting["abandoned"],
            "csat_average": figures["csat"]["average"],
            "satisfaction_score": figures["csat"]["satisfaction_score"],
            "response_rate": figures["csat"]["response_rate"]}


def _changes(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, float | None]:
    return {name: definitions.change(value, previous.get(name)) for name, value in current.items()}


async def topics(ctx: ServiceContext, request: ReportRequest, known_intents: Sequence[str]) -> dict[str, Any]:
    """Per intent: volume, not-understood rate, handoff rate, tone distribution (the trainers' part)."""
    period, _hours = await period_for(ctx, request)
    if request.topic is not None and request.topic not in set(known_intents) | {FALLBACK_INTENT}:
        raise ValidationError("topic", f"Unbekanntes Thema: {request.topic}")
    await refresh(ctx)
    async with reading(ctx) as conn:
        rows = await store.topics(conn, period.first_day, period.last_day, request.topic)
        before = await store.topics_before(conn, period.first_day, period.end, request.topic)
    rows = _with_topics_raised_before(rows, before, period)
    return {"period": period.to_dict(), "topics": [{
        "intent": row.intent, "messages": row.messages, "not_understood": row.not_understood,
        "not_understood_rate": rate(row.not_understood, row.messages), "conversations": row.conversations,
        "handed_off": row.handed_off, "handoff_rate": rate(row.handed_off, row.conversations),
        "tones": row.tones} for row in rows]}



def _with_topics_raised_before(rows: list[store.TopicRow], before: Sequence[Any],
                               period: Period) -> list[store.TopicRow]:
    """The day totals count a conversation under a topic on the day the topic first came up; a conversation that
    raised it before the period and again in it is added here (docs/reports.md, "How the figures are computed")."""
    extra: Counter[str] = Counter()
    handed: Counter[str] = Counter()
    for last_handoff_at, messages in before:
        for intent, (count, handed_off) in straddling_topics(messages, last_handoff_at, period.start,
                                                              period.end).items():
            extra[intent] += count
            handed[intent] += handed_off
    if not extra:
        return rows
    return [replace(row, conversations=row.conversations + extra[row.intent],
                    handed_off=row.handed_off + handed[row.intent]) for row in rows]


async def intents_seen(ctx: ServiceContext) -> list[str]:
    """Intents stored on customer messages: what a topic may be when the trainer's domain is not loaded yet."""
    async with reading(ctx) as conn:
        return await store.intents_seen(conn)
