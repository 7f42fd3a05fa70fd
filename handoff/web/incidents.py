"""Incidents API: agents list, open, take and close incidents (`/api/agent/incidents`); admins set the grouping
(`/api/admin/incidents/settings`). German errors, nothing changed on bad input."""
from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.domain.incidents import MAX_CLOSE_NOTE_CHARS
from handoff.services import incidents
from handoff.web.agent_auth import ADMIN_ROLES, CHAT_ROLES, authenticate
from handoff.web.context import services
from handoff.web.errors import invalid
from handoff.web.inputs import json_object, optional_text
from handoff.web.openapi import (
    AGENT_BEARER, AGENT_SESSION, BOOLEAN, INTEGER, NULLABLE_STRING, NUMBER, STRING, Operation, array, obj,
)

TAG = "incidents"
AUTH = (AGENT_SESSION, AGENT_BEARER)
ID_CHARS = 64
INCIDENT_SCHEMA = obj(
    ("id", "status", "report_count"), id=STRING, category=STRING, category_label=STRING, title=STRING,
    status={"type": "string", "enum": ["open", "closed"]}, status_label=STRING, owner_id=NULLABLE_STRING,
    owner_name=NULLABLE_STRING, report_count=INTEGER, first_reported_at=NULLABLE_STRING,
    last_reported_at=NULLABLE_STRING, created_at=STRING, closed_at=NULLABLE_STRING, close_note=NULLABLE_STRING)
REPORT_SCHEMA = obj(
    ("ticket_id", "reason"), ticket_id=STRING, number=INTEGER, reference=STRING, conversation_id=NULLABLE_STRING,
    text=STRING, reported_at=STRING, ticket_status=STRING, similarity={"type": "number", "nullable": True},
    reason=STRING, shared_words=array(STRING), matched_reference=NULLABLE_STRING)
GROUPING_SCHEMA = obj(("min_reports", "window_minutes", "similarity"), min_reports=INTEGER,
                      window_minutes=INTEGER, similarity=NUMBER)
DETAIL = obj(("incident", "reports"), incident=INCIDENT_SCHEMA, reports=array(REPORT_SCHEMA),
             grouping=GROUPING_SCHEMA, proposed_close_note=STRING)
ERRORS = (400, 401, 403, 404, 409, 413, 422)


def blueprint() -> Blueprint:
    bp = Blueprint("incidents")

    @bp.get("/api/agent/incidents", ctx_api=Operation(
        "Incidents (several customers reporting the same fault), newest change first; open_count for the header",
        TAG, {200: obj(("incidents", "open_count"), incidents=array(INCIDENT_SCHEMA), open_count=INTEGER)},
        query={"status": {"type": "string", "enum": ["open", "closed"]}}, security=AUTH, errors=(401, 403, 422)))
    async def list_incidents(request: Request) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        status = request.args.get("status") or None
        return json(await incidents.list_incidents(services(request), status))

    @bp.get("/api/agent/incidents/<incident_id>", ctx_api=Operation(
        "One incident with its reports and why each was grouped", TAG, {200: DETAIL}, security=AUTH,
        errors=(401, 403, 404)))
    async def detail(request: Request, incident_id: str) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        return json(await incidents.incident_detail(services(request), incident_id))

    @bp.post("/api/agent/incidents/<incident_id>/assign", ctx_api=Operation(
        "Take the incident (no owner_id: yourself); supervisors and admins give it to a colleague or to nobody "
        "(owner_id null with unassign=true)", TAG, {200: DETAIL},
        request=obj((), owner_id=NULLABLE_STRING, unassign=BOOLEAN), security=AUTH, errors=ERRORS))
    async def assign(request: Request, incident_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        body = json_object(request) if request.body else {}
        owner = optional_text(body, "owner_id", ID_CHARS)
        unassign = body.get("unassign") is True
        if "unassign" in body and not isinstance(body["unassign"], bool):
            raise invalid("unassign", "true oder false erwartet.")
        owner_id = None if unassign else (owner or caller.agent.id)
        return json(await incidents.assign(services(request), incident_id, caller.agent.id, owner_id))

    @bp.post("/api/agent/incidents/<incident_id>/close", ctx_api=Operation(
        "Close the incident; the optional note goes to every reporter's conversation. The bot stops mentioning it",
        TAG, {200: DETAIL}, request=obj((), note=STRING), security=AUTH, errors=ERRORS))
    async def close(request: Request, incident_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        body = json_object(request) if request.body else {}
        note = optional_text(body, "note", MAX_CLOSE_NOTE_CHARS)
        return json(await incidents.close(services(request), incident_id, caller.agent.id, note))

    @bp.get("/api/admin/incidents/settings", ctx_api=Operation(
        "How reports are grouped: minimum reports, window in minutes, text similarity 0..1", TAG,
        {200: GROUPING_SCHEMA}, security=AUTH, errors=(401, 403)))
    async def get_settings(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await incidents.get_grouping(services(request))).to_dict())

    @bp.put("/api/admin/incidents/settings", ctx_api=Operation(
        "Set the grouping (applies to reports from now on)", TAG, {200: GROUPING_SCHEMA}, request=GROUPING_SCHEMA,
        security=AUTH, errors=(400, 401, 403, 413, 422)))
    async def put_settings(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await incidents.set_grouping(services(request), json_object(request))).to_dict())

    return bp
