"""Keeping the report facts current (docs/reports.md, "How the figures are computed").

`refresh` brings the facts up to date with every change since the last refresh: it runs right before a report
is answered (so a report is never stale) and every minute as a job (so that refresh has little left to do).
What changed is read from the stamps the product writes anyway (a conversation's updated_at, a message's,
handoff's or ticket's creation time) from a watermark on, minus a margin for transactions that were still
open; a change that no stamp shows (a claim, a routed message) is covered by `pending`: a conversation with
an open handoff or an unrouted message is read again every time.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain import report_facts as facts
from handoff.domain.hours import BusinessHours
from handoff.domain.report_periods import DAY, Period
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.unit_of_work import reading, transaction
from handoff.store import report_facts as store

logger = logging.getLogger(__name__)

# Stamps are taken inside their transaction, a moment before it commits: what committed a little after the
# previous refresh may carry a stamp from before it. Every refresh looks this far back again.
MARGIN = timedelta(minutes=5)
BATCH_SIZE = 500
REFRESH_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class RefreshResult:
    rebuilt: bool           # every fact built again (first run, or other business hours / zone)
    conversations: int      # conversations whose facts were written
    days: int               # days whose totals were counted again


async def refresh(ctx: ServiceContext) -> RefreshResult:
    """One transaction; concurrent refreshes run one after the other. Nothing is written when nothing changed
    (a report of a quiet shop costs a few index lookups, not a commit)."""
    async with reading(ctx) as conn:
        if not await _anything_to_do(conn):
            return RefreshResult(False, 0, 0)
    async with transaction(ctx) as conn:
        await store.lock_refresh(conn)
        now = ctx.now()
        hours = await load_business_hours(conn)
        state = await store.read_state(conn)
        fingerprint = facts.hours_fingerprint(hours)
        rebuild = state.get("hours") != fingerprint or "watermark" not in state
        if rebuild:
            await store.clear(conn)
            ids: Sequence[str] = await store.all_conversation_ids(conn)
        else:
            since = datetime.fromisoformat(state["watermark"])
            ids = sorted(await store.changed_conversation_ids(conn, since)
                         | await store.conversations_without_facts(conn))
        totals: dict[facts.DayKey, facts.DayTotals] = {}
        days: set[date] = set()          # local days of customer messages: report_days
        fact_days: set[date] = set()     # creation and request days: the sums of the facts
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            records = await store.conversation_records(conn, batch)
            conversation_facts = [facts.conversation_facts(record, hours.zone) for record in records]
            await store.write_facts(conn, batch, conversation_facts, [
                facts.handoff_facts(handoff, record.id, record.agent_replies, hours)
                for record in records for handoff in record.handoffs])
            if rebuild:
                for record in records:
                    facts.day_totals(record, hours.zone, record.last_handoff_at, into=totals)
            else:
                days.update(facts.local_day(m.created_at, hours.zone)
                            for record in records for m in record.customer_messages)
                fact_days.update(f.created_day for f in conversation_facts)
                fact_days.update(facts.local_day(h.requested_at, hours.zone)
                                 for record in records for h in record.handoffs)
        if rebuild:
            await store.write_days(conn, None, totals)
            await store.count_fact_days(conn, None)
        else:
            marked = await store.take_marked_days(conn)
            await _count_days_again(conn, days | marked, hours)
            await store.count_fact_days(conn, fact_days | marked)
            days |= marked
        await store.write_state(conn, {"watermark": (now - MARGIN).isoformat(), "hours": fingerprint})
    counted = {key[0] for key in totals} if rebuild else days
    return RefreshResult(rebuild, len(ids), len(counted))


async def _anything_to_do(conn: AsyncConnection) -> bool:
    """The refresh's own questions, without its lock: other hours, a change since the watermark, marked days."""
    state = await store.read_state(conn)
    if state.get("hours") != facts.hours_fingerprint(await load_business_hours(conn)) or "watermark" not in state:
        return True
    since = datetime.fromisoformat(state["watermark"])
    return bool(await store.changed_conversation_ids(conn, since) or await store.conversations_without_facts(conn)
                or await store.has_marked_days(conn))


async def _count_days_again(conn: AsyncConnection, days: set[date], hours: BusinessHours) -> None:
    """The totals of these days from every conversation that wrote on them (the whole conversation: a topic's
    first message may lie on an earlier day)."""
    if not days:
        return
    periods = [Period(DAY, day, day, hours.time_zone) for day in sorted(days)]
    spans = [(period.start, period.end) for period in periods]
    ids = sorted(await store.conversations_writing_on(conn, spans))
    totals: dict[facts.DayKey, facts.DayTotals] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        for record in await store.conversation_records(conn, ids[start:start + BATCH_SIZE]):
            facts.day_totals(record, hours.zone, record.last_handoff_at, into=totals, days=days)
    await store.write_days(conn, days, totals)


async def run_report_refresh(ctx: ServiceContext, interval: float = REFRESH_INTERVAL_SECONDS) -> None:
    """The job: keeps the facts close to current, so that the refresh before a report has little to do."""
    while True:
        try:
            result = await refresh(ctx)
            if result.rebuilt:
                logger.info("reports: facts of %d conversations built", result.conversations)
        except asyncio.CancelledError:
            raise
        except Exception:   # the next run tries again; a report refreshes before answering anyway
            logger.exception("reports: refreshing the facts failed")
        await asyncio.sleep(interval)
