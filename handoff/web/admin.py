"""Admin API under `/api/admin` (role admin): agents, business hours, canned replies, export and deletion."""
from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.services import admin as admin_services
from handoff.services import auth
from handoff.domain.vocabulary import MAX_EMAIL_CHARS, ROLES
from handoff.web.agent_auth import ADMIN_ROLES, ALL_ROLES, authenticate
from handoff.web.context import services
from handoff.web.errors import invalid
from handoff.web.inputs import json_object, optional_bool, optional_int, optional_text, required_text
from handoff.web.openapi import AGENT_BEARER, AGENT_SESSION, ANY_OBJECT, BOOLEAN, INTEGER, STRING, Operation, \
    array, obj

TAG = "admin"
AUTH = (AGENT_SESSION, AGENT_BEARER)
ERRORS = (400, 401, 403, 404, 409, 422)
NAME_CHARS = 100
EMAIL_CHARS = MAX_EMAIL_CHARS
PASSWORD_CHARS = 1024
SHORTCUT_CHARS = 40
TITLE_CHARS = 120
CANNED_TEXT_CHARS = 4000
MAX_CAPACITY = 50

AGENT_SCHEMA = obj(("id", "email", "display_name", "role", "active", "capacity"), id=STRING, email=STRING,
                   display_name=STRING, role=STRING, active=BOOLEAN, capacity=INTEGER)
AGENT_CREATE = obj(("email", "display_name", "password"), email=STRING, display_name=STRING, password=STRING,
                   role=STRING, capacity=INTEGER)
AGENT_UPDATE = obj((), display_name=STRING, role=STRING, active=BOOLEAN, capacity=INTEGER, password=STRING)
CANNED_SCHEMA = obj(("id", "shortcut", "title", "text"), id=STRING, shortcut=STRING, title=STRING, text=STRING)
CANNED_BODY = obj(("shortcut", "title", "text"), shortcut=STRING, title=STRING, text=STRING)


def admin_operation(summary: str, responses: dict, request: dict | None = None) -> Operation:
    return Operation(summary, TAG, responses, request=request, security=AUTH, errors=ERRORS)


def _role(value: str | None) -> str | None:
    if value is not None and value not in ALL_ROLES:
        raise invalid("role", f"Eine dieser Rollen erwartet: {', '.join(ROLES)}.")
    return value


def _password(body: dict, required: bool) -> str | None:
    password = body.get("password")
    if password is None and not required:
        return None
    if not isinstance(password, str) or not password or len(password) > PASSWORD_CHARS:
        raise invalid("password", "Passwort fehlt.")
    return password


def blueprint() -> Blueprint:
    bp = Blueprint("admin", url_prefix="/api/admin")

    @bp.get("/agents", ctx_api=admin_operation("All agents", {200: obj(("agents",), agents=array(AGENT_SCHEMA))}))
    async def list_agents(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json({"agents": [agent.to_dict() for agent in await auth.list_agents(services(request))]})

    @bp.post("/agents", ctx_api=admin_operation("Create an agent", {201: obj(("agent",), agent=AGENT_SCHEMA)},
                                                AGENT_CREATE))
    async def create_agent(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        body = json_object(request)
        created = await auth.create_agent(
            services(request), required_text(body, "email", EMAIL_CHARS),
            required_text(body, "display_name", NAME_CHARS), _password(body, required=True) or "",
            role=_role(optional_text(body, "role", 20)) or "agent",
            capacity=optional_int(body, "capacity", 1, MAX_CAPACITY) or 3)
        return json({"agent": created.to_dict()}, status=201)

    @bp.put("/agents/<agent_id>", ctx_api=admin_operation(
        "Update an agent: deactivate, role, capacity, reset password", {200: obj(("agent",), agent=AGENT_SCHEMA)},
        AGENT_UPDATE))
    async def update_agent(request: Request, agent_id: str) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        body = json_object(request)
        updated = await auth.update_agent(
            services(request), agent_id, display_name=optional_text(body, "display_name", NAME_CHARS),
            role=_role(optional_text(body, "role", 20)), active=optional_bool(body, "active"),
            capacity=optional_int(body, "capacity", 1, MAX_CAPACITY), password=_password(body, required=False))
        return json({"agent": updated.to_dict()})

    @bp.get("/business-hours", ctx_api=admin_operation("Business hours", {200: ANY_OBJECT}))
    async def get_hours(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json((await admin_services.get_business_hours(services(request))).to_dict())

    @bp.put("/business-hours", ctx_api=admin_operation("Replace the business hours", {200: ANY_OBJECT},
                                                       ANY_OBJECT))
    async def put_hours(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        hours = await admin_services.set_business_hours(services(request), json_object(request))
        return json(hours.to_dict())

    @bp.get("/canned", ctx_api=admin_operation("Canned replies", {200: obj(("canned",),
                                                                            canned=array(CANNED_SCHEMA))}))
    async def list_canned(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        replies = await admin_services.list_canned_replies(services(request))
        return json({"canned": [reply.to_dict() for reply in replies]})

    @bp.post("/canned", ctx_api=admin_operation("Create a canned reply",
                                                 {201: obj(("canned",), canned=CANNED_SCHEMA)}, CANNED_BODY))
    async def create_canned(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        body = json_object(request)
        reply = await admin_services.create_canned_reply(
            services(request), required_text(body, "shortcut", SHORTCUT_CHARS),
            required_text(body, "title", TITLE_CHARS), required_text(body, "text", CANNED_TEXT_CHARS))
        return json({"canned": reply.to_dict()}, status=201)

    @bp.put("/canned/<reply_id>", ctx_api=admin_operation(
        "Change a canned reply", {200: obj(("canned",), canned=CANNED_SCHEMA)},
        obj((), shortcut=STRING, title=STRING, text=STRING)))
    async def update_canned(request: Request, reply_id: str) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        body = json_object(request)
        reply = await admin_services.update_canned_reply(
            services(request), reply_id, shortcut=optional_text(body, "shortcut", SHORTCUT_CHARS),
            title=optional_text(body, "title", TITLE_CHARS), text=optional_text(body, "text", CANNED_TEXT_CHARS))
        return json({"canned": reply.to_dict()})

    @bp.delete("/canned/<reply_id>", ctx_api=admin_operation("Delete a canned reply",
                                                              {200: obj(("ok",), ok=BOOLEAN)}))
    async def delete_canned(request: Request, reply_id: str) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        await admin_services.delete_canned_reply(services(request), reply_id)
        return json({"ok": True})

    @bp.get("/conversations/<conversation_id>/export", ctx_api=admin_operation(
        "Everything stored about one conversation (data subject access)", {200: ANY_OBJECT}))
    async def export(request: Request, conversation_id: str) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        return json(await admin_services.export_conversation(services(request), conversation_id))

    @bp.delete("/conversations/<conversation_id>", ctx_api=admin_operation(
        "Delete one conversation and its Rasa tracker (right to erasure)",
        {200: obj(("ok", "tracker_deleted"), ok=BOOLEAN, tracker_deleted=BOOLEAN)}))
    async def delete(request: Request, conversation_id: str) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        tracker_deleted = await admin_services.erase_conversation(services(request), conversation_id)
        return json({"ok": True, "tracker_deleted": tracker_deleted})

    return bp
