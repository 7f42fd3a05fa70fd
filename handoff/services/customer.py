"""Use cases on the customer's side: writing, being answered by the bot, tickets, rating."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Mapping

from sqlalchemy.exc import IntegrityError

from handoff.bot_engine import EVENT_HANDOFF_REQUESTED, EVENT_PROBLEM_REPORTED, BotReply, BotUnavailable
from handoff.domain.events import CsatReceived, SomeoneTyping, TicketCreated
from handoff.domain.states import Status, Trigger, can_transition, routes_to_bot
from handoff.privacy.transcripts import text_to_store
from handoff.services import deescalation
from handoff.services.context import ServiceContext
from handoff.services.errors import Conflict, ValidationError
from handoff.services.handoffs import OUTCOME_TICKET, TICKET_FORM_OFFER, request_handoff_in
from handoff.services.mapping import (
    ACTIVITY, BOT, CUSTOMER, INCOMING, OUTGOING, SYSTEM, append_message, message_view, new_id,
)
from handoff.services.publishing import publish_events
from handoff.services.text_input import clean_email, clean_text
from handoff.services.transitions import apply, load
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.services.views import MessageView, TicketView
from handoff.store import repository as repo

log = logging.getLogger(__name__)

MAX_CLIENT_ID_LENGTH = 64
MAX_COMMENT_LENGTH = 1000
RATING_RANGE = range(1, 6)
TICKET_FOLLOW_UP, TICKET_PROBLEM_REPORT = "follow_up", "problem_report"
TICKET_OPEN = "open"
BOT_UNAVAILABLE_TEXT = ("Ich kann gerade nicht zuverlässig antworten. Möchten Sie mit einer Person aus unserem Team "
                        "sprechen, oder uns Ihr Anliegen mit Ihrer E-Mail-Adresse hinterlassen?")
BOT_UNAVAILABLE_REASON = {"code": "bot_unavailable", "value": None, "detail": "Der Bot war nicht erreichbar."}
FAILURE_BOT_UNAVAILABLE = "bot_unavailable"
FAILURE_BOT_ERROR = "bot_error"
CUSTOMER_REQUEST_REASON = {"code": "customer_request", "value": 1.0, "detail": "Kunde bat um eine Person."}
TICKET_CONFIRMATION = "Danke! Wir haben Ihr Anliegen aufgenommen und melden uns per E-Mail an {email}."


async def receive_customer_message(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool]:
    """Store a customer message once per client_id; returns (message, duplicate)."""
    cleaned = clean_text(text, ctx.config.max_message_length)
    stored_text = text_to_store(cleaned, ctx.config.redact_transcripts)
    if client_id is not None and not (0 < len(client_id) <= MAX_CLIENT_ID_LENGTH):
        raise ValidationError("client_id", f"client_id muss 1 bis {MAX_CLIENT_ID_LENGTH} Zeichen lang sein.")
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        if client_id is not None:
            existing = await repo.find_message_by_client_id(uow.conn, conversation_id, client_id)
            if existing is not None:
                return message_view(existing), True
        if conversation["status"] == Status.RESOLVED.value:
            await apply(uow, conversation, Trigger.CUSTOMER_WROTE, now, assignee_id=None, resolved_at=None)
        events_before, stored_before = len(uow.events), len(uow.stored)
        try:
            # The savepoint makes a lost race on unique(conversation_id, client_id) recoverable, seq included.
            async with uow.conn.begin_nested():
                message = await append_message(uow, now, conversation_id, message_type=INCOMING,
                                               sender_type=CUSTOMER, text=stored_text, client_id=client_id)
        except IntegrityError:
            existing = await repo.find_message_by_client_id(uow.conn, conversation_id, client_id or "")
            if existing is None:
                raise
            del uow.events[events_before:], uow.stored[stored_before:]
            return message_view(existing), True
    # The caller routes this view to the bot, which must read what the customer wrote, not the placeholders.
    return (replace(message, text=cleaned) if stored_text != cleaned else message), False


async def route_customer_message(
    ctx: ServiceContext, conversation_id: str, message: MessageView
) -> list[MessageView]:
    """Let the bot answer when the status routes to it; returns the messages stored in reply.

    In `queued` / `agent` the message was already fanned out to agents when it was stored; nothing to do.
    The bot is called outside any transaction: it may take seconds and must not hold database locks.
    """
    async with ctx.engine.connect() as conn:
        conversation = await repo.get_conversation(conn, conversation_id)
    if conversation is None or not routes_to_bot(conversation["status"]):
        return []
    await publish_events(ctx.bus, [SomeoneTyping(conversation_id, sender_type=BOT)])
    try:
        reply = await ctx.bot.reply(conversation_id, message.text or "", {"channel": conversation["channel"]})
    except BotUnavailable as error:
        ctx.failures[FAILURE_BOT_UNAVAILABLE] += 1
        log.warning("bot unavailable for %s: %s", conversation_id, error)
        return await _answer_without_bot(ctx, conversation_id, message)
    except Exception:
        # An engine or action bug must not leave the customer without an answer: same honest path.
        ctx.failures[FAILURE_BOT_ERROR] += 1
        log.exception("bot failed for %s", conversation_id)
        return await _answer_without_bot(ctx, conversation_id, message)
    return await _store_bot_reply(ctx, conversation_id, message, reply)


async def _store_bot_reply(
    ctx: ServiceContext, conversation_id: str, message: MessageView, reply: BotReply
) -> list[MessageView]:
    now = ctx.now()
    watch = deescalation.is_watch(reply.escalation)
    handoff: dict[str, Any] | None = None
    async with unit_of_work(ctx) as uow:
        tone = reply.tone or {}
        await repo.record_understanding(uow.conn, message.id, intent=reply.intent, confidence=reply.confidence,
                                        tone_score=tone.get("score"), tone_label=tone.get("label"))
        acknowledged = False
        for bot_message in reply.messages:
            event = bot_message.service_event
            if event == EVENT_HANDOFF_REQUESTED:
                handoff = bot_message.custom
            elif event == EVENT_PROBLEM_REPORTED:
                await _problem_report(uow, ctx, conversation_id, bot_message.custom or {})
            elif event is None and (bot_message.text or bot_message.buttons):
                text = bot_message.text
                if watch and not acknowledged and text:
                    text, acknowledged = deescalation.prefix_acknowledgement(
                        text, ctx.bot, conversation_id, reply.escalation or {}), True
                buttons = [{"title": b.title, "payload": b.payload} for b in bot_message.buttons]
                await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=text,
                                     payload={"buttons": buttons} if buttons else None)
        if handoff is not None:
            conversation = await load(uow, conversation_id)
            if can_transition(conversation["status"], Trigger.HANDOFF_REQUESTED):
                await request_handoff_in(uow, ctx, conversation, handoff.get("reasons") or [],
                                         handoff.get("summary") or {})
        elif watch:
            await _offer_person(uow, now, conversation_id, deescalation.OFFER_PERSON_TEXT)
    return list(uow.stored)


async def _offer_person(uow: UnitOfWork, now: Any, conversation_id: str, text: str) -> None:
    button = deescalation.OFFER_PERSON_BUTTON
    await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=text,
                         payload={"buttons": [{"title": button.title, "payload": button.payload}]})


async def _answer_without_bot(ctx: ServiceContext, conversation_id: str, message: MessageView) -> list[MessageView]:
    """Never a dead end: a person or a ticket is reachable even when the bot is down."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        wants_person = (message.text or "").strip() == deescalation.HUMAN_REQUEST_PAYLOAD
        if wants_person and can_transition(conversation["status"], Trigger.HANDOFF_REQUESTED):
            summary = {"topics": [], "slots": {}, "last_customer_messages": [message.text]}
            await request_handoff_in(uow, ctx, conversation, [CUSTOMER_REQUEST_REASON, BOT_UNAVAILABLE_REASON],
                                     summary)
        else:
            button = deescalation.OFFER_PERSON_BUTTON
            await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT,
                                 text=BOT_UNAVAILABLE_TEXT,
                                 payload={"buttons": [{"title": button.title, "payload": button.payload}],
                                          "offer": TICKET_FORM_OFFER})
    return list(uow.stored)


async def _problem_report(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str, custom: Mapping[str, Any]) -> None:
    conversation = await load(uow, conversation_id)
    ticket_id = new_id()
    await repo.insert_ticket(uow.conn, {
        "id": ticket_id, "conversation_id": conversation_id, "kind": TICKET_PROBLEM_REPORT,
        "email": conversation["customer_email"], "note": str(custom.get("description") or "")[:MAX_COMMENT_LENGTH * 4],
        "category": str(custom.get("category") or "")[:64] or None, "status": TICKET_OPEN, "created_at": ctx.now(),
    })
    uow.record(TicketCreated(conversation_id, ticket_id=ticket_id, kind=TICKET_PROBLEM_REPORT))


async def customer_writes(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool, list[MessageView]]:
    """receive + route (a duplicate is not routed again); for channels without a separate ack step."""
    message, duplicate = await receive_customer_message(ctx, conversation_id, client_id, text)
    if duplicate:
        return message, True, []
    return message, False, await route_customer_message(ctx, conversation_id, message)


async def customer_typing(ctx: ServiceContext, conversation_id: str) -> None:
    await publish_events(ctx.bus, [SomeoneTyping(conversation_id, sender_type=CUSTOMER)])


async def leave_ticket(ctx: ServiceContext, conversation_id: str, email: str, note: str) -> TicketView:
    """A follow-up ticket; the conversation id is its transcript reference. queued → ticket per the table."""
    email = clean_email(email)
    note = clean_text(note, ctx.config.max_message_length, field="note")
    now = ctx.now()
    ticket_id = new_id()
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        values = {"id": ticket_id, "conversation_id": conversation_id, "kind": TICKET_FOLLOW_UP, "email": email,
                  "note": note, "category": None, "status": TICKET_OPEN, "created_at": now}
        await repo.insert_ticket(uow.conn, values)
        await repo.update_conversation(uow.conn, conversation_id, customer_email=email, updated_at=now)
        uow.record(TicketCreated(conversation_id, ticket_id=ticket_id, kind=TICKET_FOLLOW_UP))
        if can_transition(conversation["status"], Trigger.NO_AGENT_AVAILABLE):
            await apply(uow, conversation, Trigger.NO_AGENT_AVAILABLE, now, waiting_since=None)
            await repo.update_open_handoff(uow.conn, conversation_id, ended_at=now, outcome=OUTCOME_TICKET)
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=TICKET_CONFIRMATION.format(email=email))
    return TicketView(**values)


async def rate(ctx: ServiceContext, conversation_id: str, rating: int, comment: str | None = None) -> None:
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_RANGE:
        raise ValidationError("rating", "Bitte bewerten Sie mit 1 bis 5 Sternen.")
    cleaned = clean_text(comment, MAX_COMMENT_LENGTH, field="comment") if comment and comment.strip() else None
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        if conversation["status"] != Status.RESOLVED.value:
            raise Conflict("Eine Bewertung ist erst nach Abschluss des Gesprächs möglich.")
        if await repo.csat_for(uow.conn, conversation_id) is not None:
            raise Conflict("Dieses Gespräch wurde bereits bewertet.")
        try:
            async with uow.conn.begin_nested():
                await repo.insert_csat(uow.conn, {"conversation_id": conversation_id, "rating": rating,
                                                  "comment": cleaned, "created_at": ctx.now()})
        except IntegrityError:
            raise Conflict("Dieses Gespräch wurde bereits bewertet.") from None
        uow.record(CsatReceived(conversation_id, rating=rating))
