"""Tickets API: the agents' inbox and actions (`/api/agent/tickets`), the SLA settings (`/api/admin/ticket-sla`),
and a returning customer's view of their requests (`/api/widget/conversations/<id>/tickets`). The periodic ticket
jobs (reminders, auto-close) are started with the others (handoff/jobs.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.domain.ticket_words import MAX_TICKET_TEXT_CHARS
from handoff.services import ticket_actions, ticket_privacy, ticket_queries
from handoff.services.ticket_sla import get_sla_settings, set_sla_settings
from handoff.store import accounts
from handoff.web.agent_auth import ADMIN_ROLES, CHAT_ROLES, authenticate
from handoff.web.context import services
from handoff.web.errors import invalid
from handoff.web.inputs import bearer_token, json_object, required_text
from handoff.web.openapi import (
    AGENT_BEARER, AGENT_SESSION, ANY_OBJECT, BOOLEAN, INTEGER, NULLABLE_STRING, STRING, Operation, array, obj,
)
from handoff.web.openapi import CONVERSATION_TOKEN
from handoff.services.unit_of_work import reading

TAG = "tickets"
AUTH = (AGENT_SESSION, AGENT_BEARER)
ID_CHARS = 64
FILTER_CHARS = 32
ERRORS = (400, 401, 403, 404, 409, 413, 422)
TICKET_SCHEMA = obj(
    ("id", "number", "reference", "kind", "status"), id=STRING, number=INTEGER, reference=STRING,
    conversation_id=NULLABLE_STRING, kind=STRING, kind_label=STRING, channel=STRING, status=STRING,
    status_label=STRING, summary=NULLABLE_STRING, email=NULLABLE_STRING, owner_id=NULLABLE_STRING,
    owner_name=NULLABLE_STRING, created_at=STRING, first_response_at=NULLABLE_STRING,
    first_response_due_at=NULLABLE_STRING, solution_due_at=NULLABLE_STRING, pending_until=NULLABLE_STRING,
    solved_at=NULLABLE_STRING, closed_at=NULLABLE_STRING, due_at=NULLABLE_STRING,
    due_state={"type": "string", "nullable": True, "enum": ["overdue", "soon", "ok", None]}, age_seconds=INTEGER,
    merged_into_id=NULLABLE_STRING, follow_up_of_id=NULLABLE_STRING)
ARTICLE_SCHEMA = obj(("id", "kind", "channel", "created_at"), id=STRING, seq=INTEGER, kind=STRING, channel=STRING,
                     sender_type=STRING, author_name=NULLABLE_STRING, text=NULLABLE_STRING, meta=ANY_OBJECT,
                     created_at=STRING)
ONE_TICKET = obj(("ticket",), ticket=TICKET_SCHEMA)
DUE_SCHEMA = obj(("overdue", "soon"), overdue=INTEGER, soon=INTEGER, overdue_mine=INTEGER, soon_mine=INTEGER)
LIST_SCHEMA = obj(("tickets", "counts", "due"), tickets=array(TICKET_SCHEMA), counts=ANY_OBJECT, due=DUE_SCHEMA,
                  labels=ANY_OBJECT)
DETAIL_SCHEMA = obj(("ticket", "articles"), ticket=TICKET_SCHEMA, articles=array(ARTICLE_SCHEMA),
                    transcript=array(ANY_OBJECT), handoff={**ANY_OBJECT, "nullable": True}, details=ANY_OBJECT,
                    related=array(TICKET_SCHEMA))
CUSTOMER_TICKET = obj(("reference", "status"), notice=NULLABLE_STRING, reference=STRING, status=STRING,
                      status_label=STRING,
                      kind_label=STRING, created_at=STRING,
                      answers=array(obj(("text",), text=STRING, created_at=STRING, author_name=NULLABLE_STRING)))
SLA_POLICY = obj((), first_response_minutes={"type": "integer", "nullable": True},
                 solution_minutes={"type": "integer", "nullable": True}, legal_month=BOOLEAN)
SLA_SCHEMA = obj(("close_after_days", "policies"), close_after_days=INTEGER,
                 policies={"type": "object", "additionalProperties": SLA_POLICY}, kind_labels=ANY_OBJECT)


def action(summary: str, request: dict[str, Any] | None = None) -> Operation:
    return Operation(summary, TAG, {200: ONE_TICKET}, request=request, security=AUTH, errors=ERRORS)


def _id(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > ID_CHARS:
        raise invalid(name, "Eine gültige Ticket- bzw. Konto-ID wird erwartet.")
    return value


def _when(body: dict[str, Any], name: str) -> datetime:
    raw = required_text(body, name, 64)
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(name, "Datum und Uhrzeit im ISO-Format erwartet, z. B. 2026-12-07T09:00:00+01:00.") from None
    if value.tzinfo is None:
        raise invalid(name, "Bitte die Zeitzone angeben (z. B. +01:00 oder Z).")
    return value


def _filter(request: Request, name: str) -> str | None:
    value = request.args.get(name)
    if value is not None and len(value) > FILTER_CHARS:
        raise invalid(name, "Unbekannter Filter.")
    return value or None


def blueprint() -> Blueprint:
    bp = Blueprint("tickets")

    @bp.get("/api/agent/tickets", ctx_api=Operation(
        "The ticket inbox: filtered (status: active|all|new|open|pending|solved|closed|merged; kind; owner: "
        "me|none|<agent id>), sorted by the due time that counts now, with counts per filter", TAG,
        {200: LIST_SCHEMA}, query={"status": STRING, "kind": STRING, "owner": STRING}, security=AUTH,
        errors=(401, 403, 422)))
    async def inbox(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json(await ticket_queries.list_tickets(
            services(request), caller.agent.id, status=_filter(request, "status"), kind=_filter(request, "kind"),
            owner=_filter(request, "owner")))

    @bp.get("/api/agent/tickets/due", ctx_api=Operation(
        "Overdue and soon-due tickets (all, and the caller's), for the console header", TAG, {200: DUE_SCHEMA},
        security=AUTH, errors=(401, 403)))
    async def due(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json(await ticket_queries.due_counts(services(request), caller.agent.id))

    @bp.get("/api/agent/tickets/colleagues", ctx_api=Operation(
        "Who a ticket can be assigned to", TAG,
        {200: obj(("colleagues",), colleagues=array(obj(("id", "display_name"), id=STRING, display_name=STRING)))},
        security=AUTH, errors=(401, 403)))
    async def colleagues(request: Request) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        async with reading(services(request)) as conn:
            rows = await accounts.list_agents(conn)
        return json({"colleagues": [{"id": row["id"], "display_name": row["display_name"]} for row in rows
                                    if row["active"] and row["role"] in ticket_actions.WORKING_ROLES]})

    @bp.get("/api/agent/tickets/<ticket_id>", ctx_api=Operation(
        "Detail: the ticket, its history (articles), the chat transcript, handoff summary, collected details, the "
        "customer's other tickets", TAG, {200: DETAIL_SCHEMA}, security=AUTH, errors=(401, 403, 404)))
    async def detail(request: Request, ticket_id: str) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        return json(await ticket_queries.ticket_detail(services(request), ticket_id))

    @bp.post("/api/agent/tickets/<ticket_id>/claim",
             ctx_api=action("Take an unowned ticket (409 when a colleague was faster)"))
    async def claim(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        view = await ticket_actions.claim(services(request), ticket_id, caller.agent.id)
        return json({"ticket": view.to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/assign", ctx_api=action(
        "Assign to a colleague (owner, unowned, or supervisor/admin)", obj(("assignee_id",), assignee_id=STRING)))
    async def assign(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        assignee = _id(json_object(request).get("assignee_id"), "assignee_id")
        view = await ticket_actions.assign(services(request), ticket_id, caller.agent.id, assignee)
        return json({"ticket": view.to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/pending", ctx_api=action(
        "Wait for the customer until a reminder time (ISO 8601 with zone, in the future)", obj(("until",),
                                                                                             until=STRING)))
    async def pending(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        until = _when(json_object(request), "until")
        view = await ticket_actions.set_pending(services(request), ticket_id, caller.agent.id, until)
        return json({"ticket": view.to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/solve", ctx_api=action("Mark as solved (closes after the set days)"))
    async def solve(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json({"ticket": (await ticket_actions.solve(services(request), ticket_id, caller.agent.id)).to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/reopen", ctx_api=action("Open a solved or pending ticket again"))
    async def reopen(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json({"ticket": (await ticket_actions.reopen(services(request), ticket_id, caller.agent.id)).to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/merge", ctx_api=action(
        "Merge this duplicate into another ticket of the same customer", obj(("into_ticket_id",),
                                                                             into_ticket_id=STRING)))
    async def merge(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        into = _id(json_object(request).get("into_ticket_id"), "into_ticket_id")
        view = await ticket_actions.merge(services(request), ticket_id, caller.agent.id, into)
        return json({"ticket": view.to_dict()})

    @bp.post("/api/agent/tickets/<ticket_id>/answer", ctx_api=Operation(
        "Answer the customer (shown in the widget; by e-mail once configured)", TAG,
        {201: obj(("ticket", "article"), ticket=TICKET_SCHEMA, article=ARTICLE_SCHEMA)},
        request=obj(("text",), text=STRING), security=AUTH, errors=ERRORS))
    async def answer(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        text = required_text(json_object(request), "text", MAX_TICKET_TEXT_CHARS)
        view, article = await ticket_actions.answer(services(request), ticket_id, caller.agent.id, text)
        return json({"ticket": view.to_dict(), "article": article.to_dict()}, status=201)

    @bp.post("/api/agent/tickets/<ticket_id>/notes", ctx_api=Operation(
        "Internal note (never shown to the customer)", TAG, {201: obj(("article",), article=ARTICLE_SCHEMA)},
        request=obj(("text",), text=STRING), security=AUTH, errors=ERRORS))
    async def note(request: Request, ticket_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        text = required_text(json_object(request), "text", MAX_TICKET_TEXT_CHARS)
        article = await ticket_actions.add_note(services(request), ticket_id, caller.agent.id, text)
        return json({"article": article.to_dict()}, status=201)

    @bp.get("/api/admin/ticket-sla", ctx_api=Operation(
        "Due times per ticket kind (business minutes; legal month) and days until solved tickets close", "admin",
        {200: SLA_SCHEMA}, security=AUTH, errors=(401, 403)))
    async def get_sla(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await get_sla_settings(services(request))).to_dict())

    @bp.put("/api/admin/ticket-sla", ctx_api=Operation(
        "Replace the due times per ticket kind (applies to tickets created from now on)", "admin",
        {200: SLA_SCHEMA}, request=SLA_SCHEMA, security=AUTH, errors=(400, 401, 403, 422)))
    async def put_sla(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await set_sla_settings(services(request), json_object(request))).to_dict())

    @bp.get("/api/admin/tickets/export", ctx_api=Operation(
        "Every ticket of one e-mail address with its whole history, notes included (data subject access)", "admin",
        {200: obj(("email", "tickets"), format_version=INTEGER, exported_at=STRING, email=STRING,
                  tickets=array(ANY_OBJECT))}, query={"email": STRING}, security=AUTH, errors=(401, 403, 422)))
    async def export_contact(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json(await ticket_privacy.export_contact(services(request), request.args.get("email") or ""))

    @bp.delete("/api/admin/tickets", ctx_api=Operation(
        "Erase every ticket of one e-mail address with its history (data subject erasure)", "admin",
        {200: obj(("deleted",), deleted=INTEGER)}, query={"email": STRING}, security=AUTH, errors=(401, 403, 422)))
    async def delete_contact(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        deleted = await ticket_privacy.delete_contact(services(request), request.args.get("email") or "")
        return json({"deleted": deleted})

    @bp.get("/api/widget/conversations/<conversation_id>/tickets", ctx_api=Operation(
        "The customer's requests from this conversation: reference, status and our answers", "widget",
        {200: obj(("tickets",), tickets=array(CUSTOMER_TICKET))}, security=(CONVERSATION_TOKEN,),
        errors=(401, 403, 404)))
    async def customer_tickets(request: Request, conversation_id: str) -> HTTPResponse:
        from handoff.web.widget import customer_conversation

        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        return json({"tickets": await ticket_queries.tickets_for_customer(services(request), conversation.id)})

    return bp
