"""Applying a trigger to a stored ticket, and writing its history: the table decides, a conditional UPDATE sticks.

Every status change writes a `state_change` article and records `TicketChanged`. Leaving `pending` moves the
business-hour due times on by the business time spent waiting (pending does not count toward them).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from handoff.domain.events import TicketChanged
from handoff.domain.sla import shift_after_pause
from handoff.domain.ticket_states import (
    STATUS_LABELS_DE, InvalidTicketTransition, TicketStatus, TicketTrigger, next_ticket_status,
)
from handoff.domain.ticket_words import ARTICLE_STATE_CHANGE, CHANNEL_CONSOLE, CHANNEL_SYSTEM
from handoff.domain.vocabulary import AGENT, ROLE_ADMIN, ROLE_SUPERVISOR, SYSTEM
from handoff.services.business_hours import load_business_hours
from handoff.services.errors import Conflict, Forbidden, NotFound
from handoff.services.mapping import new_id
from handoff.services.ticket_sla import load_sla_settings
from handoff.services.ticket_views import ArticleView, article_view
from handoff.services.unit_of_work import UnitOfWork
from handoff.store import accounts
from handoff.store import tickets as store

TicketRow = Mapping[str, Any]
# May act on tickets that another agent owns (reassign, answer while a colleague is ill, ...).
OVERRIDE_ROLES = frozenset({ROLE_SUPERVISOR, ROLE_ADMIN})
RACED = "Das Ticket wurde gerade geändert. Bitte neu laden."


class TicketTransitionRefused(Conflict):
    """409: the ticket's state does not allow this (the table's German message: „Im Status … ist … nicht möglich.“)."""


def next_status_or_refuse(current: str, trigger: TicketTrigger) -> TicketStatus:
    try:
        return next_ticket_status(current, trigger)
    except InvalidTicketTransition as error:
        raise TicketTransitionRefused(str(error)) from None


async def load_ticket(uow: UnitOfWork, ticket_id: str) -> TicketRow:
    row = await store.get_ticket(uow.conn, ticket_id) if isinstance(ticket_id, str) else None
    if row is None:
        raise NotFound("Ticket nicht gefunden.")
    return row


async def load_actor(uow: UnitOfWork, agent_id: str) -> Mapping[str, Any]:
    row = await accounts.get_agent(uow.conn, agent_id) if isinstance(agent_id, str) else None
    if row is None or not row["active"]:
        raise Forbidden("Unbekanntes oder deaktiviertes Konto.")
    return row


def ensure_may_work(ticket: TicketRow, actor: Mapping[str, Any]) -> None:
    """Someone else's ticket is theirs: only its owner, or a supervisor/admin, acts on it."""
    owner = ticket["owner_id"]
    if owner is not None and owner != actor["id"] and actor["role"] not in OVERRIDE_ROLES:
        name = ticket.get("owner_name") or "eine Kollegin oder ein Kollege"
        raise Forbidden(f"Dieses Ticket bearbeitet {name}. Bitte sprechen Sie sich ab oder lassen Sie es sich "
                        "zuweisen.")


async def add_article(
    uow: UnitOfWork, ticket_id: str, now: datetime, *, kind: str, channel: str, sender_type: str,
    text: str | None = None, author_id: str | None = None, author_name: str | None = None,
    meta: dict[str, Any] | None = None,
) -> ArticleView:
    values = {"id": new_id(), "ticket_id": ticket_id, "kind": kind, "channel": channel, "sender_type": sender_type,
              "author_id": author_id, "author_name": author_name, "text": text, "meta": meta, "created_at": now}
    seq = await store.insert_article(uow.conn, values)
    return article_view({**values, "seq": seq})


async def apply_ticket(
    uow: UnitOfWork, ticket: TicketRow, trigger: TicketTrigger, now: datetime, *,
    actor: Mapping[str, Any] | None = None, change: str | None = None, **facts: Any,
) -> str:
    """Move `ticket` on by `trigger`; InvalidTicketTransition if the table forbids it, Conflict if it raced."""
    current = ticket["status"]
    new = next_status_or_refuse(current, trigger)
    if current == TicketStatus.PENDING and new != TicketStatus.PENDING:
        facts = {**await _resume_due_times(uow, ticket, now), "pending_since": None, "pending_until": None, **facts}
    if new == TicketStatus.SOLVED:
        facts.setdefault("solved_at", now)
    elif new == TicketStatus.CLOSED:
        facts.setdefault("closed_at", now)
    elif current == TicketStatus.SOLVED and new == TicketStatus.OPEN:
        facts.setdefault("solved_at", None)
    if not await store.change_status_if(uow.conn, ticket["id"], [current], status=new.value, updated_at=now,
                                        **facts):
        raise Conflict(RACED)
    if new.value != current:
        await add_article(
            uow, ticket["id"], now, kind=ARTICLE_STATE_CHANGE,
            channel=CHANNEL_CONSOLE if actor is not None else CHANNEL_SYSTEM,
            sender_type=AGENT if actor is not None else SYSTEM,
            author_id=actor["id"] if actor is not None else None,
            author_name=actor["display_name"] if actor is not None else None,
            text=f"{STATUS_LABELS_DE[TicketStatus(current)]} → {STATUS_LABELS_DE[new]}",
            meta={"from": current, "to": new.value, "trigger": trigger.value})
    owner = facts.get("owner_id", ticket["owner_id"])
    uow.record(TicketChanged(ticket["conversation_id"] or "", ticket_id=ticket["id"], number=ticket["number"],
                             status=new.value, owner_id=owner, change=change or trigger.value,
                             previous_owner_id=ticket["owner_id"]))
    return new.value


async def _resume_due_times(uow: UnitOfWork, ticket: TicketRow, now: datetime) -> dict[str, Any]:
    since = ticket["pending_since"]
    if since is None:
        return {}
    hours = await load_business_hours(uow.conn)
    policy = (await load_sla_settings(uow.conn)).policy_for(ticket["kind"])
    moved: dict[str, Any] = {}
    if ticket["first_response_at"] is None and ticket["first_response_due_at"] is not None:
        moved["first_response_due_at"] = shift_after_pause(hours, ticket["first_response_due_at"], since, now)
    if not policy.legal_month and ticket["solution_due_at"] is not None:   # the legal month runs on regardless
        moved["solution_due_at"] = shift_after_pause(hours, ticket["solution_due_at"], since, now)
    return moved


def record_change(uow: UnitOfWork, ticket: TicketRow, change: str, owner_id: str | None = None) -> None:
    """A change without a status change (note, details): the inbox refreshes the row."""
    uow.record(TicketChanged(ticket["conversation_id"] or "", ticket_id=ticket["id"], number=ticket["number"],
                             status=ticket["status"], owner_id=owner_id if owner_id is not None else ticket["owner_id"],
                             change=change, previous_owner_id=ticket["owner_id"]))
