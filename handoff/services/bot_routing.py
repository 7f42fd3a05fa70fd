"""Bot routing of one customer message: claim it, ask the bot outside any transaction, store the answer once.

The two named timestamps on the message (`routing_started_at`, `routed_at`) make routing safe to repeat: a client's
resend and the sweep (routing_sweep.py) both call `route_customer_message`, and the conditional claim lets exactly
one caller ask the bot; `routed_at` is set in the transaction that stores the answer, and only while the claim is
still the caller's, so a claim taken over after it went stale never leads to a second stored answer.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Mapping, NamedTuple

from bot.custom_messages import (
    EVENT_HANDOFF_REQUESTED,
    EVENT_PROBLEM_ORDER_NOTED,
    EVENT_PROBLEM_REPORTED,
    EVENT_TRANSCRIPT_REQUESTED,
    HUMAN_REQUEST_PAYLOAD,
)
from handoff.engine.contract import BotReply, BotUnavailable
from handoff.domain.events import SomeoneTyping
from handoff.domain.ticket_words import KIND_BILLING_ERROR, KIND_COMPLAINT, KIND_PROBLEM_REPORT
from handoff.domain.vocabulary import MAX_COMMENT_CHARS, MAX_ORDER_NUMBER_CHARS
from handoff.domain.states import can_transition, routes_to_bot, Trigger
from handoff.metrics import record
from handoff.services import deescalation, incidents, mail_transcript, tickets
from handoff.services.context import ServiceContext
from handoff.services.handoffs import TICKET_FORM_OFFER, request_handoff_in
from handoff.services.mapping import BOT, OUTGOING, append_message
from handoff.services.publishing import publish_events
from handoff.services.transitions import load
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.services.views import MessageView
from handoff.store import conversations, messages

log = logging.getLogger(__name__)

MAX_COMMENT_LENGTH = MAX_COMMENT_CHARS
TICKET_PROBLEM_REPORT = KIND_PROBLEM_REPORT
# An order number given after a report goes onto the newest report of any of these kinds (tickets.py).
PROBLEM_REPORT_KINDS = (KIND_PROBLEM_REPORT, KIND_COMPLAINT, KIND_BILLING_ERROR)
ORDER_NUMBER_MAX_CHARS = MAX_ORDER_NUMBER_CHARS
TICKET_OPEN = "open"
BOT_UNAVAILABLE_TEXT = ("Ich kann gerade nicht zuverlässig antworten. Möchten Sie mit einer Person aus unserem Team "
                        "sprechen, oder uns Ihr Anliegen mit Ihrer E-Mail-Adresse hinterlassen?")
BOT_UNAVAILABLE_REASON = {"code": "bot_unavailable", "value": None, "detail": "Der Bot war nicht erreichbar."}
FAILURE_BOT_UNAVAILABLE = "bot_unavailable"
FAILURE_BOT_ERROR = "bot_error"
CUSTOMER_REQUEST_REASON = {"code": "customer_request", "value": 1.0, "detail": "Kunde bat um eine Person."}
# Storing the answer after the bot's timeout takes milliseconds; the margin covers a slow database as well.
ROUTING_MARGIN = timedelta(seconds=5)


class ClaimLost(Exception):
    """Our claim went stale and another caller took the message over: its answer counts, ours is dropped."""


class RoutingClaim(NamedTuple):
    started_at: datetime   # the value written to routing_started_at: finishing checks it is still there
    channel: str


def stale_after_for(bot_timeout_seconds: float) -> timedelta:
    return timedelta(seconds=bot_timeout_seconds) + ROUTING_MARGIN


async def claim_for_bot(ctx: ServiceContext, conversation_id: str, message_id: str) -> RoutingClaim | None:
    """Take the message for the bot; None if routed, claimed by a live caller, or the status is not the bot's.

    A message whose conversation no longer routes to the bot (a person took over meanwhile) is marked routed:
    agents read it in the transcript, and the sweep must not bring it back.
    """
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await conversations.get_conversation(uow.conn, conversation_id)
        if conversation is None:
            return None
        if not await messages.claim_routing(uow.conn, message_id, now, now - ctx.config.routing_stale_after):
            return None
        if not routes_to_bot(conversation["status"]):
            await messages.finish_routing(uow.conn, message_id, now)
            return None
    return RoutingClaim(now, conversation["channel"])


async def route_customer_message(
    ctx: ServiceContext, conversation_id: str, message: MessageView, claim: RoutingClaim | None = None
) -> list[MessageView]:
    """Let the bot answer when the status routes to it and nobody else is; returns the messages stored in reply.

    Safe to call again for the same message (resend, sweep): only the caller holding the claim asks the bot.
    `claim` is one already taken while storing the message (customer.receive_and_claim); without it, this call
    tries to take one. The bot is called outside any transaction: it may take seconds and must not hold locks.
    """
    if claim is None:
        claim = await claim_for_bot(ctx, conversation_id, message.id)
    if claim is None:
        return []
    claimed_at = claim.started_at
    await publish_events(ctx.bus, [SomeoneTyping(conversation_id, sender_type=BOT)])
    try:
        try:
            with record.bot_turn():
                reply = await ctx.bot.reply(conversation_id, message.text or "", {"channel": claim.channel})
        except BotUnavailable as error:
            ctx.failures[FAILURE_BOT_UNAVAILABLE] += 1
            log.warning("bot unavailable for %s: %s", conversation_id, error)
            return await _answer_without_bot(ctx, conversation_id, message, claimed_at)
        except Exception:
            # An engine or action bug must not leave the customer without an answer: same honest path.
            ctx.failures[FAILURE_BOT_ERROR] += 1
            log.exception("bot failed for %s", conversation_id)
            return await _answer_without_bot(ctx, conversation_id, message, claimed_at)
        return await _store_bot_reply(ctx, conversation_id, message, reply, claimed_at)
    except ClaimLost:
        log.warning("routing of message %s in %s was taken over after its claim went stale; answer dropped",
                    message.seq, conversation_id)
        return []


async def _finish(uow: UnitOfWork, message: MessageView, now: Any, claimed_at: datetime, **understanding: Any) -> None:
    """Mark the message routed (and record what the bot understood of it) while the claim is still ours."""
    if not await messages.finish_routing(uow.conn, message.id, now, claimed_at, **understanding):
        raise ClaimLost(message.id)   # rolls the answer back with the transaction


async def _store_bot_reply(
    ctx: ServiceContext, conversation_id: str, message: MessageView, reply: BotReply, claimed_at: datetime
) -> list[MessageView]:
    now = ctx.now()
    watch = deescalation.is_watch(reply.escalation)
    handoff: dict[str, Any] | None = None
    tone = reply.tone or {}
    async with unit_of_work(ctx) as uow:
        await _finish(uow, message, now, claimed_at, intent=reply.intent, confidence=reply.confidence,
                      tone_score=tone.get("score"), tone_label=tone.get("label"))
        acknowledged = offered = False
        for bot_message in reply.messages:
            event = bot_message.service_event
            if event == EVENT_HANDOFF_REQUESTED:
                handoff = bot_message.custom
            elif event == EVENT_PROBLEM_REPORTED:
                await _problem_report(uow, ctx, conversation_id, bot_message.custom or {})
            elif event == EVENT_PROBLEM_ORDER_NOTED:
                await _problem_order_noted(uow, conversation_id, bot_message.custom or {})
            elif event == EVENT_TRANSCRIPT_REQUESTED:
                sent = await _transcript(uow, ctx, now, conversation_id, bot_message.custom or {}, message.text or "")
                offered = offered or not sent
            elif event is None and (bot_message.text or bot_message.buttons):
                text = bot_message.text
                if watch and not acknowledged and text:
                    text, acknowledged = deescalation.prefix_acknowledgement(
                        text, ctx.bot, conversation_id, reply.escalation or {}, reply.tone, reply.intent), True
                buttons = [{"title": b.title, "payload": b.payload} for b in bot_message.buttons]
                offered = offered or bot_message.offers_a_person
                await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=text,
                                     payload={"buttons": buttons} if buttons else None)
        # Issue 14: group this reply's problem reports into incidents; a known fault is said so, a person offered.
        offered = await incidents.group_new_reports_in(uow, ctx, conversation_id) or offered
        if handoff is not None:
            conversation = await load(uow, conversation_id)
            if can_transition(conversation["status"], Trigger.HANDOFF_REQUESTED):
                await request_handoff_in(uow, ctx, conversation, handoff.get("reasons") or [],
                                         handoff.get("summary") or {})
        elif watch and not offered:   # the bot's own answer may already offer a person: once is enough
            await _offer_person(uow, now, conversation_id, deescalation.OFFER_PERSON_TEXT)
    return list(uow.stored)


async def _offer_person(uow: UnitOfWork, now: Any, conversation_id: str, text: str) -> None:
    button = deescalation.OFFER_PERSON_BUTTON
    await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=text,
                         payload={"buttons": [{"title": button.title, "payload": button.payload}]})


async def _answer_without_bot(
    ctx: ServiceContext, conversation_id: str, message: MessageView, claimed_at: datetime
) -> list[MessageView]:
    """Never a dead end: a person or a ticket is reachable even when the bot is down."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        await _finish(uow, message, now, claimed_at)
        conversation = await load(uow, conversation_id)
        wants_person = (message.text or "").strip() == HUMAN_REQUEST_PAYLOAD
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


async def _transcript(uow: UnitOfWork, ctx: ServiceContext, now: Any, conversation_id: str,
                      custom: Mapping[str, Any], customer_text: str) -> bool:
    """The transcript by e-mail, asked for in the chat: sent through the API's use case, the outcome said; a refusal
    comes with the offer of a person. True when it was sent."""
    address = str(custom.get("email") or "")
    answer = await mail_transcript.transcript_requested_in(uow, ctx, conversation_id, address, customer_text)
    if answer.sent:
        await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=answer.text)
    else:
        await _offer_person(uow, now, conversation_id, answer.text)
    return answer.sent


async def _problem_order_noted(uow: UnitOfWork, conversation_id: str, custom: Mapping[str, Any]) -> None:
    order_number = str(custom.get("order_number") or "")[:ORDER_NUMBER_MAX_CHARS]
    if order_number:
        await tickets.note_order_number_in(uow, conversation_id, PROBLEM_REPORT_KINDS, order_number)


async def _problem_report(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str, custom: Mapping[str, Any]) -> None:
    conversation = await load(uow, conversation_id)
    await tickets.record_problem_report_in(uow, ctx, conversation, str(custom.get("category") or "") or None,
                                           str(custom.get("description") or ""))
