"""Tickets coming in: from the bot (problem reports, a handoff nobody could take), from the widget's contact form,
from another channel (e-mail, issue 16), and the customer's replies to them.

The `*_in` functions run inside the caller's unit of work (the bot's answer, an inbound mail), so the ticket is
stored in the same transaction as what caused it; the others are one use case = one transaction.
"""
from __future__ import annotations

from typing import Any, Mapping

from handoff.domain import summary as handoff_summary
from handoff.domain.events import TicketCreated
from handoff.domain.ticket_states import ACTIVE, TicketStatus, TicketTrigger
from handoff.domain.ticket_words import (
    ARTICLE_CUSTOMER, ARTICLE_SYSTEM, CHANNEL_SYSTEM, KIND_DATA_PROTECTION, KIND_FOLLOW_UP, KIND_LABELS_DE,
    MAX_CATEGORY_CHARS, MAX_SUBJECT_CHARS, MAX_SUMMARY_CHARS, MAX_TICKET_TEXT_CHARS, TICKET_KINDS,
    kind_for_category, reference,
)
from handoff.domain.vocabulary import CUSTOMER, MAX_DISPLAY_NAME_CHARS, MAX_NOTE_CHARS, SYSTEM
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.errors import ValidationError
from handoff.services.mail_outbox import enqueue_acknowledgement_in
from handoff.services.mapping import new_id
from handoff.services.text_input import clean_email, clean_text
from handoff.services.ticket_lifecycle import TicketRow, add_article, apply_ticket, load_ticket, record_change
from handoff.services.ticket_sla import due_times_for, load_sla_settings
from handoff.services.ticket_views import TicketSummaryView, ticket_view
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.store import tickets as store

# Kinds a handoff that nobody could take becomes; one active ticket of these per conversation is enough.
HANDOFF_KINDS = (KIND_FOLLOW_UP, KIND_DATA_PROTECTION)
DETAIL_SLOTS = ("order_number", "amount", "order_total", "problem_description", "problem_category")
MAX_MERGE_HOPS = 20
# A customer's reply opens these again (ticket_states.py: customer_replied), on every channel.
REPLY_REOPENS = (TicketStatus.SOLVED.value, TicketStatus.PENDING.value)


def _line(text: str | None, limit: int = MAX_SUMMARY_CHARS) -> str | None:
    text = " ".join((text or "").split())
    return (text[: limit - 1] + "…" if len(text) > limit else text) or None


async def open_ticket_in(
    uow: UnitOfWork, ctx: ServiceContext, *, kind: str, channel: str, conversation_id: str | None = None,
    email: str | None = None, customer_name: str | None = None, subject: str | None = None,
    summary: str | None = None, text: str | None = None, category: str | None = None,
    details: dict[str, Any] | None = None, follow_up_of_id: str | None = None, meta: dict[str, Any] | None = None,
) -> TicketRow:
    """Store a new ticket with its due times and, when the customer said something, their words as first article."""
    if kind not in TICKET_KINDS:
        raise ValidationError("kind", f"Unbekannte Ticketart: {kind}.")
    now = ctx.now()
    hours = await load_business_hours(uow.conn)
    due = due_times_for(await load_sla_settings(uow.conn), hours, kind, now)
    ticket_id = new_id()
    number = await store.allocate_number(uow.conn)
    await store.insert_ticket(uow.conn, {
        "id": ticket_id, "number": number, "conversation_id": conversation_id, "kind": kind, "channel": channel,
        "status": TicketStatus.NEW.value, "subject": _line(subject, MAX_SUBJECT_CHARS),
        "summary": _line(summary or text), "email": email, "customer_name": customer_name, "note": text,
        "category": (category or "")[:MAX_CATEGORY_CHARS] or None, "details": details or {},
        "created_at": now, "updated_at": now, "first_response_due_at": due.first_response_due_at,
        "solution_due_at": due.solution_due_at, "last_customer_at": now if text else None,
        "follow_up_of_id": follow_up_of_id, "last_article_seq": 0,
    })
    origin = f"{KIND_LABELS_DE[kind]} angelegt ({channel})"
    if follow_up_of_id:
        origin += " als Folgeticket"
    await add_article(uow, ticket_id, now, kind=ARTICLE_SYSTEM, channel=CHANNEL_SYSTEM, sender_type=SYSTEM,
                      text=origin, meta={"follow_up_of_id": follow_up_of_id} if follow_up_of_id else None)
    if text:
        await add_article(uow, ticket_id, now, kind=ARTICLE_CUSTOMER, channel=channel, sender_type=CUSTOMER,
                          text=text, author_name=customer_name, meta=meta)
    uow.record(TicketCreated(conversation_id or "", ticket_id=ticket_id, kind=kind, number=number,
                             status=TicketStatus.NEW.value))
    return await load_ticket(uow, ticket_id)


async def create_ticket(
    ctx: ServiceContext, *, kind: str, channel: str, text: str, email: str | None = None,
    customer_name: str | None = None, subject: str | None = None, meta: dict[str, Any] | None = None,
) -> TicketSummaryView:
    """A ticket from an inbound channel (e.g. kind `email`, channel `email`); the text is the customer's."""
    cleaned = clean_text(text, MAX_TICKET_TEXT_CHARS)
    contact = clean_email(email) if email else None
    name = clean_text(customer_name, MAX_DISPLAY_NAME_CHARS, field="customer_name") if customer_name else None
    async with unit_of_work(ctx) as uow:
        row = await open_ticket_in(uow, ctx, kind=kind, channel=channel, email=contact, customer_name=name,
                                   subject=subject, text=cleaned, meta=meta)
    return ticket_view(row, ctx.now())


async def record_problem_report_in(
    uow: UnitOfWork, ctx: ServiceContext, conversation: Mapping[str, Any], category: str | None, description: str,
) -> TicketRow:
    """The bot recorded a reported problem (`problem_reported`): believed, stored, owned by the inbox.

    The incident grouping (issue 14, engineer C2) hooks in right here, with the returned ticket row.
    """
    description = (description or "")[:MAX_NOTE_CHARS]
    details = {"problem": description} if description else {}
    if category:
        details["category"] = category
    return await open_ticket_in(
        uow, ctx, kind=kind_for_category(category), channel="widget", conversation_id=conversation["id"],
        email=conversation["customer_email"], category=category, text=description or None, details=details)


async def note_order_number_in(uow: UnitOfWork, conversation_id: str, kinds: tuple[str, ...],
                               order_number: str) -> bool:
    """An order number given after a problem report goes onto that report (note and collected details)."""
    ticket = await store.newest_of_kind(uow.conn, conversation_id, kinds)
    if ticket is None:
        return False
    details = {**(ticket["details"] or {}), "order_number": order_number}
    note = f"{ticket['note'] or ''} (Bestellnummer {order_number})"
    await store.update_ticket(uow.conn, ticket["id"], details=details, note=note)
    record_change(uow, ticket, "details")
    return True


def _details_from_handoff(summary: Mapping[str, Any]) -> dict[str, Any]:
    slots = summary.get("slots") or {}
    return {key: slots[key] for key in DETAIL_SLOTS if slots.get(key) not in (None, "")}


async def ticket_for_handoff_in(
    uow: UnitOfWork, ctx: ServiceContext, conversation: Mapping[str, Any], reasons: list[dict[str, Any]],
    summary: dict[str, Any],
) -> TicketRow:
    """A handoff nobody could take now becomes a ticket at once (the promise gets an owner even before the customer
    leaves an address); asked again, the conversation's active ticket is reused and the new words are added."""
    summary = handoff_summary.normalise_summary(summary)
    codes = {reason.get("code") for reason in handoff_summary.normalise_reasons(reasons)}
    kind = KIND_DATA_PROTECTION if "data_protection" in codes else KIND_FOLLOW_UP
    words = "\n".join(summary["last_customer_messages"]) or None
    active = await store.tickets_of_conversation(uow.conn, conversation["id"], [s.value for s in ACTIVE])
    existing = next((row for row in reversed(active) if row["kind"] in HANDOFF_KINDS), None)
    if existing is not None:
        if words:
            await add_customer_reply_in(uow, ctx, existing, "widget", words)
        return existing
    line = summary["last_customer_messages"][-1] if summary["last_customer_messages"] else None
    return await open_ticket_in(
        uow, ctx, kind=kind, channel="widget", conversation_id=conversation["id"],
        email=conversation["customer_email"], summary=line, text=words,
        details={**_details_from_handoff(summary), "reasons": sorted(code for code in codes if code)})


async def leave_contact_in(uow: UnitOfWork, ctx: ServiceContext, conversation: Mapping[str, Any], email: str,
                           note: str) -> TicketRow:
    """The widget's form (address + note): onto the conversation's active request, or a new one; the customer
    gets the automatic acknowledgement with the reference by e-mail (once per ticket, issue 16)."""
    ticket = await _contact_onto_request_in(uow, ctx, conversation, email, note)
    await enqueue_acknowledgement_in(uow, ctx, ticket)
    return ticket


async def _contact_onto_request_in(uow: UnitOfWork, ctx: ServiceContext, conversation: Mapping[str, Any],
                                   email: str, note: str) -> TicketRow:
    active = await store.tickets_of_conversation(uow.conn, conversation["id"], [s.value for s in ACTIVE])
    existing = next((row for row in reversed(active) if row["kind"] in HANDOFF_KINDS), None)
    if existing is None:
        return await open_ticket_in(uow, ctx, kind=KIND_FOLLOW_UP, channel="widget",
                                    conversation_id=conversation["id"], email=email, text=note or None)
    await store.update_ticket(uow.conn, existing["id"], email=email, updated_at=ctx.now())
    if note:
        return await add_customer_reply_in(uow, ctx, {**existing, "email": email}, "widget", note)
    record_change(uow, existing, "contact")
    return await load_ticket(uow, existing["id"])


async def add_customer_reply_in(
    uow: UnitOfWork, ctx: ServiceContext, ticket: TicketRow, channel: str, text: str,
    meta: dict[str, Any] | None = None,
) -> TicketRow:
    """The customer wrote about `ticket`: a solved or pending ticket opens again; a merged one hands the reply to
    the ticket it went into; a closed one gets a follow-up ticket linked to it. Returns the ticket that got it."""
    for _ in range(MAX_MERGE_HOPS):
        if ticket["status"] != TicketStatus.MERGED or not ticket["merged_into_id"]:
            break
        ticket = await load_ticket(uow, ticket["merged_into_id"])
    now = ctx.now()
    if ticket["status"] == TicketStatus.CLOSED:
        return await open_ticket_in(
            uow, ctx, kind=ticket["kind"], channel=channel, conversation_id=ticket["conversation_id"],
            email=ticket["email"], customer_name=ticket["customer_name"], subject=ticket["subject"],
            summary=text, text=text, category=ticket["category"], details=dict(ticket["details"] or {}),
            follow_up_of_id=ticket["id"], meta=meta)
    await add_article(uow, ticket["id"], now, kind=ARTICLE_CUSTOMER, channel=channel, sender_type=CUSTOMER,
                      text=text, author_name=ticket["customer_name"], meta=meta)
    await apply_ticket(uow, ticket, TicketTrigger.CUSTOMER_REPLIED, now, last_customer_at=now)
    return await load_ticket(uow, ticket["id"])


async def add_customer_reply(
    ctx: ServiceContext, ticket_id: str, channel: str, text: str, meta: dict[str, Any] | None = None,
) -> TicketSummaryView:
    cleaned = clean_text(text, MAX_TICKET_TEXT_CHARS)
    async with unit_of_work(ctx) as uow:
        ticket = await load_ticket(uow, ticket_id)
        row = await add_customer_reply_in(uow, ctx, ticket, channel, cleaned, meta)
    return ticket_view(row, ctx.now())


async def customer_wrote_in_conversation_in(
    uow: UnitOfWork, ctx: ServiceContext, conversation_id: str, text: str,
) -> TicketRow | None:
    """A widget message after we answered or solved the conversation's ticket (or set it pending) is a reply on
    that ticket, as a mail to it would be: it lands in its history and reopens it when solved or pending. Before an
    agent acted on it, the bot and the open request carry the message, and the ticket stays as it is."""
    active = await store.tickets_of_conversation(uow.conn, conversation_id, [s.value for s in ACTIVE])
    acted_on = [row for row in active if row["first_response_at"] is not None or row["status"] in REPLY_REOPENS]
    if not acted_on:
        return None
    return await add_customer_reply_in(uow, ctx, acted_on[-1], "widget", text)


def customer_reference(row: TicketRow) -> str:
    return reference(row["number"])


__all__ = ["open_ticket_in", "create_ticket", "record_problem_report_in", "note_order_number_in",
           "ticket_for_handoff_in", "leave_contact_in", "add_customer_reply_in", "add_customer_reply",
           "customer_wrote_in_conversation_in", "customer_reference"]
