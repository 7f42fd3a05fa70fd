"""Tickets are personal data: export and erasure per contact (an e-mail customer has no conversation to export),
and retention of tickets without a conversation. Tickets of a conversation are exported and deleted with it
(services/admin.py, services/retention.py)."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from handoff.domain.events import TicketChanged
from handoff.services.context import ServiceContext
from handoff.services.text_input import clean_email
from handoff.services.ticket_views import article_view, ticket_view
from handoff.services.unit_of_work import reading, unit_of_work
from handoff.store import tickets as store

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
BATCH_SIZE = 200
DELETED = "deleted"


async def export_contact(ctx: ServiceContext, email: str) -> dict[str, Any]:
    """Every ticket of this e-mail address with its whole history, internal notes included (access request)."""
    email = clean_email(email)
    now = ctx.now()
    async with reading(ctx) as conn:
        rows = await store.tickets_for_contact(conn, email)
        tickets = [{**ticket_view(row, now).to_dict(),
                    "articles": [article_view(a).to_dict() for a in await store.articles_of(conn, row["id"])]}
                   for row in rows]
    return {"format_version": EXPORT_FORMAT_VERSION, "exported_at": now.isoformat(), "email": email,
            "tickets": tickets}


async def delete_contact(ctx: ServiceContext, email: str) -> int:
    """Erase every ticket (and its history) of this e-mail address; returns how many were deleted."""
    email = clean_email(email)
    async with unit_of_work(ctx) as uow:
        rows = await store.tickets_for_contact(uow.conn, email)
        for row in rows:
            await store.delete_ticket(uow.conn, row["id"])
            uow.record(TicketChanged(row["conversation_id"] or "", ticket_id=row["id"], number=row["number"],
                                     status=DELETED, owner_id=row["owner_id"], change=DELETED))
    return len(rows)


async def purge_expired_tickets(ctx: ServiceContext, cutoff: datetime) -> int:
    """Delete tickets without a conversation that nobody touched since `cutoff`, in short batches."""
    deleted = 0
    while True:
        async with unit_of_work(ctx) as uow:
            ids = await store.expired_ticket_ids(uow.conn, cutoff, BATCH_SIZE)
            for ticket_id in ids:
                deleted += await store.delete_ticket(uow.conn, ticket_id)
        if len(ids) < BATCH_SIZE:
            return deleted
