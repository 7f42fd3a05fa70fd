"""Goodwill (Kulanz): agents grant within the limits admins set; above them a supervisor or admin decides.

One use case = one transaction. A grant locks its case and its agent first (store/goodwill.py), so grants racing
each other are decided one after the other against totals that include every earlier one: together they never
exceed a limit. The customer reads a German confirmation in their conversation (or, for a ticket without one, as an
answer in the ticket's history); the ticket's history records every grant and decision.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain import goodwill as domain
from handoff.domain.events import GoodwillChanged
from handoff.domain.ticket_words import ARTICLE_REPLY, ARTICLE_SYSTEM, CHANNEL_CONSOLE, reference
from handoff.domain.vocabulary import AGENT, OUTGOING, ROLE_ADMIN, ROLE_AGENT, ROLE_SUPERVISOR
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.errors import Conflict, Forbidden, NotFound, ValidationError
from handoff.services.mapping import append_message, new_id
from handoff.services.text_input import optional_note
from handoff.services.ticket_lifecycle import add_article, load_actor, record_change
from handoff.services.unit_of_work import UnitOfWork, reading, unit_of_work
from handoff.store import accounts, conversations
from handoff.store import goodwill as store
from handoff.store import tickets as ticket_store

LIMITS_KEY = "goodwill_limits"
GRANT_ROLES = frozenset({ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN})
DECIDE_ROLES = frozenset({ROLE_SUPERVISOR, ROLE_ADMIN})
LIMIT_STATUSES = tuple(status.value for status in domain.COUNTS_TOWARD_LIMITS)
LIST_LIMIT = 200
NOT_FOUND = "Kulanz nicht gefunden."


def _invalid(error: domain.InvalidGoodwill) -> ValidationError:
    return ValidationError(error.field, error.message)


async def load_limits(conn: AsyncConnection) -> domain.GoodwillLimits:
    stored = await accounts.get_setting(conn, LIMITS_KEY)
    if not stored:
        return domain.GoodwillLimits.defaults()
    try:
        return domain.GoodwillLimits.from_dict(stored)
    except domain.InvalidGoodwill:
        return domain.GoodwillLimits.defaults()


async def get_limits(ctx: ServiceContext) -> domain.GoodwillLimits:
    async with reading(ctx) as conn:
        return await load_limits(conn)


async def set_limits(ctx: ServiceContext, data: Any) -> domain.GoodwillLimits:
    """Admins: limits per kind in cents (labels ignored); kinds not given keep what they had."""
    if not isinstance(data, Mapping):
        raise ValidationError("limits", "Objekt je Art erwartet, z. B. {\"voucher\": {\"per_case_cents\": 2000, "
                                        "\"per_agent_month_cents\": 20000}}.")
    async with unit_of_work(ctx) as uow:
        merged: dict[str, Any] = {kind: _without_label(value)
                                  for kind, value in (await load_limits(uow.conn)).to_dict().items()}
        merged.update({kind: _without_label(value) for kind, value in data.items()})
        try:
            limits = domain.GoodwillLimits.from_dict(merged)
        except domain.InvalidGoodwill as error:
            raise _invalid(error) from None
        await accounts.put_setting(uow.conn, LIMITS_KEY,
                                   {kind: _without_label(value) for kind, value in limits.to_dict().items()})
    return limits


def _without_label(value: Any) -> Any:
    return {k: v for k, v in value.items() if k != "label"} if isinstance(value, Mapping) else value


async def _month_start(conn: AsyncConnection, now: datetime) -> datetime:
    """The calendar month in the company's time zone (the business hours' one), not in UTC."""
    zone = (await load_business_hours(conn)).zone
    return domain.month_start(now.astimezone(zone))


def grant_view(row: Mapping[str, Any]) -> dict[str, Any]:
    status = domain.GrantStatus(row["status"])
    number = row.get("ticket_number")
    return {
        "id": row["id"], "kind": row["kind"], "kind_label": domain.KIND_LABELS_DE[row["kind"]],
        "amount_cents": row["amount_cents"], "amount_label": domain.format_cents(row["amount_cents"]),
        "reason": row["reason"], "status": status.value, "status_label": domain.STATUS_LABELS_DE[status],
        "conversation_id": row["conversation_id"], "ticket_id": row["ticket_id"],
        "ticket_reference": reference(number) if number is not None else None,
        "agent_id": row["agent_id"], "agent_name": row["agent_name"],
        "limit_reasons": list(row["limit_reasons"] or []), "created_at": row["created_at"].isoformat(),
        "decided_by": row["decided_by"], "decided_by_name": row["decided_by_name"],
        "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
        "decision_note": row["decision_note"],
    }


async def _case(uow: UnitOfWork, actor: Mapping[str, Any], conversation_id: Any,
                ticket_id: Any) -> tuple[str | None, Mapping[str, Any] | None]:
    """(conversation id, ticket row) of the case the actor may grant on; errors in German otherwise."""
    if (conversation_id is None) == (ticket_id is None):
        raise ValidationError("case", "Bitte genau ein Gespräch (conversation_id) oder ein Ticket (ticket_id) "
                                      "angeben.")
    override = actor["role"] in DECIDE_ROLES
    if ticket_id is not None:
        ticket = await ticket_store.get_ticket(uow.conn, ticket_id) if isinstance(ticket_id, str) else None
        if ticket is None:
            raise NotFound("Ticket nicht gefunden.")
        if ticket["owner_id"] != actor["id"] and not override:
            holder = f"bearbeitet {ticket['owner_name']}" if ticket["owner_id"] else "hat noch niemand übernommen"
            raise Forbidden(f"Dieses Ticket {holder}. Kulanz gewähren Sie in Ihren eigenen Fällen; übernehmen Sie "
                            "das Ticket zuerst oder bitten Sie eine Supervisorin oder einen Supervisor.")
        return ticket["conversation_id"], ticket
    conversation = await conversations.get_conversation(uow.conn, conversation_id) if isinstance(conversation_id, str) \
        else None
    if conversation is None:
        raise NotFound("Gespräch nicht gefunden.")
    if conversation["assignee_id"] != actor["id"] and not override:
        raise Forbidden("Dieses Gespräch betreut eine Kollegin oder ein Kollege. Kulanz gewähren Sie in Ihren "
                        "eigenen Gesprächen.")
    return conversation["id"], None


async def _tell_customer(uow: UnitOfWork, now: datetime, grant: Mapping[str, Any], actor: Mapping[str, Any],
                         ticket: Mapping[str, Any] | None) -> None:
    """The confirmation: in the conversation when there is one, else as an answer in the ticket's history."""
    text = domain.confirmation_text(grant["kind"], grant["amount_cents"])
    if grant["conversation_id"]:
        await append_message(uow, now, grant["conversation_id"], message_type=OUTGOING, sender_type=AGENT,
                             sender_id=actor["id"], text=text)
    elif ticket is not None:
        await add_article(uow, ticket["id"], now, kind=ARTICLE_REPLY, channel=CHANNEL_CONSOLE, sender_type=AGENT,
                          author_id=actor["id"], author_name=actor["display_name"], text=text,
                          meta={"goodwill_grant_id": grant["id"]})


async def _history(uow: UnitOfWork, now: datetime, ticket_id: str | None, grant: Mapping[str, Any],
                   actor: Mapping[str, Any], status: domain.GrantStatus, extra: str = "") -> None:
    if ticket_id is None:
        return
    line = domain.agent_summary(grant["kind"], grant["amount_cents"], status) + f". Grund: {grant['reason']}"
    await add_article(uow, ticket_id, now, kind=ARTICLE_SYSTEM, channel=CHANNEL_CONSOLE, sender_type=AGENT,
                      author_id=actor["id"], author_name=actor["display_name"], text=line + extra,
                      meta={"goodwill_grant_id": grant["id"], "kind": grant["kind"],
                            "amount_cents": grant["amount_cents"], "status": status.value})


async def grant(ctx: ServiceContext, actor_id: str, *, kind: Any, amount_cents: Any, reason: Any,
                conversation_id: Any = None, ticket_id: Any = None) -> dict[str, Any]:
    """Grant goodwill on the actor's own case: within the limits at once, above them as a request."""
    try:
        kind = domain.check_kind(kind)
        amount = domain.check_amount(amount_cents)
    except domain.InvalidGoodwill as error:
        raise _invalid(error) from None
    if not isinstance(reason, str) or len(reason.strip()) < domain.MIN_REASON_CHARS:
        raise ValidationError("reason", "Bitte einen Grund angeben (wer, was, warum).")
    reason = reason.strip()
    if len(reason) > domain.MAX_REASON_CHARS:
        raise ValidationError("reason", f"Höchstens {domain.MAX_REASON_CHARS} Zeichen.")
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        if actor["role"] not in GRANT_ROLES:
            raise Forbidden("Kulanz gewähren Agents, Supervisor und Admins.")
        case_conversation, ticket = await _case(uow, actor, conversation_id, ticket_id)
        case_ticket = ticket["id"] if ticket is not None else None
        await store.lock_case_and_agent(uow.conn, case_conversation, case_ticket, actor["id"])
        limit = (await load_limits(uow.conn)).for_kind(kind)
        case_total = await store.case_total(uow.conn, kind, case_conversation, case_ticket, LIMIT_STATUSES)
        month_total = await store.agent_total(uow.conn, kind, actor["id"], await _month_start(uow.conn, now),
                                              LIMIT_STATUSES)
        decision = domain.decide(limit, amount, case_total, month_total)
        row = {"id": new_id(), "kind": kind, "amount_cents": amount, "reason": reason,
               "status": decision.status.value, "conversation_id": case_conversation, "ticket_id": case_ticket,
               "agent_id": actor["id"], "agent_name": actor["display_name"],
               "limit_reasons": list(decision.reasons) or None, "created_at": now, "decided_by": None,
               "decided_by_name": None, "decided_at": None, "decision_note": None}
        await store.insert_grant(uow.conn, row)
        if decision.status == domain.GrantStatus.GRANTED:
            await _tell_customer(uow, now, row, actor, ticket)
        elif case_conversation:
            await append_message(uow, now, case_conversation, message_type=OUTGOING, sender_type=AGENT,
                                 sender_id=actor["id"], private=True,
                                 text=domain.agent_summary(kind, amount, decision.status) + ": "
                                 + "; ".join(decision.reasons) + ". Eine Supervisorin oder ein Admin entscheidet.")
        await _history(uow, now, case_ticket, row, actor, decision.status,
                       f" ({'; '.join(decision.reasons)})" if decision.reasons else "")
        if ticket is not None:
            record_change(uow, ticket, "goodwill")   # the inbox and an open ticket detail refresh
        uow.record(GoodwillChanged(case_conversation or "", grant_id=row["id"], status=row["status"],
                                   agent_id=actor["id"]))
        stored = await store.get_grant(uow.conn, row["id"])
    return grant_view(stored)


async def decide(ctx: ServiceContext, grant_id: str, actor_id: str, approve: bool,
                 note: str | None = None) -> dict[str, Any]:
    """A supervisor or admin approves (the customer is told) or declines (the agent is told) a request."""
    note = optional_note(note, domain.MAX_REASON_CHARS)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        if actor["role"] not in DECIDE_ROLES:
            raise Forbidden("Über Kulanz oberhalb der Limits entscheiden Supervisor und Admins.")
        row = await store.get_grant(uow.conn, grant_id) if isinstance(grant_id, str) else None
        if row is None:
            raise NotFound(NOT_FOUND)
        if row["agent_id"] == actor["id"]:   # four eyes: above the limits, someone else decides
            raise Forbidden("Über Ihre eigene Anfrage entscheidet eine andere Supervisorin oder ein anderer Admin.")
        trigger = domain.GrantTrigger.APPROVED if approve else domain.GrantTrigger.DECLINED
        try:
            new = domain.next_grant_status(row["status"], trigger)
        except domain.InvalidGrantTransition as error:
            raise Conflict(str(error)) from None
        if not await store.decide_if(uow.conn, row["id"], row["status"], status=new.value, decided_by=actor["id"],
                                     decided_by_name=actor["display_name"], decided_at=now, decision_note=note):
            raise Conflict("Über diese Kulanz wurde gerade entschieden. Bitte neu laden.")
        ticket = await ticket_store.get_ticket(uow.conn, row["ticket_id"]) if row["ticket_id"] else None
        if new == domain.GrantStatus.APPROVED:
            await _tell_customer(uow, now, row, actor, ticket)
        elif row["conversation_id"]:
            await append_message(uow, now, row["conversation_id"], message_type=OUTGOING, sender_type=AGENT,
                                 sender_id=actor["id"], private=True,
                                 text=domain.agent_summary(row["kind"], row["amount_cents"], new)
                                 + (f": {note}" if note else "."))
        await _history(uow, now, row["ticket_id"], row, actor, new, f". Entscheidung: {note}" if note else "")
        if ticket is not None:
            record_change(uow, ticket, "goodwill")
        uow.record(GoodwillChanged(row["conversation_id"] or "", grant_id=row["id"], status=new.value,
                                   agent_id=row["agent_id"]))
        stored = await store.get_grant(uow.conn, row["id"])
    return grant_view(stored)


async def list_grants(ctx: ServiceContext, actor_id: str, *, status: str | None = None,
                      conversation_id: str | None = None, ticket_id: str | None = None) -> dict[str, Any]:
    """Grants of a case (any agent), the open requests (supervisors, admins), or the caller's own."""
    if status is not None and status not in {s.value for s in domain.GrantStatus}:
        raise ValidationError("status", "granted, requested, approved oder declined erwartet.")
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        if actor["role"] not in GRANT_ROLES:
            raise Forbidden("Kulanz sehen Agents, Supervisor und Admins.")
        mine_only = conversation_id is None and ticket_id is None and actor["role"] not in DECIDE_ROLES
        rows = await store.list_grants(uow.conn, status=status, conversation_id=conversation_id,
                                       ticket_id=ticket_id, agent_id=actor["id"] if mine_only else None,
                                       limit=LIST_LIMIT)
    return {"grants": [grant_view(row) for row in rows]}


async def allowance(ctx: ServiceContext, actor_id: str) -> dict[str, Any]:
    """The caller's limits per kind and what is left of this month's allowance."""
    now = ctx.now()
    async with reading(ctx) as conn:
        limits = await load_limits(conn)
        used = await store.agent_totals_by_kind(conn, actor_id, await _month_start(conn, now), LIMIT_STATUSES)
    kinds = []
    for kind in domain.GOODWILL_KINDS:
        limit = limits.for_kind(kind)
        left = max(0, limit.per_agent_month_cents - used.get(kind, 0))
        kinds.append({"kind": kind, "label": domain.KIND_LABELS_DE[kind], "per_case_cents": limit.per_case_cents,
                      "per_agent_month_cents": limit.per_agent_month_cents, "used_cents": used.get(kind, 0),
                      "left_cents": left, "left_label": domain.format_cents(left),
                      "per_case_label": domain.format_cents(limit.per_case_cents)})
    return {"kinds": kinds}


async def grants_for_export(conn: AsyncConnection, conversation_id: str) -> list[dict[str, Any]]:
    """The privacy export of a conversation lists its goodwill (services/admin.py)."""
    return [grant_view(row) for row in await store.grants_of_conversation(conn, conversation_id)]
