"""The outbox sender's use cases: claim due mails, and record what the SMTP server said, one transaction each.

Exactly once, as far as SMTP allows: a row is claimed with a lease (conditional UPDATE), its attempt is recorded
under a fresh idempotency key before the first byte goes out, and the result is committed right after the server's
answer. The one window that cannot be closed is a crash after the server's 250 and before that commit: the lease
runs out, the attempt stays unfinished (recorded as `interrupted` by whoever takes over) and the mail is sent once
more, with the same Message-ID, which receiving systems use to drop the duplicate. Nothing else runs inside the
window: the commit is the next statement after the 250 (docs/email.md).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping

from handoff.domain.ticket_states import TicketStatus, TicketTrigger
from handoff.domain.ticket_words import ARTICLE_NOTE, ARTICLE_SYSTEM, CHANNEL_EMAIL
from handoff.domain.vocabulary import SYSTEM
from handoff.services.context import ServiceContext
from handoff.services.mail_outbox import mail_settings
from handoff.services.mapping import new_id
from handoff.services.ticket_lifecycle import add_article, apply_ticket, record_change
from handoff.services.unit_of_work import UnitOfWork, reading, unit_of_work
from handoff.store import mail as store
from handoff.store import tickets as ticket_store

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
ENHANCED_STATUS = re.compile(r"\b[245]\.\d{1,3}\.\d{1,3}\b")   # RFC 3463, e.g. 5.1.1
PURPOSE_LABELS_DE = {"answer": "Antwort", "acknowledgement": "Eingangsbestätigung", "transcript": "Chatprotokoll"}


@dataclass(frozen=True)
class Claimed:
    outbox_id: str
    claim_id: str          # the attempt's idempotency key
    to_address: str
    from_address: str
    raw: bytes
    message_id: str
    attempts: int


def lease(ctx: ServiceContext) -> timedelta:
    """How long a claim protects a mail being sent: longer than any SMTP dialogue can take (3 × the timeout)."""
    return timedelta(seconds=3 * mail_settings(ctx).smtp_timeout_seconds)


def backoff(ctx: ServiceContext, attempts: int) -> timedelta:
    first = timedelta(seconds=mail_settings(ctx).retry_seconds)
    return min(MAX_BACKOFF, first * (2 ** max(0, attempts - 1)))


async def claim_due(ctx: ServiceContext, limit: int = 20) -> list[Claimed]:
    now = ctx.now()
    expired = now - lease(ctx)
    async with reading(ctx) as conn:
        ids = await store.due_outbox_ids(conn, now, expired, limit)
    claimed = []
    for outbox_id in ids:
        claim_id = new_id()
        async with unit_of_work(ctx) as uow:
            row = await store.claim_outbox(uow.conn, outbox_id, claim_id, now, expired)
            if row is None:
                continue   # another sender took it
            for attempt in await store.attempts_of(uow.conn, outbox_id):
                if attempt["finished_at"] is None:   # a sender died inside its attempt: maybe after the 250
                    await store.finish_attempt(uow.conn, attempt["id"], now, "interrupted",
                                               error="Versand abgebrochen (Prozess beendet); erneuter Versand")
                    log.warning("outbox: attempt %s of mail %s was interrupted; sending again (same Message-ID)",
                                attempt["id"], row["message_id"])
            await store.start_attempt(uow.conn, claim_id, outbox_id, now)
        claimed.append(Claimed(outbox_id, claim_id, row["to_address"], mail_settings(ctx).from_address,
                               row["raw"].encode("utf-8"), row["message_id"], row["attempts"]))
    return claimed


async def record_sent(ctx: ServiceContext, mail: Claimed, smtp_code: int) -> bool:
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        if not await store.finish_outbox(uow.conn, mail.outbox_id, mail.claim_id, status=store.SENT, sent_at=now,
                                         last_error=None):
            return False
        await store.finish_attempt(uow.conn, mail.claim_id, now, "sent", smtp_code)
        row = await store.get_outbox(uow.conn, mail.outbox_id)
        if row is not None and row["ticket_id"]:
            await _history(uow, ctx, row, ARTICLE_SYSTEM,
                           f"{PURPOSE_LABELS_DE.get(row['purpose'], 'E-Mail')} per E-Mail an {row['to_address']} "
                           f"versandt.", {"outbox_id": row["id"], "message_id": row["message_id"], "status": "sent"})
    return True


async def record_failure(ctx: ServiceContext, mail: Claimed, error: str, smtp_code: int | None,
                         permanent: bool, recipient_refused: bool) -> str:
    """A refused or failed attempt: retried with back-off, or given up (note + reopen). Returns the new status."""
    settings = mail_settings(ctx)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        row = await store.get_outbox(uow.conn, mail.outbox_id)
        if row is None or row["claim_id"] != mail.claim_id:
            return row["status"] if row is not None else "gone"
        if permanent and recipient_refused:
            status = store.UNDELIVERABLE
            enhanced = ENHANCED_STATUS.search(error)
            await store.mark_undeliverable(uow.conn, row["to_address"], enhanced.group(0) if enhanced else
                                           str(smtp_code or "5.0.0"), error, row["ticket_id"], now)
            await store.stop_open_mails_to(uow.conn, row["to_address"], now, error)
        elif permanent or mail.attempts >= settings.max_attempts:
            status = store.FAILED
        else:
            status = store.PENDING
        values: dict[str, Any] = {"status": status, "last_error": error[:500]}
        if status == store.PENDING:
            values["next_attempt_at"] = now + backoff(ctx, mail.attempts)
        else:
            values["failed_at"] = now
        await store.finish_outbox(uow.conn, mail.outbox_id, mail.claim_id, **values)
        await store.finish_attempt(uow.conn, mail.claim_id, now, "retry" if status == store.PENDING else "permanent",
                                   smtp_code, error)
        if status != store.PENDING and row["ticket_id"]:
            await _give_up(uow, ctx, row, status, error, mail.attempts)
    return status


async def _give_up(uow: UnitOfWork, ctx: ServiceContext, row: Mapping[str, Any], status: str, error: str,
                   attempts: int) -> None:
    """Zammad's behaviour: the ticket gets an internal note and opens again, so a person takes care of it."""
    what = PURPOSE_LABELS_DE.get(row["purpose"], "E-Mail")
    if status == store.UNDELIVERABLE:
        text = (f"{what} an {row['to_address']} ist unzustellbar (die Adresse existiert nicht oder nimmt keine "
                f"Post an): {error}. Bitte erreichen Sie die Kundin oder den Kunden auf anderem Weg.")
    else:
        text = (f"{what} an {row['to_address']} konnte nach {attempts} Versuchen nicht versandt werden: {error}. "
                "Bitte prüfen Sie die Adresse oder die SMTP-Einstellungen.")
    await _history(uow, ctx, row, ARTICLE_NOTE, text, {"outbox_id": row["id"], "status": status})
    await reopen_for_mail_problem(uow, ctx, row["ticket_id"])


async def reopen_for_mail_problem(uow: UnitOfWork, ctx: ServiceContext, ticket_id: str) -> None:
    ticket = await ticket_store.get_ticket(uow.conn, ticket_id)
    if ticket is None:
        return
    if ticket["status"] in (TicketStatus.SOLVED, TicketStatus.PENDING):
        await apply_ticket(uow, ticket, TicketTrigger.REOPENED, ctx.now(), change="mail_failed")
    else:
        record_change(uow, ticket, "mail_failed")


async def _history(uow: UnitOfWork, ctx: ServiceContext, row: Mapping[str, Any], kind: str, text: str,
                   meta: dict[str, Any]) -> None:
    now = ctx.now()
    await add_article(uow, row["ticket_id"], now, kind=kind, channel=CHANNEL_EMAIL, sender_type=SYSTEM, text=text,
                      meta=meta)
    ticket = await ticket_store.get_ticket(uow.conn, row["ticket_id"])
    if ticket is not None:
        await ticket_store.update_ticket(uow.conn, ticket["id"], updated_at=now)
        if kind == ARTICLE_SYSTEM:
            record_change(uow, ticket, "mail_sent")
