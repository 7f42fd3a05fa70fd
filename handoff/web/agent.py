"""Agent API under `/api/agent`: login, presence, queue, conversations, replies, notes, canned replies."""
from __future__ import annotations

from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.bus.base import PRESENCE_STATUSES
from handoff.services import admin as admin_services
from handoff.services import agent as agent_services
from handoff.services import auth, conversations, handoffs, presence
from handoff.web.agent_auth import CHAT_ROLES, authenticate, clear_session_cookie, set_session_cookie
from handoff.web.agent_socket import AgentSocket, refuse
from handoff.web.context import app_context, services
from handoff.web.errors import invalid
from handoff.domain.vocabulary import MAX_EMAIL_CHARS, MAX_NOTE_CHARS
from handoff.web.inputs import CLIENT_ID_MAX_CHARS, client_ip, json_object, optional_bool, optional_text, \
    required_text
from handoff.web.openapi import AGENT_BEARER, AGENT_SESSION, ANY_OBJECT, BOOLEAN, INTEGER, NULLABLE_STRING, STRING, \
    Operation, array, obj

TAG = "agent"
AUTH = (AGENT_SESSION, AGENT_BEARER)
PRESENCE_SCHEMA = {"type": "string", "enum": list(PRESENCE_STATUSES)}
EMAIL_CHARS = MAX_EMAIL_CHARS
PASSWORD_CHARS = 1024
NOTE_CHARS = MAX_NOTE_CHARS

AGENT_SCHEMA = obj(("id", "email", "display_name", "role"), id=STRING, email=STRING, display_name=STRING,
                   role=STRING, active=BOOLEAN, capacity=INTEGER)
# Nullable where the view has None: no assignee yet, not waiting, no text (buttons only), no intent (agent).
CONVERSATION_SCHEMA = obj(("id", "status"), id=STRING, channel=STRING, status=STRING,
                          assignee_id=NULLABLE_STRING, last_seq=INTEGER, waiting_since=NULLABLE_STRING)
MESSAGE_SCHEMA = obj(("seq", "text"), id=STRING, seq=INTEGER, message_type=STRING, sender_type=STRING,
                     sender_name=NULLABLE_STRING, private=BOOLEAN, text=NULLABLE_STRING, intent=NULLABLE_STRING,
                     tone_label=NULLABLE_STRING, created_at=STRING)
ONE_CONVERSATION = obj(("conversation",), conversation=CONVERSATION_SCHEMA)
ONE_MESSAGE = obj(("message",), message=MESSAGE_SCHEMA)
OK = obj(("ok",), ok=BOOLEAN)
TEXT_BODY = obj(("text",), text=STRING, client_id=STRING)
CHAT_ERRORS = (400, 401, 403, 404, 409, 422)


def conversation_action(summary: str) -> Operation:
    return Operation(summary, TAG, {200: ONE_CONVERSATION}, security=AUTH, errors=CHAT_ERRORS)


def blueprint() -> Blueprint:
    bp = Blueprint("agent", url_prefix="/api/agent")

    @bp.post("/login", ctx_api=Operation(
        "Log in; sets the HttpOnly cookie nw_session, or returns session_token when bearer=true", TAG,
        {200: obj(("agent", "csrf_token"), agent=AGENT_SCHEMA, csrf_token=STRING, expires_at=STRING,
                  session_token=STRING)},
        request=obj(("email", "password"), email=STRING, password=STRING, bearer=BOOLEAN),
        errors=(400, 401, 422, 429)))
    async def login(request: Request) -> HTTPResponse:
        body = json_object(request)
        email = required_text(body, "email", EMAIL_CHARS)
        password = body.get("password")
        if not isinstance(password, str) or not password or len(password) > PASSWORD_CHARS:
            raise invalid("password", "Passwort fehlt.")
        bearer = optional_bool(body, "bearer") or False
        app_context(request).limits.check_login(client_ip(request))
        result = await auth.login(services(request), email, password, ip=client_ip(request))
        data: dict[str, Any] = {"agent": result.agent.to_dict(), "csrf_token": result.csrf_token,
                                "expires_at": result.expires_at.isoformat()}
        if bearer:
            data["session_token"] = result.session_token
        response = json(data)
        if not bearer:
            set_session_cookie(request, response, result.session_token)
        return response

    @bp.post("/logout", ctx_api=Operation("End the session", TAG, {200: OK}, security=AUTH, errors=(401, 403)))
    async def logout(request: Request) -> HTTPResponse:
        caller = await authenticate(request)
        await auth.logout(services(request), caller.session_token)
        await presence.disconnected(services(request), caller.agent.id)
        response = json({"ok": True})
        clear_session_cookie(response)
        return response

    @bp.get("/me", ctx_api=Operation("The logged-in agent (and the CSRF token of a cookie session)", TAG,
                                     {200: obj(("agent",), agent=AGENT_SCHEMA, csrf_token=STRING,
                                               status=STRING)}, security=AUTH, errors=(401,)))
    async def me(request: Request) -> HTTPResponse:
        caller = await authenticate(request)
        data: dict[str, Any] = {"agent": caller.agent.to_dict(),
                                "status": await presence.chosen_status(services(request), caller.agent.id)}
        if caller.via_cookie:
            data["csrf_token"] = await auth.csrf_for_session(services(request), caller.session_token)
        return json(data)

    @bp.put("/status", ctx_api=Operation("Presence: online (takes conversations) or away", TAG,
                                         {200: obj(("status",), status=PRESENCE_SCHEMA)},
                                         request=obj(("status",), status=PRESENCE_SCHEMA), security=AUTH,
                                         errors=(400, 401, 403, 422)))
    async def status(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        chosen = required_text(json_object(request), "status", 20)
        if chosen not in PRESENCE_STATUSES:
            raise invalid("status", "online oder away erwartet.")
        await presence.choose_status(services(request), caller.agent.id, chosen)
        return json({"status": chosen})

    @bp.get("/queue", ctx_api=Operation("Conversations waiting for a person, most urgent first", TAG,
                                        {200: obj(("queue",), queue=array(ANY_OBJECT))}, security=AUTH,
                                        errors=(401, 403)))
    async def queue(request: Request) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        items = await handoffs.queue(services(request))
        return json({"queue": [item.to_dict() for item in items]})

    @bp.get("/conversations", ctx_api=Operation(
        "The caller's open conversations (mine=1)", TAG,
        {200: obj(("conversations",), conversations=array(CONVERSATION_SCHEMA))}, query={"mine": INTEGER},
        security=AUTH, errors=(401, 403)))
    async def mine(request: Request) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        found = await agent_services.my_conversations(services(request), caller.agent.id)
        return json({"conversations": [conversation.to_dict() for conversation in found]})

    @bp.get("/conversations/<conversation_id>", ctx_api=Operation(
        "Detail: transcript with intents and tone, handoff reasons and summary, notes, tickets", TAG,
        {200: ANY_OBJECT}, security=AUTH, errors=(401, 403, 404)))
    async def detail(request: Request, conversation_id: str) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        return json(await conversations.conversation_detail(services(request), conversation_id))

    @bp.post("/conversations/<conversation_id>/claim",
             ctx_api=conversation_action("Take a queued conversation (409 when someone else was faster)"))
    async def claim(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        claimed = await agent_services.claim(services(request), conversation_id, caller.agent.id)
        return json({"conversation": claimed.to_dict()})

    @bp.post("/conversations/<conversation_id>/messages", ctx_api=Operation(
        "Write to the customer", TAG, {201: ONE_MESSAGE}, request=TEXT_BODY, security=AUTH,
        errors=CHAT_ERRORS + (413,)))
    async def reply(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        body = json_object(request)
        text = required_text(body, "text", app_context(request).settings.max_message_chars)
        client_id = optional_text(body, "client_id", CLIENT_ID_MAX_CHARS)
        message = await agent_services.agent_reply(services(request), conversation_id, caller.agent.id, text,
                                                   client_id)
        return json({"message": message.to_dict()}, status=201)

    @bp.post("/conversations/<conversation_id>/notes", ctx_api=Operation(
        "Internal note (never shown to the customer)", TAG, {201: ONE_MESSAGE}, request=obj(("text",), text=STRING),
        security=AUTH, errors=CHAT_ERRORS + (413,)))
    async def note(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        text = required_text(json_object(request), "text", NOTE_CHARS)
        message = await agent_services.add_note(services(request), conversation_id, caller.agent.id, text)
        return json({"message": message.to_dict()}, status=201)

    @bp.post("/conversations/<conversation_id>/typing", ctx_api=Operation(
        "Tell the customer the agent is typing", TAG, {200: OK}, security=AUTH, errors=CHAT_ERRORS))
    async def typing(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        await agent_services.agent_typing(services(request), conversation_id, caller.agent.id)
        return json({"ok": True})

    @bp.post("/conversations/<conversation_id>/handback",
             ctx_api=conversation_action("Give the conversation back to the bot"))
    async def hand_back(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        view = await agent_services.hand_back(services(request), conversation_id, caller.agent.id)
        return json({"conversation": view.to_dict()})

    @bp.post("/conversations/<conversation_id>/resolve",
             ctx_api=conversation_action("Close the conversation (the customer is asked for a rating)"))
    async def resolve(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        view = await agent_services.resolve(services(request), conversation_id, caller.agent.id)
        return json({"conversation": view.to_dict()})

    @bp.post("/conversations/<conversation_id>/transfer",
             ctx_api=conversation_action("Put the conversation back into the queue for a colleague"))
    async def transfer(request: Request, conversation_id: str) -> HTTPResponse:
        caller = await authenticate(request, CHAT_ROLES)
        view = await agent_services.transfer_to_queue(services(request), conversation_id, caller.agent.id)
        return json({"conversation": view.to_dict()})

    @bp.get("/canned", ctx_api=Operation("Canned replies", TAG, {200: obj(("canned",), canned=array(ANY_OBJECT))},
                                         security=AUTH, errors=(401, 403)))
    async def canned(request: Request) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        replies = await admin_services.list_canned_replies(services(request))
        return json({"canned": [reply.to_dict() for reply in replies]})

    @bp.websocket("/ws", ctx_api=Operation(
        "Agent WebSocket: queue and subscribed conversations live, typing, presence heartbeat (docs/api.md)", TAG,
        {101: None}, query={"token": STRING}, security=AUTH, errors=(401, 403), websocket=True))
    async def socket(request: Request, ws: Any) -> None:
        try:
            caller = await authenticate(request, CHAT_ROLES, allow_query=True)
        except Exception as error:  # every refusal becomes an error frame, then close
            await refuse(ws, error)
            return
        await AgentSocket(app_context(request), request, ws, caller.agent, caller.session_token).run()

    return bp
