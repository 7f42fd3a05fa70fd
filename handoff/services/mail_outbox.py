"""Mails into the outbox, inside the transaction of what they send (an answer, a new ticket, a transcript).

Each row holds the composed message (same bytes and Message-ID on every retry). Nothing here talks SMTP: the
background sender (handoff/mail/outbox.py with services/mail_delivery.py) delivers what is committed, so an SMTP
outage only delays mails, and a rolled-back answer never leaves the building.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping

from handoff.domain.ticket_words import reference
from handoff.mail import compose as mime
from handoff.mail.addresses import InvalidAddress, new_reply_token, reply_address, validate_address
from handoff.services.context import ServiceContext
from handoff.services.errors import ValidationError
from handoff.services.mapping import new_id
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.settings import MailSettings
from handoff.store import mail as store

log = logging.getLogger(__name__)

PURPOSE_ANSWER = "answer"
PURPOSE_ACKNOWLEDGEMENT = "acknowledgement"
PURPOSE_TRANSCRIPT = "transcript"
DEFAULT_SUBJECT = "Ihre Anfrage bei Nordwind"
MAX_REFERENCES = 20
MAX_TRANSCRIPTS = 3      # per conversation: the endpoint must not become a way to send mail to anyone

ANSWER_FOOTER = (
    "\n\n--\n{name}\nIhre Vorgangsnummer: {reference}. Antworten Sie einfach auf diese E-Mail, dann landet Ihre "
    "Nachricht direkt bei Ihrem Anliegen."
)
ACKNOWLEDGEMENT_TEXT = (
    "Guten Tag,\n\n"
    "vielen Dank für Ihre Nachricht. Wir haben Ihr Anliegen unter der Vorgangsnummer {reference} aufgenommen; "
    "eine Kollegin oder ein Kollege meldet sich so bald wie möglich bei Ihnen, per E-Mail an diese Adresse.\n\n"
    "Möchten Sie noch etwas ergänzen? Antworten Sie einfach auf diese E-Mail.\n\n"
    "Freundliche Grüße\n{name}\n\n"
    "(Diese Bestätigung wurde automatisch versandt.)"
)


class TranscriptRefused(ValidationError):
    """A transcript that is not sent (422 on the API); `reason` lets the bot say what the customer can do instead."""

    INVALID, NOT_TYPED, LIMIT, UNDELIVERABLE = "invalid", "not_typed", "limit", "undeliverable"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__("email", message)
        self.reason = reason


@dataclass(frozen=True)
class Enqueued:
    outbox_id: str
    message_id: str
    to_address: str


def mail_settings(ctx: ServiceContext) -> MailSettings:
    return ctx.config.mail


async def reply_token_in(uow: UnitOfWork, ctx: ServiceContext, ticket_id: str) -> str:
    """The ticket's reply token, made on first use (random, 160 bits, bound to this ticket only)."""
    token = await store.token_of_ticket(uow.conn, ticket_id)
    if token is None:
        token = new_reply_token()
        await store.insert_token(uow.conn, token, ticket_id, ctx.now())
    return token


async def enqueue_ticket_mail_in(
    uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any], *, purpose: str, text: str,
    article_id: str | None = None, automatic: bool = False,
) -> Enqueued | None:
    """A mail about `ticket` to its customer's address; None when there is no address or it bounced for good."""
    settings = mail_settings(ctx)
    to_address = ticket["email"]
    if not to_address or await store.undeliverable(uow.conn, to_address) is not None:
        return None
    now = ctx.now()
    token = await reply_token_in(uow, ctx, ticket["id"])
    known = await store.message_ids_of(uow.conn, ticket["id"])
    incoming = [row["message_id"] for row in known if row["direction"] == "in"]
    message_id = mime.new_message_id(settings.reply_domain_or_default)
    outgoing = mime.OutgoingMail(
        from_address=settings.from_address, from_name=settings.from_name,
        # a display name is one line: what a form let through never breaks (or injects into) a header
        to_address=to_address, to_name=" ".join((ticket.get("customer_name") or "").split())[:128],
        subject=_subject(ticket), text=text, reference=reference(ticket["number"]),
        reply_to=reply_address(settings.mailbox, token, settings.reply_domain_or_default),
        in_reply_to=incoming[-1] if incoming else None,
        references=[row["message_id"] for row in known][-MAX_REFERENCES:],
        auto_submitted=mime.AUTO_GENERATED if automatic else None, date=now)
    try:
        message = mime.compose(outgoing, message_id)
    except mime.HeaderInjection as error:
        # an address stored before it was validated this strictly: no mail, the answer still reaches the widget
        log.warning("mail: no mail for ticket %s: %s", ticket["id"], error)
        return None
    outbox_id = new_id()
    await store.insert_outbox(uow.conn, {
        "id": outbox_id, "ticket_id": ticket["id"], "conversation_id": ticket.get("conversation_id"),
        "article_id": article_id, "purpose": purpose, "to_address": to_address,
        "subject": str(message["Subject"])[:300], "message_id": message_id, "raw": message.as_string(),
        "status": store.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now,
    })
    await store.add_message_id(uow.conn, message_id, ticket["id"], "out", now)
    return Enqueued(outbox_id, message_id, to_address)


async def enqueue_answer_in(uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any],
                            article: Any) -> Enqueued | None:
    """An agent's answer (ticket_delivery's hook): the answer text with a footer naming the reference."""
    settings = mail_settings(ctx)
    text = (article.text or "").rstrip() + ANSWER_FOOTER.format(
        name=settings.from_name or "Ihr Kundenservice", reference=reference(ticket["number"]))
    return await enqueue_ticket_mail_in(uow, ctx, ticket, purpose=PURPOSE_ANSWER, text=text, article_id=article.id)


async def enqueue_acknowledgement_in(uow: UnitOfWork, ctx: ServiceContext,
                                     ticket: Mapping[str, Any]) -> Enqueued | None:
    """The automatic confirmation with the reference, once per ticket, when it has an address."""
    if await store.has_mail_of_purpose(uow.conn, ticket["id"], PURPOSE_ACKNOWLEDGEMENT):
        return None
    settings = mail_settings(ctx)
    text = ACKNOWLEDGEMENT_TEXT.format(reference=reference(ticket["number"]),
                                       name=settings.from_name or "Ihr Kundenservice")
    return await enqueue_ticket_mail_in(uow, ctx, ticket, purpose=PURPOSE_ACKNOWLEDGEMENT, text=text,
                                        automatic=True)


async def enqueue_transcript_in(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str,
                                typed_address: str, just_typed: str = "") -> Enqueued:
    """The chat transcript, on the customer's request, only to an address the customer typed in this conversation.

    TranscriptRefused (a ValidationError, German) for an invalid address or one that does not occur in the
    customer's own messages: the transcript never goes to an address someone else could have chosen. The API
    (handoff/web/mail.py) and the bot's request in the chat (mail_transcript.py) both come here; the bot passes
    the customer message it answers as `just_typed` (stored redacted under REDACT_TRANSCRIPTS, it is the customer's
    own words all the same).
    """
    settings = mail_settings(ctx)
    try:
        address = validate_address(typed_address)
    except InvalidAddress as error:
        raise TranscriptRefused(TranscriptRefused.INVALID, str(error)) from None
    typed = " ".join([*await store.customer_texts(uow.conn, conversation_id), just_typed]).lower()
    left = (await store.conversation_email(uow.conn, conversation_id) or "").lower()   # the widget's contact form
    if address.lower() not in typed and typed_address.strip().lower() not in typed and address.lower() != left:
        raise TranscriptRefused(TranscriptRefused.NOT_TYPED, "Das Protokoll senden wir nur an eine Adresse, die Sie "
                                                             "in diesem Chat selbst geschrieben haben.")
    if await store.transcripts_sent(uow.conn, conversation_id) >= MAX_TRANSCRIPTS:
        raise TranscriptRefused(TranscriptRefused.LIMIT,
                                f"Das Protokoll dieses Chats wurde schon {MAX_TRANSCRIPTS}-mal versandt.")
    if await store.undeliverable(uow.conn, address) is not None:
        raise TranscriptRefused(TranscriptRefused.UNDELIVERABLE,
                                "An diese Adresse konnten wir zuletzt nicht zustellen. Bitte prüfen Sie sie.")
    lines = []
    for row in await store.transcript_messages(uow.conn, conversation_id):
        who = {"customer": "Sie", "bot": "Assistent", "agent": "Kundenservice"}.get(row["sender_type"], "System")
        lines.append(f"{row['created_at']:%d.%m.%Y %H:%M} {who}: {row['text'] or ''}")
    text = ("Guten Tag,\n\nwie gewünscht das Protokoll Ihres Chats mit uns:\n\n" + "\n".join(lines)
            + f"\n\nFreundliche Grüße\n{settings.from_name or 'Ihr Kundenservice'}\n\n"
              "(Diese E-Mail wurde automatisch auf Ihren Wunsch versandt.)")
    now = ctx.now()
    message_id = mime.new_message_id(settings.reply_domain_or_default)
    message = mime.compose(mime.OutgoingMail(
        from_address=settings.from_address, from_name=settings.from_name, to_address=address, to_name="",
        subject="Ihr Chatprotokoll", text=text, auto_submitted=mime.AUTO_GENERATED, date=now), message_id)
    outbox_id = new_id()
    await store.insert_outbox(uow.conn, {
        "id": outbox_id, "ticket_id": None, "conversation_id": conversation_id, "article_id": None,
        "purpose": PURPOSE_TRANSCRIPT, "to_address": address, "subject": str(message["Subject"]),
        "message_id": message_id, "raw": message.as_string(), "status": store.PENDING, "attempts": 0,
        "next_attempt_at": now, "created_at": now,
    })
    return Enqueued(outbox_id, message_id, address)


def _subject(ticket: Mapping[str, Any]) -> str:
    subject = " ".join((ticket.get("subject") or "").split())
    for prefix in ("re:", "aw:", "wg:", "fwd:", "fw:"):
        while subject.lower().startswith(prefix):
            subject = subject[len(prefix):].strip()
    return subject or DEFAULT_SUBJECT


async def send_transcript(ctx: ServiceContext, conversation_id: str, typed_address: str) -> Enqueued:
    """The customer asked for the chat transcript by e-mail (one transaction; the sender delivers it)."""
    async with unit_of_work(ctx) as uow:
        return await enqueue_transcript_in(uow, ctx, conversation_id, typed_address)
