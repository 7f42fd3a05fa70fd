"""Use cases on the customer's side: writing, being answered by the bot, tickets, rating."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Mapping, NamedTuple

from sqlalchemy.exc import IntegrityError

from handoff.domain.vocabulary import MAX_CLIENT_ID_CHARS, MAX_COMMENT_CHARS, MAX_NOTE_CHARS
from handoff.domain.events import CsatReceived, SomeoneTyping
from handoff.domain.ticket_words import reference
from handoff.domain.states import Status, Trigger, can_transition, routes_to_bot
from handoff.domain.redaction import text_to_store
from handoff.services.bot_routing import (  # noqa: F401  (route_customer_message and the texts: public names here)
    BOT_UNAVAILABLE_TEXT, FAILURE_BOT_ERROR, FAILURE_BOT_UNAVAILABLE, TICKET_OPEN, TICKET_PROBLEM_REPORT,
    RoutingClaim, route_customer_message,
)
from handoff.services import tickets
from handoff.services.context import ServiceContext
from handoff.services.errors import Conflict, ValidationError
from handoff.services.handoffs import OUTCOME_TICKET
from handoff.services.mapping import ACTIVITY, CUSTOMER, INCOMING, SYSTEM, append_message, message_view
from handoff.services.publishing import publish_events
from handoff.services.text_input import clean_email, clean_text
from handoff.services.transitions import apply, load
from handoff.services.unit_of_work import unit_of_work
from handoff.services.views import MessageView, TicketView
from handoff.store import conversations, csat, handoffs, messages

log = logging.getLogger(__name__)

MAX_CLIENT_ID_LENGTH = MAX_CLIENT_ID_CHARS
MAX_COMMENT_LENGTH = MAX_COMMENT_CHARS
RATING_RANGE = range(1, 6)
TICKET_FOLLOW_UP = "follow_up"
# In these conversation states a customer message can be a reply to the conversation's ticket (tickets.py): in
# `bot` too, where the bot recorded a problem report and the conversation went on (one indexed query per message).
# While a person is in the chat (queued, agent) the message is theirs to read, not a ticket reply.
TICKET_STATUSES = frozenset({Status.BOT.value, Status.TICKET.value, Status.RESOLVED.value})
TICKET_CONFIRMATION = ("Danke! Wir haben Ihr Anliegen aufgenommen ({reference}) und melden uns per E-Mail an "
                       "{email}.")


class Received(NamedTuple):
    message: MessageView
    duplicate: bool
    # Taken in the storing transaction when the bot is to answer; None for a duplicate or a person's conversation.
    claim: RoutingClaim | None = None


async def receive_customer_message(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool]:
    """Store a customer message once per client_id; returns (message, duplicate). Routing claims it later."""
    received = await _receive(ctx, conversation_id, client_id, text, claim_for_bot=False)
    return received.message, received.duplicate


async def receive_and_claim(ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str) -> Received:
    """Store a customer message once per client_id and, when the bot is to answer it, claim it for the bot in the
    same transaction: one transaction less before the answer. The caller must route it with that claim; if it
    cannot (crash), the claim goes stale and a resend or the sweep routes the message."""
    return await _receive(ctx, conversation_id, client_id, text, claim_for_bot=True)


async def _receive(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str, claim_for_bot: bool
) -> Received:
    cleaned = clean_text(text, ctx.config.max_message_length)
    stored_text = text_to_store(cleaned, ctx.config.redact_transcripts)
    if client_id is not None and not (0 < len(client_id) <= MAX_CLIENT_ID_LENGTH):
        raise ValidationError("client_id", f"client_id muss 1 bis {MAX_CLIENT_ID_LENGTH} Zeichen lang sein.")
    now = ctx.now()
    claim = None
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        if client_id is not None:
            existing = await messages.find_message_by_client_id(uow.conn, conversation_id, client_id)
            if existing is not None:
                return Received(_resent(existing, stored_text, cleaned), True)
        status = conversation["status"]
        after_ticket = status in TICKET_STATUSES
        if status == Status.RESOLVED.value:
            status = await apply(uow, conversation, Trigger.CUSTOMER_WROTE, now, assignee_id=None, resolved_at=None)
        events_before, stored_before = len(uow.events), len(uow.stored)
        to_bot = routes_to_bot(status)
        try:
            # The savepoint makes a lost race on unique(conversation_id, client_id) recoverable, seq included.
            async with uow.savepoint():
                # Delivered to agents by being stored (routed_at: the sweep must not pick it up), or claimed for
                # the bot in the same row: a new message has no earlier claim to respect.
                message = await append_message(uow, now, conversation_id, message_type=INCOMING,
                                               sender_type=CUSTOMER, text=stored_text, client_id=client_id,
                                               routing_started_at=now if to_bot and claim_for_bot else None,
                                               routed_at=None if to_bot else now)
        except IntegrityError:
            existing = await messages.find_message_by_client_id(uow.conn, conversation_id, client_id or "")
            if existing is None:
                raise
            del uow.events[events_before:], uow.stored[stored_before:]
            return Received(_resent(existing, stored_text, cleaned), True)
        if after_ticket:   # a reply on the conversation's answered or solved ticket reopens it (tickets.py)
            await tickets.customer_wrote_in_conversation_in(uow, ctx, conversation_id, stored_text)
        if to_bot and claim_for_bot:
            claim = RoutingClaim(now, conversation["channel"])
    # The caller routes this view to the bot, which must read what the customer wrote, not the placeholders.
    return Received(replace(message, text=cleaned) if stored_text != cleaned else message, False, claim)


def _resent(existing: Mapping[str, Any], stored_text: str, cleaned: str) -> MessageView:
    """The stored message; with the resent text for the bot when it is the same message (storage may redact)."""
    message = message_view(existing)
    return replace(message, text=cleaned) if existing["text"] == stored_text else message


async def customer_writes(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool, list[MessageView]]:
    """receive + route; for channels without a separate ack step.

    A duplicate is routed again only if its earlier routing never finished and its claim went stale (a crash
    between storing and answering); otherwise the claim refuses and no second answer comes.
    """
    received = await receive_and_claim(ctx, conversation_id, client_id, text)
    replies = await route_customer_message(ctx, conversation_id, received.message, received.claim)
    return received.message, received.duplicate, replies


async def customer_typing(ctx: ServiceContext, conversation_id: str) -> None:
    await publish_events(ctx.bus, [SomeoneTyping(conversation_id, sender_type=CUSTOMER)])


async def leave_ticket(ctx: ServiceContext, conversation_id: str, email: str, note: str) -> TicketView:
    """The customer's address and note for a follow-up: onto the conversation's open request (tickets.py), or a new
    one; the conversation id is its transcript reference. queued → ticket per the table."""
    email = clean_email(email)
    note = clean_text(note, MAX_NOTE_CHARS, field="note")
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        await conversations.update_conversation(uow.conn, conversation_id, customer_email=email, updated_at=now)
        ticket = await tickets.leave_contact_in(uow, ctx, conversation, email, note)
        if can_transition(conversation["status"], Trigger.NO_AGENT_AVAILABLE):
            await apply(uow, conversation, Trigger.NO_AGENT_AVAILABLE, now, waiting_since=None)
            await handoffs.update_open_handoff(uow.conn, conversation_id, ended_at=now, outcome=OUTCOME_TICKET)
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=TICKET_CONFIRMATION.format(email=email, reference=reference(ticket["number"])))
    return TicketView(id=ticket["id"], conversation_id=conversation_id, kind=ticket["kind"], email=email, note=note,
                      category=ticket["category"], status=ticket["status"], created_at=ticket["created_at"])


async def rate(ctx: ServiceContext, conversation_id: str, rating: int, comment: str | None = None) -> None:
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_RANGE:
        raise ValidationError("rating", "Bitte bewerten Sie mit 1 bis 5 Sternen.")
    cleaned = clean_text(comment, MAX_COMMENT_LENGTH, field="comment") if comment and comment.strip() else None
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        if conversation["status"] != Status.RESOLVED.value:
            raise Conflict("Eine Bewertung ist erst nach Abschluss des Gesprächs möglich.")
        if await csat.csat_for(uow.conn, conversation_id) is not None:
            raise Conflict("Dieses Gespräch wurde bereits bewertet.")
        try:
            async with uow.savepoint():
                await csat.insert_csat(uow.conn, {"conversation_id": conversation_id, "rating": rating,
                                                  "comment": cleaned, "created_at": ctx.now()})
        except IntegrityError:
            raise Conflict("Dieses Gespräch wurde bereits bewertet.") from None
        uow.record(CsatReceived(conversation_id, rating=rating))
