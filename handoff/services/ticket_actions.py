"""What agents do with a ticket: claim, assign, set pending, solve, reopen, merge, answer, write a note.

One use case = one transaction. Who may act: the owner, anyone while the ticket has no owner, and supervisors or
admins always (ticket_lifecycle.ensure_may_work). What the ticket's state allows: the transition table.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from handoff.domain.ticket_states import ACTIVE, TicketStatus, TicketTrigger
from handoff.domain.ticket_words import (
    ARTICLE_NOTE, ARTICLE_REPLY, ARTICLE_SYSTEM, CHANNEL_CONSOLE, MAX_TICKET_TEXT_CHARS, reference,
)
from handoff.domain.vocabulary import AGENT, ROLE_ADMIN, ROLE_AGENT, ROLE_SUPERVISOR
from handoff.services.context import ServiceContext
from handoff.services.errors import AlreadyClaimed, Conflict, NotFound, ValidationError
from handoff.services.text_input import clean_text
from handoff.services.ticket_delivery import deliver_answer_in
from handoff.services.ticket_lifecycle import (
    RACED, add_article, apply_ticket, ensure_may_work, load_actor, load_ticket, next_status_or_refuse,
    record_change,
)
from handoff.services.ticket_views import ArticleView, TicketSummaryView, ticket_view
from handoff.services.unit_of_work import UnitOfWork, unit_of_work
from handoff.store import accounts
from handoff.store import tickets as store

WORKING_ROLES = frozenset({ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN})
MAX_PENDING_DAYS = 365


async def _done(uow: UnitOfWork, ctx: ServiceContext, ticket_id: str) -> TicketSummaryView:
    return ticket_view(await load_ticket(uow, ticket_id), ctx.now())


async def claim(ctx: ServiceContext, ticket_id: str, agent_id: str) -> TicketSummaryView:
    """Take an unowned ticket: a conditional UPDATE (owner still empty) lets exactly one agent win."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, agent_id)
        ticket = await load_ticket(uow, ticket_id)
        new = next_status_or_refuse(ticket["status"], TicketTrigger.CLAIMED)
        if ticket["owner_id"] == agent_id:
            return ticket_view(ticket, now)
        if ticket["owner_id"] is not None or not await store.claim_if_unowned(
                uow.conn, ticket_id, agent_id, [ticket["status"]], status=new.value, updated_at=now, claimed_at=now):
            current = await load_ticket(uow, ticket_id)
            name = current["owner_name"] or "eine Kollegin oder ein Kollege"
            raise AlreadyClaimed(f"Dieses Ticket hat gerade {name} übernommen.")
        await _owner_changed(uow, ticket, actor, actor, now, TicketTrigger.CLAIMED, new)
        return await _done(uow, ctx, ticket_id)


async def _owner_changed(uow, ticket, actor, owner, now: datetime, trigger: TicketTrigger,
                         new: TicketStatus) -> None:
    """History and event for a new owner; the status change (new → open) is written as its own article."""
    if new.value != ticket["status"]:
        await add_article(uow, ticket["id"], now, kind="state_change", channel=CHANNEL_CONSOLE, sender_type=AGENT,
                          author_id=actor["id"], author_name=actor["display_name"],
                          text="neu → offen", meta={"from": ticket["status"], "to": new.value,
                                                    "trigger": trigger.value})
    text = (f"{owner['display_name']} hat das Ticket übernommen." if trigger == TicketTrigger.CLAIMED
            else f"{actor['display_name']} hat das Ticket {owner['display_name']} zugewiesen.")
    await add_article(uow, ticket["id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_CONSOLE, sender_type=AGENT,
                      author_id=actor["id"], author_name=actor["display_name"], text=text,
                      meta={"owner_id": owner["id"], "previous_owner_id": ticket["owner_id"]})
    record_change(uow, {**ticket, "status": new.value}, trigger.value, owner_id=owner["id"])


async def assign(ctx: ServiceContext, ticket_id: str, agent_id: str, assignee_id: str) -> TicketSummaryView:
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, agent_id)
        ticket = await load_ticket(uow, ticket_id)
        ensure_may_work(ticket, actor)
        assignee = await accounts.get_agent(uow.conn, assignee_id) if isinstance(assignee_id, str) else None
        if assignee is None or not assignee["active"] or assignee["role"] not in WORKING_ROLES:
            raise ValidationError("assignee_id", "Diese Kollegin oder dieser Kollege kann keine Tickets bearbeiten.")
        new = next_status_or_refuse(ticket["status"], TicketTrigger.ASSIGNED)
        if not await store.change_status_if(uow.conn, ticket_id, [ticket["status"]], status=new.value,
                                            owner_id=assignee_id, claimed_at=now, updated_at=now):
            raise Conflict(RACED)
        await _owner_changed(uow, ticket, actor, assignee, now, TicketTrigger.ASSIGNED, new)
        return await _done(uow, ctx, ticket_id)


async def _working(uow: UnitOfWork, ticket_id: str, agent_id: str):
    """The ticket and the actor, checked; an unowned ticket becomes the actor's when they act on it."""
    actor = await load_actor(uow, agent_id)
    ticket = await load_ticket(uow, ticket_id)
    ensure_may_work(ticket, actor)
    return ticket, actor


def _own(ticket, actor, now: datetime) -> dict:
    return {"owner_id": actor["id"], "claimed_at": now} if ticket["owner_id"] is None else {}


async def set_pending(ctx: ServiceContext, ticket_id: str, agent_id: str, until: datetime) -> TicketSummaryView:
    """Waiting for the customer until `until`; then the owner gets a reminder and the ticket is open again."""
    now = ctx.now()
    if not isinstance(until, datetime) or until.tzinfo is None:
        raise ValidationError("pending_until", "Bitte eine Erinnerungszeit mit Datum und Uhrzeit angeben.")
    if until <= now:
        raise ValidationError("pending_until", "Die Erinnerungszeit liegt in der Vergangenheit.")
    if until > now + timedelta(days=MAX_PENDING_DAYS):
        raise ValidationError("pending_until", f"Die Erinnerung darf höchstens {MAX_PENDING_DAYS} Tage in der "
                                               "Zukunft liegen.")
    async with unit_of_work(ctx) as uow:
        ticket, actor = await _working(uow, ticket_id, agent_id)
        since = ticket["pending_since"] or now
        await apply_ticket(uow, ticket, TicketTrigger.SET_PENDING, now, actor=actor, pending_since=since,
                           pending_until=until, **_own(ticket, actor, now))
        return await _done(uow, ctx, ticket_id)


async def _step(ctx: ServiceContext, ticket_id: str, agent_id: str,
                trigger: TicketTrigger) -> TicketSummaryView:
    """A step of the ticket's table that needs nothing but the actor (the owner after it, if nobody was)."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        ticket, actor = await _working(uow, ticket_id, agent_id)
        await apply_ticket(uow, ticket, trigger, now, actor=actor, **_own(ticket, actor, now))
        return await _done(uow, ctx, ticket_id)


async def solve(ctx: ServiceContext, ticket_id: str, agent_id: str) -> TicketSummaryView:
    return await _step(ctx, ticket_id, agent_id, TicketTrigger.SOLVED)


async def reopen(ctx: ServiceContext, ticket_id: str, agent_id: str) -> TicketSummaryView:
    return await _step(ctx, ticket_id, agent_id, TicketTrigger.REOPENED)


def _same_customer(first, second) -> bool:
    if first["conversation_id"] and first["conversation_id"] == second["conversation_id"]:
        return True
    return bool(first["email"]) and (first["email"] or "").lower() == (second["email"] or "").lower()


async def merge(ctx: ServiceContext, ticket_id: str, agent_id: str, into_ticket_id: str) -> TicketSummaryView:
    """A duplicate from the same customer goes into `into_ticket_id`: its history moves, it ends as merged."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        ticket, actor = await _working(uow, ticket_id, agent_id)
        try:
            target = await load_ticket(uow, into_ticket_id)
        except NotFound:
            raise NotFound("Das Zielticket gibt es nicht.") from None
        if target["id"] == ticket["id"]:
            raise ValidationError("into_ticket_id", "Ein Ticket kann nicht mit sich selbst zusammengeführt werden.")
        if not _same_customer(ticket, target):
            raise ValidationError("into_ticket_id", "Zusammenführen geht nur bei Tickets derselben Kundin oder "
                                                    "desselben Kunden (gleiches Gespräch oder gleiche E-Mail).")
        if TicketStatus(target["status"]) not in ACTIVE:
            raise Conflict(f"Das Zielticket {reference(target['number'])} ist bereits abgeschlossen.")
        ensure_may_work(target, actor)
        next_status_or_refuse(ticket["status"], TicketTrigger.MERGED)   # refuses before anything moves
        await store.move_articles(uow.conn, ticket["id"], target["id"])
        await apply_ticket(uow, ticket, TicketTrigger.MERGED, now, actor=actor, merged_into_id=target["id"])
        await add_article(uow, ticket["id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_CONSOLE, sender_type=AGENT,
                          author_id=actor["id"], author_name=actor["display_name"],
                          text=f"Zusammengeführt in {reference(target['number'])}.", meta={"into": target["id"]})
        await add_article(uow, target["id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_CONSOLE, sender_type=AGENT,
                          author_id=actor["id"], author_name=actor["display_name"],
                          text=f"{reference(ticket['number'])} wurde hierher zusammengeführt.",
                          meta={"merged": ticket["id"]})
        await store.update_ticket(uow.conn, target["id"], updated_at=now)
        record_change(uow, target, "merged_into")
        return await _done(uow, ctx, ticket_id)


async def answer(ctx: ServiceContext, ticket_id: str, agent_id: str,
                 text: str) -> tuple[TicketSummaryView, ArticleView]:
    """Write to the customer: a reply article, delivered in the same transaction (ticket_delivery)."""
    cleaned = clean_text(text, MAX_TICKET_TEXT_CHARS)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        ticket, actor = await _working(uow, ticket_id, agent_id)
        next_status_or_refuse(ticket["status"], TicketTrigger.ANSWERED)   # refuses before anything is written
        article = await add_article(uow, ticket_id, now, kind=ARTICLE_REPLY, channel=CHANNEL_CONSOLE,
                                    sender_type=AGENT, author_id=actor["id"], author_name=actor["display_name"],
                                    text=cleaned)
        channels = await deliver_answer_in(uow, ctx, ticket, article, actor["id"])
        article = ArticleView(**{**article.__dict__, "meta": {"delivered_via": channels}})
        await store.update_article_meta(uow.conn, article.id, article.meta)
        facts = _own(ticket, actor, now)
        if ticket["first_response_at"] is None:
            facts["first_response_at"] = now
        await apply_ticket(uow, ticket, TicketTrigger.ANSWERED, now, actor=actor, **facts)
        return await _done(uow, ctx, ticket_id), article


async def add_note(ctx: ServiceContext, ticket_id: str, agent_id: str, text: str) -> ArticleView:
    """Internal note: never shown to the customer; allowed in every state (even closed: a later finding)."""
    cleaned = clean_text(text, MAX_TICKET_TEXT_CHARS)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, agent_id)
        ticket = await load_ticket(uow, ticket_id)
        article = await add_article(uow, ticket_id, now, kind=ARTICLE_NOTE, channel=CHANNEL_CONSOLE,
                                    sender_type=AGENT, author_id=actor["id"], author_name=actor["display_name"],
                                    text=cleaned)
        await store.update_ticket(uow.conn, ticket_id, updated_at=now)
        record_change(uow, ticket, "note")
        return article
