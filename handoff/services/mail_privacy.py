"""E-mail under the privacy rules: export, erasure and retention cover mail bodies, addresses, the outbox and raw
mails, like transcripts (docs/email.md).

- Delete: every mail row hangs off a ticket or a conversation (ON DELETE CASCADE, SQLite with foreign_keys=ON), so
  deleting a conversation or ticket deletes its mails; `erase_address` removes what is left for a contact.
- Retention: raw mails that never became part of a ticket (newsletters, our own, ignored auto-replies) and sent
  transcripts are deleted after RETENTION_DAYS; ticket mails go with their ticket.
- Export: a conversation's (or a contact's) mails, outgoing as sent and incoming as received.
- REDACT_TRANSCRIPTS: the inbound text is stored redacted and the raw mail keeps its headers only.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Sequence

from handoff.services.context import ServiceContext
from handoff.services.unit_of_work import reading, unit_of_work
from handoff.services.views import iso
from handoff.store import mail as store
from handoff.store import tickets as ticket_store

log = logging.getLogger(__name__)

REDACTED_BODY = b"\r\n[Inhalt nicht gespeichert: REDACT_TRANSCRIPTS ist eingeschaltet]\r\n"


def headers_only(raw: bytes) -> bytes:
    """The header block of a raw mail (REDACT_TRANSCRIPTS): who, when, which thread, without the body."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        index = raw.find(separator)
        if index >= 0:
            return raw[:index] + separator[: len(separator) // 2] + REDACTED_BODY
    return raw[:4000]


async def export_for_tickets(ctx: ServiceContext, ticket_ids: Sequence[str]) -> list[dict[str, Any]]:
    exported = []
    async with reading(ctx) as conn:
        for ticket_id in ticket_ids:
            outgoing = await store.outbox_of_ticket(conn, ticket_id)
            full = {row["id"]: await store.get_outbox(conn, row["id"]) for row in outgoing}
            exported.append({
                "ticket_id": ticket_id,
                "sent": [_sent(row, full[row["id"]]["raw"]) for row in outgoing],
                "received": [{"from": row["sender"], "message_id": row["message_id"], "kind": row["kind"],
                              "received_at": iso(row["received_at"]),
                              "raw": bytes(row["raw"]).decode("utf-8", "replace")}
                             for row in await store.raw_of_ticket(conn, ticket_id)],
            })
    return exported


def _sent(row: Any, raw: str) -> dict[str, Any]:
    return {"to": row["to_address"], "purpose": row["purpose"], "subject": row["subject"],
            "message_id": row["message_id"], "status": row["status"], "created_at": iso(row["created_at"]),
            "sent_at": iso(row["sent_at"]), "raw": raw}


def _with_transcripts(exported: list[dict[str, Any]], transcripts: Sequence[Any]) -> list[dict[str, Any]]:
    """Mails outside tickets (the chat transcripts) as one more entry, `"ticket_id": None`."""
    if transcripts:
        exported.append({"ticket_id": None, "sent": [_sent(row, row["raw"]) for row in transcripts],
                         "received": []})
    return exported


async def export_conversation_mail(ctx: ServiceContext, conversation_id: str) -> list[dict[str, Any]]:
    """The mails of the conversation's tickets, and the transcripts sent from it."""
    async with unit_of_work(ctx) as uow:
        ids = [row["id"] for row in await ticket_store.tickets_of_conversation(uow.conn, conversation_id)]
        transcripts = await store.mail_outside_tickets(uow.conn, conversation_id=conversation_id)
    return _with_transcripts(await export_for_tickets(ctx, ids), transcripts)


async def export_address_mail(ctx: ServiceContext, address: str) -> list[dict[str, Any]]:
    """The mails of the contact's tickets, and the transcripts sent to the address."""
    async with unit_of_work(ctx) as uow:
        ids = [row["id"] for row in await ticket_store.tickets_for_contact(uow.conn, address.strip())]
        transcripts = await store.mail_outside_tickets(uow.conn, to_address=address.strip())
    return _with_transcripts(await export_for_tickets(ctx, ids), transcripts)


async def erase_address(ctx: ServiceContext, address: str) -> int:
    """Mails to and raw mails from `address` outside tickets (tickets are deleted by their own erasure)."""
    async with unit_of_work(ctx) as uow:
        return await store.delete_mail_of_address(uow.conn, address.strip())


async def purge_expired_mail(ctx: ServiceContext, retention_days: int) -> int:
    cutoff = ctx.now() - timedelta(days=retention_days)
    async with unit_of_work(ctx) as uow:
        removed = await store.purge_unattached(uow.conn, cutoff)
    if removed:
        log.info("retention: %d e-mail rows older than %s deleted", removed, cutoff.date().isoformat())
    return removed

