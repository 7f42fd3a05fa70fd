"""Retention: conversations without any activity for longer than RETENTION_DAYS are deleted completely, on a schedule.

Complete means what the admin's delete removes (messages, handoffs, tickets, CSAT, the conversation) plus the
Rasa tracker when the bot engine can delete it. Several instances may run the job at once: a conversation
another instance deleted first is simply skipped.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from handoff.services.admin import erase_conversation
from handoff.services.context import ServiceContext
from handoff.services.errors import NotFound
from handoff.services.mail_privacy import purge_expired_mail
from handoff.services.ticket_privacy import purge_expired_tickets
from handoff.services.unit_of_work import reading
from handoff.store import retention as store

logger = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 3600.0
# Deleting in small batches keeps each transaction short next to live traffic.
BATCH_SIZE = 200


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    deleted: int
    trackers_deleted: int


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)


async def expired_conversation_ids(ctx: ServiceContext, cutoff: datetime, limit: int = BATCH_SIZE) -> list[str]:
    async with reading(ctx) as conn:
        return await store.expired_conversation_ids(conn, cutoff, limit)


async def purge_expired(ctx: ServiceContext, retention_days: int) -> PurgeResult:
    """Deletes every conversation last updated before now - retention_days; returns what was done."""
    cutoff = retention_cutoff(ctx.now(), retention_days)
    deleted = trackers = 0
    while True:
        batch = await expired_conversation_ids(ctx, cutoff)
        if not batch:
            break
        for conversation_id in batch:
            try:
                tracker_deleted = await erase_conversation(ctx, conversation_id)
            except NotFound:
                continue  # another instance was faster
            deleted += 1
            trackers += tracker_deleted
    tickets = await purge_expired_tickets(ctx, cutoff)   # tickets without a conversation (e-mail)
    await purge_expired_mail(ctx, retention_days)        # raw mails outside tickets, sent transcripts (issue 16)
    if deleted or tickets:
        logger.info("retention: deleted %d conversations and %d tickets older than %s", deleted, tickets,
                    cutoff.date().isoformat())
    return PurgeResult(cutoff=cutoff, deleted=deleted, trackers_deleted=trackers)


async def run_retention_schedule(ctx: ServiceContext, retention_days: int,
                                 interval_seconds: float = PURGE_INTERVAL_SECONDS) -> None:
    """Purges at start and then every interval, until cancelled; a failed run (database down) waits for the next."""
    while True:
        try:
            await purge_expired(ctx, retention_days)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.warning("retention run failed, retrying in %.0fs: %s", interval_seconds, type(error).__name__)
        await asyncio.sleep(interval_seconds)
