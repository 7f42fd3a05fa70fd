"""Goodwill API: agents grant from a conversation or a ticket (`/api/agent/goodwill`), supervisors and admins decide
requests above the limits, admins set the limits (`/api/admin/goodwill/limits`). Amounts in integer cents."""
from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.domain.goodwill import GOODWILL_KINDS, MAX_AMOUNT_CENTS, MAX_REASON_CHARS
from handoff.services import goodwill, goodwill_summary
from handoff.web.agent_auth import ADMIN_ROLES, CHAT_ROLES, SUPERVISOR_ROLES, authenticate
from handoff.web.context import services
from handoff.web.errors import invalid
from handoff.web.inputs import json_object, optional_text
from handoff.web.openapi import (
    AGENT_BEARER, AGENT_SESSION, INTEGER, NULLABLE_STRING, STRING, Operation, array, obj,
)

TAG = "goodwill"
AUTH = (AGENT_SESSION, AGENT_BEARER)
ID_CHARS = 64
KIND_SCHEMA = {"type": "string", "enum": list(GOODWILL_KINDS)}
CENTS = {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT_CENTS}
GRANT_SCHEMA = obj(
    ("id", "kind", "amount_cents", "status"), id=STRING, kind=KIND_SCHEMA, kind_label=STRING, amount_cents=INTEGER,
    amount_label=STRING, reason=STRING,
    status={"type": "string", "enum": ["granted", "requested", "approved", "declined"]}, status_label=STRING,
    conversation_id=NULLABLE_STRING, ticket_id=NULLABLE_STRING, ticket_reference=NULLABLE_STRING,
    agent_id=NULLABLE_STRING, agent_name=STRING, limit_reasons=array(STRING), created_at=STRING,
    decided_by=NULLABLE_STRING, decided_by_name=NULLABLE_STRING, decided_at=NULLABLE_STRING,
    decision_note=NULLABLE_STRING)
ONE_GRANT = obj(("grant",), grant=GRANT_SCHEMA)
LIMIT_SCHEMA = obj(("per_case_cents", "per_agent_month_cents"), per_case_cents=CENTS, per_agent_month_cents=CENTS,
                   label=STRING)
LIMITS_SCHEMA = obj((), **{kind: LIMIT_SCHEMA for kind in GOODWILL_KINDS})
GRANT_REQUEST = obj(("kind", "amount_cents", "reason"), kind=KIND_SCHEMA,
                    amount_cents={"type": "integer", "minimum": 1, "maximum": MAX_AMOUNT_CENTS},
                    reason={"type": "string", "maxLength": MAX_REASON_CHARS}, conversation_id=STRING,
                    ticket_id=STRING)
DECISION = obj((), note={"type": "string", "maxLength": MAX_REASON_CHARS})
ERRORS = (400, 401, 403, 404, 409, 413, 422)


def _optional_id(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid(name, "Text erwartet.")
    return optional_text(body, name, ID_CHARS)


def blueprint() -> Blueprint:
    bp = Blueprint("goodwill")

    @bp.get("/api/agent/goodwill", ctx_api=Operation(
        "Grants of a case (conversation_id or ticket_id), the open requests (status=requested, supervisors and "
        "admins), or the caller's own", TAG, {200: obj(("grants",), grants=array(GRANT_SCHEMA))},
        query={"status": STRING, "conversation_id": STRING, "ticket_id": STRING}, security=AUTH,
        errors=(401, 403, 422)))
    async def list_grants(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json(await goodwill.list_grants(
            services(request), caller.agent.id, status=request.args.get("status") or None,
            conversation_id=request.args.get("conversation_id") or None,
            ticket_id=request.args.get("ticket_id") or None))

    @bp.get("/api/agent/goodwill/allowance", ctx_api=Operation(
        "The caller's limits per kind and what is left of this month's allowance", TAG,
        {200: obj(("kinds",), kinds=array(obj((), kind=KIND_SCHEMA, label=STRING, per_case_cents=INTEGER,
                                                per_agent_month_cents=INTEGER, used_cents=INTEGER,
                                                left_cents=INTEGER)))}, security=AUTH, errors=(401, 403)))
    async def allowance(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        return json(await goodwill.allowance(services(request), caller.agent.id))

    @bp.get("/api/agent/goodwill/summary", ctx_api=Operation(
        "Goodwill per kind and per agent over whole days (company time zone), in cents: given (granted + approved), "
        "requested, declined. Supervisors and admins", TAG,
        {200: obj(("from", "to", "kinds", "agents", "given_cents"), **{"from": STRING, "to": STRING},
                  kinds=array(obj((), kind=KIND_SCHEMA, label=STRING, given_count=INTEGER, given_cents=INTEGER,
                                  approved_count=INTEGER, requested_count=INTEGER, declined_count=INTEGER)),
                  agents=array(obj((), agent_id=NULLABLE_STRING, agent_name=STRING, given_count=INTEGER,
                                   given_cents=INTEGER)), given_cents=INTEGER)},
        query={"from": STRING, "to": STRING}, security=AUTH, errors=(401, 403, 422)))
    async def summary(request: Request) -> HTTPResponse:
        caller = await authenticate(request, SUPERVISOR_ROLES)
        return json(await goodwill_summary.summary(services(request), caller.agent.id, request.args.get("from"),
                                                   request.args.get("to")))

    @bp.post("/api/agent/goodwill", ctx_api=Operation(
        "Grant goodwill on your own conversation or ticket: within the limits at once (status granted, the customer "
        "is told), above them a request for a supervisor (status requested)", TAG, {201: ONE_GRANT},
        request=GRANT_REQUEST, security=AUTH, errors=ERRORS))
    async def grant(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        body = json_object(request)
        reason = body.get("reason")
        if isinstance(reason, str) and len(reason.strip()) > MAX_REASON_CHARS:
            raise invalid("reason", f"Höchstens {MAX_REASON_CHARS} Zeichen.")
        created = await goodwill.grant(
            services(request), caller.agent.id, kind=body.get("kind"), amount_cents=body.get("amount_cents"),
            reason=reason, conversation_id=_optional_id(body, "conversation_id"),
            ticket_id=_optional_id(body, "ticket_id"))
        return json({"grant": created}, status=201)

    async def _decide(request: Request, grant_id: str, approve: bool) -> HTTPResponse:
        caller = await authenticate(request, SUPERVISOR_ROLES)
        body = json_object(request) if request.body else {}
        note = optional_text(body, "note", MAX_REASON_CHARS)
        return json({"grant": await goodwill.decide(services(request), grant_id, caller.agent.id, approve, note)})

    @bp.post("/api/agent/goodwill/<grant_id>/approve", ctx_api=Operation(
        "Approve a request above the limits (supervisors, admins); the customer is told", TAG, {200: ONE_GRANT},
        request=DECISION, security=AUTH, errors=ERRORS))
    async def approve(request: Request, grant_id: str) -> HTTPResponse:
        return await _decide(request, grant_id, True)

    @bp.post("/api/agent/goodwill/<grant_id>/decline", ctx_api=Operation(
        "Decline a request (supervisors, admins); the agent sees the note", TAG, {200: ONE_GRANT},
        request=DECISION, security=AUTH, errors=ERRORS))
    async def decline(request: Request, grant_id: str) -> HTTPResponse:
        return await _decide(request, grant_id, False)

    @bp.get("/api/admin/goodwill/limits", ctx_api=Operation(
        "Goodwill limits per kind, in cents: per case and per agent per month", TAG, {200: LIMITS_SCHEMA},
        security=AUTH, errors=(401, 403)))
    async def get_limits(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await goodwill.get_limits(services(request))).to_dict())

    @bp.put("/api/admin/goodwill/limits", ctx_api=Operation(
        "Set limits (kinds not given keep theirs); the monthly limit is at least the per-case one", TAG,
        {200: LIMITS_SCHEMA}, request=LIMITS_SCHEMA, security=AUTH, errors=(400, 401, 403, 413, 422)))
    async def put_limits(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await goodwill.set_limits(services(request), json_object(request))).to_dict())

    return bp
