"""Periodic ticket work: pending reminders fall due, solved tickets close after the configured days.

Safe to run on several instances at once: each change is the table's conditional UPDATE, and a ticket another
instance changed first is skipped (Conflict). Started by the app next to the routing sweep (handoff/web/app.py).
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from handoff.domain.events import TicketReminderDue
from handoff.domain.ticket_states import TicketTrigger
from handoff.domain.ticket_words import ARTICLE_SYSTEM, CHANNEL_SYSTEM
from handoff.domain.vocabulary import SYSTEM
from handoff.services.context import ServiceContext
from handoff.services.errors import Conflict
from handoff.services.ticket_lifecycle import add_article, apply_ticket, load_ticket
from handoff.services.ticket_sla import get_sla_settings
from handoff.services.unit_of_work import reading, unit_of_work
from handoff.store import tickets as store

log = logging.getLogger(__name__)

JOB_INTERVAL_SECONDS = 60.0
BATCH = 100
REMINDER_TEXT = "Erinnerung: Die Wartezeit auf die Kundin oder den Kunden ist abgelaufen. Bitte nachfassen."
AUTO_CLOSE_TEXT = "Automatisch geschlossen: {days} Tage nach dem Lösen ohne Rückmeldung."


async def send_due_reminders(ctx: ServiceContext) -> int:
    """Pending tickets whose reminder time has come go back to open, and their owner is told."""
    now = ctx.now()
    async with reading(ctx) as conn:
        due = await store.due_reminders(conn, now, BATCH)
    done = 0
    for row in due:
        try:
            async with unit_of_work(ctx) as uow:
                ticket = await load_ticket(uow, row["id"])
                if ticket["status"] != "pending" or ticket["pending_until"] is None or ticket["pending_until"] > now:
                    continue   # changed since the list was read
                await apply_ticket(uow, ticket, TicketTrigger.REMINDER_DUE, now)
                await add_article(uow, ticket["id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_SYSTEM,
                                  sender_type=SYSTEM, text=REMINDER_TEXT,
                                  meta={"pending_until": ticket["pending_until"].isoformat()})
                uow.record(TicketReminderDue(ticket["conversation_id"] or "", ticket_id=ticket["id"],
                                             number=ticket["number"], owner_id=ticket["owner_id"]))
            done += 1
        except Conflict:
            continue
    return done


async def close_solved(ctx: ServiceContext) -> int:
    """Solved tickets without a customer reply for `close_after_days` become closed (final)."""
    settings = await get_sla_settings(ctx)
    now = ctx.now()
    async with reading(ctx) as conn:
        rows = await store.solved_before(conn, now - timedelta(days=settings.close_after_days), BATCH)
    done = 0
    for row in rows:
        try:
            async with unit_of_work(ctx) as uow:
                ticket = await load_ticket(uow, row["id"])
                await apply_ticket(uow, ticket, TicketTrigger.AUTO_CLOSED, now)
                await add_article(uow, ticket["id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_SYSTEM,
                                  sender_type=SYSTEM, text=AUTO_CLOSE_TEXT.format(days=settings.close_after_days))
            done += 1
        except Conflict:
            continue
        except Exception:   # InvalidTicketTransition: reopened by a reply since the list was read
            log.debug("auto-close skipped ticket %s", row["id"], exc_info=True)
    return done


async def run_ticket_jobs_once(ctx: ServiceContext) -> tuple[int, int]:
    return await send_due_reminders(ctx), await close_solved(ctx)


async def run_ticket_jobs(ctx: ServiceContext, interval_seconds: float = JOB_INTERVAL_SECONDS) -> None:
    """Run at start-up, then every interval until cancelled; a failed run (database away) waits for the next."""
    while True:
        try:
            reminded, closed = await run_ticket_jobs_once(ctx)
            if reminded or closed:
                log.info("ticket jobs: %d reminders due, %d tickets closed", reminded, closed)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("ticket jobs failed; retrying in %.0f s", interval_seconds)
        await asyncio.sleep(interval_seconds)
