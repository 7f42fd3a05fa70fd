"""One inbound mail, from either intake (SMTP receiver, IMAP polling): threaded onto its ticket, or a new ticket.

One transaction per mail: the raw mail, the article (or new ticket), its Message-ID and any bounce facts commit
together, so a crash leaves the mail unprocessed (and the intake delivers it again) rather than half-done. The
SHA-256 of the bytes and the Message-ID make a second delivery of the same mail a no-op.
Rules: handoff/mail/threading.py (which ticket), handoff/mail/loops.py (what kind of mail, may we answer it).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Mapping

from handoff.domain.ticket_words import (
    ARTICLE_NOTE, ARTICLE_SYSTEM, CHANNEL_EMAIL, KIND_EMAIL, MAX_TICKET_TEXT_CHARS, reference,
)
from handoff.domain.redaction import redact
from handoff.domain.vocabulary import SYSTEM
from handoff.mail import threading
from handoff.mail.addresses import InvalidAddress, tokens_in, validate_address
from handoff.mail.loops import MailKind, Verdict, classify
from handoff.mail.parse import InboundMail, parse_mail, without_refused_attachments
from handoff.services.context import ServiceContext
from handoff.services.mail_delivery import reopen_for_mail_problem
from handoff.services.mail_outbox import enqueue_acknowledgement_in, mail_settings
from handoff.services.mail_privacy import headers_only
from handoff.services.mapping import new_id
from handoff.services.ticket_lifecycle import add_article, load_ticket, record_change
from handoff.services.tickets import add_customer_reply_in, open_ticket_in
from handoff.metrics import record as metrics
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.store import mail as store

log = logging.getLogger(__name__)

DUPLICATE = "duplicate"
EMPTY_TEXT = "(Die E-Mail enthält keinen Text.)"


@dataclass(frozen=True)
class IntakeResult:
    outcome: str                 # threaded | new_ticket | follow_up | bounce | auto_reply | ignored_bulk | ...
    ticket_id: str | None = None
    number: int | None = None
    via: str | None = None
    acknowledged: bool = False


# Outcomes in which the mail became a customer article of a ticket (counted in nordwind_messages_total).
CUSTOMER_MAIL_OUTCOMES = ("threaded", "follow_up", "new_ticket")
CUSTOMER_SENDER = "customer"


async def receive_mail(ctx: ServiceContext, raw: bytes, source: str) -> IntakeResult:
    settings = mail_settings(ctx)
    digest = hashlib.sha256(raw).hexdigest()
    mail = parse_mail(raw, max_text_chars=MAX_TICKET_TEXT_CHARS,
                      max_attachment_bytes=settings.max_attachment_bytes)
    verdict = classify(mail, frozenset({settings.from_address.lower()}), settings.reply_domain_or_default)
    async with unit_of_work(ctx) as uow:
        if await store.raw_exists(uow.conn, digest) or (
                mail.message_id and await store.incoming_message_id_seen(uow.conn, mail.message_id)):
            return IntakeResult(DUPLICATE)
        result = await _process(uow, ctx, mail, verdict)
        if ctx.config.redact_transcripts:
            raw = headers_only(raw)
        elif any(attachment.refused for attachment in mail.attachments):
            raw = without_refused_attachments(raw, settings.max_attachment_bytes)
        await store.insert_raw(uow.conn, {
            "id": new_id(), "ticket_id": result.ticket_id, "digest": digest, "message_id": mail.message_id,
            "source": source, "sender": mail.from_address[:320] or None, "kind": verdict.kind.value,
            "outcome": result.outcome, "size": len(raw), "raw": raw, "received_at": ctx.now(),
        })
    if result.outcome in CUSTOMER_MAIL_OUTCOMES:
        metrics.message_stored(CHANNEL_EMAIL, CUSTOMER_SENDER)   # committed: the mail is a customer message
    log.info("mail intake (%s): %s %s ticket %s via %s", source, verdict.kind.value, result.outcome,
             result.number, result.via)
    return result


async def _process(uow: UnitOfWork, ctx: ServiceContext, mail: InboundMail, verdict: Verdict) -> IntakeResult:
    if verdict.kind in (MailKind.OWN, MailKind.BULK):
        return IntakeResult(f"ignored_{verdict.kind.value}")
    decision = await _decide(uow, ctx, mail)
    ticket = await load_ticket(uow, decision.ticket.ticket_id) if decision.ticket else None
    if verdict.kind is MailKind.BOUNCE:
        return await _bounce(uow, ctx, mail, ticket, decision)
    if verdict.kind is MailKind.AUTO_REPLY:
        if ticket is None:
            return IntakeResult("ignored_auto_reply")
        await _system_article(uow, ctx, ticket, ARTICLE_SYSTEM, "Automatische Antwort erhalten (öffnet das Ticket "
                              f"nicht wieder): {_clip(mail.new_text, 500)}", _meta(mail, decision.via))
        return IntakeResult("auto_reply", ticket["id"], ticket["number"], decision.via)
    text = _clip(mail.new_text, MAX_TICKET_TEXT_CHARS) or EMPTY_TEXT
    if ctx.config.redact_transcripts:
        text = redact(text)
    meta = _meta(mail, decision.via)
    if ticket is not None:
        got = await add_customer_reply_in(uow, ctx, ticket, CHANNEL_EMAIL, text, meta)
        outcome = "threaded" if got["id"] == ticket["id"] else "follow_up"
    else:
        got = await open_ticket_in(uow, ctx, kind=KIND_EMAIL, channel=CHANNEL_EMAIL, email=_contact(mail),
                                   customer_name=mail.from_name[:128] or None, subject=mail.subject or None,
                                   text=text, meta=meta)
        outcome = "new_ticket"
        if decision.refused_reference is not None:
            await add_article(uow, got["id"], ctx.now(), kind=ARTICLE_NOTE, channel=CHANNEL_EMAIL,
                              sender_type=SYSTEM, text=(
                                  f"Der Betreff nennt {reference(decision.refused_reference)}, der Absender "
                                  f"{mail.from_address} ist aber nicht der Kunde jenes Tickets. Deshalb ist dies ein "
                                  "neues Ticket (nie an das Ticket eines anderen Kunden angehängt)."),
                              meta={"refused_reference": decision.refused_reference})
    await _note_attachments(uow, ctx, got, mail)
    if mail.message_id:
        await store.add_message_id(uow.conn, mail.message_id, got["id"], "in", ctx.now())
    acknowledged = False
    if outcome != "threaded" and verdict.may_auto_answer and got["email"]:
        acknowledged = await enqueue_acknowledgement_in(uow, ctx, got) is not None
    return IntakeResult(outcome, got["id"], got["number"], decision.via, acknowledged)


async def _decide(uow: UnitOfWork, ctx: ServiceContext, mail: InboundMail) -> threading.Decision:
    settings = mail_settings(ctx)
    by_token = by_message_id = by_subject = None
    for token in tokens_in(mail.recipients, settings.mailbox, settings.reply_domain_or_default):
        ticket_id = await store.ticket_id_by_token(uow.conn, token)
        if ticket_id:
            by_token = await _ref(uow, ticket_id=ticket_id)
            break
    ids = threading.message_id_order(mail.in_reply_to, mail.references)
    if mail.original_message_id:
        ids.insert(0, mail.original_message_id)
    found = await store.ticket_ids_by_message_ids(uow.conn, ids)
    for message_id in ids:
        if message_id in found:
            by_message_id = await _ref(uow, ticket_id=found[message_id])
            break
    for number in threading.subject_numbers(mail.subject):
        by_subject = await _ref(uow, number=number)
        if by_subject:
            break
    return threading.decide(threading.Candidates(mail.from_address, by_token, by_message_id, by_subject))


async def _ref(uow: UnitOfWork, *, ticket_id: str | None = None, number: int | None = None
               ) -> threading.TicketRef | None:
    row = await store.ticket_ref(uow.conn, ticket_id=ticket_id, number=number)
    if row is None:
        return None
    return threading.TicketRef(row["id"], row["number"], row["email"])


async def _bounce(uow: UnitOfWork, ctx: ServiceContext, mail: InboundMail, ticket: Mapping[str, Any] | None,
                  decision: threading.Decision) -> IntakeResult:
    """A permanent failure marks the address undeliverable and stops the outbox for it; never a new ticket."""
    now = ctx.now()
    lines = []
    permanent = False
    for status in mail.delivery_status:
        if status.permanent:
            permanent = True
            await store.mark_undeliverable(uow.conn, status.recipient, status.status, status.diagnostic,
                                           ticket["id"] if ticket else None, now)
            await store.stop_open_mails_to(uow.conn, status.recipient, now, f"{status.status} {status.diagnostic}")
            if mail.original_message_id:
                await store.mark_outbox_by_message_id(uow.conn, mail.original_message_id, now,
                                                      f"{status.status} {status.diagnostic}")
            lines.append(f"E-Mail an {status.recipient} ist unzustellbar ({status.status}: "
                         f"{_clip(status.diagnostic, 200)}). Weitere E-Mails an diese Adresse werden nicht versandt.")
        else:
            lines.append(f"Zustellung an {status.recipient} verzögert oder gemeldet ({status.action} "
                         f"{status.status}); der Mailserver versucht es weiter.")
    if ticket is None:
        return IntakeResult("bounce")
    await _system_article(uow, ctx, ticket, ARTICLE_NOTE, "\n".join(lines) or "Unzustellbarkeitsnachricht "
                          "erhalten (ohne Angaben zum Empfänger).", {**_meta(mail, decision.via),
                                                                      "bounce": permanent})
    if permanent:
        await reopen_for_mail_problem(uow, ctx, ticket["id"])
    return IntakeResult("bounce", ticket["id"], ticket["number"], decision.via)


async def _system_article(uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any], kind: str, text: str,
                          meta: dict[str, Any]) -> None:
    await add_article(uow, ticket["id"], ctx.now(), kind=kind, channel=CHANNEL_EMAIL, sender_type=SYSTEM,
                      text=text, meta=meta)
    record_change(uow, ticket, "mail")


async def _note_attachments(uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any],
                            mail: InboundMail) -> None:
    refused = [a for a in mail.attachments if a.refused]
    if not refused and not mail.truncated:
        return
    limit_mb = mail_settings(ctx).max_attachment_bytes / (1024 * 1024)
    parts = [f"„{a.filename}“ ({a.size / (1024 * 1024):.1f} MB)" for a in refused]
    text = []
    if parts:
        text.append(f"Anhänge über der Grenze von {limit_mb:.0f} MB wurden nicht übernommen: {', '.join(parts)}. "
                    "Bitte die Kundin oder den Kunden um einen anderen Weg (z. B. kleinere Dateien).")
    if mail.truncated:
        text.append(f"Der Text der E-Mail war länger als {MAX_TICKET_TEXT_CHARS} Zeichen und wurde gekürzt; die "
                    "vollständige E-Mail ist im Export enthalten.")
    await add_article(uow, ticket["id"], ctx.now(), kind=ARTICLE_NOTE, channel=CHANNEL_EMAIL, sender_type=SYSTEM,
                      text=" ".join(text), meta={"refused_attachments": [a.filename for a in refused]})


def _meta(mail: InboundMail, via: str | None) -> dict[str, Any]:
    return {"message_id": mail.message_id, "from": mail.from_address, "subject": mail.subject[:200],
            "threaded_via": via, "html_only": mail.html_only,
            "attachments": [{"filename": a.filename, "size": a.size, "refused": a.refused}
                            for a in mail.attachments]}


def _contact(mail: InboundMail) -> str | None:
    try:
        return validate_address(mail.from_address)
    except InvalidAddress:
        return None


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
