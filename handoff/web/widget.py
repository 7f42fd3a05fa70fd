"""Customer API under `/api/widget`: start a conversation, WebSocket, and the REST polling fallback."""
from __future__ import annotations

import json as jsonlib
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.services import conversations, customer
from handoff.services.views import ConversationView
from handoff.web.context import app_context, services
from handoff.web.errors import describe, unauthenticated
from handoff.web.frames import CLOSE_POLICY_VIOLATION
from handoff.web.inputs import (
    CLIENT_ID_MAX_CHARS,
    bearer_token,
    client_ip,
    json_object,
    optional_text,
    query_int,
    required_int,
    required_text,
)
from handoff.web.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, Operation, array, obj
from handoff.web.openapi import CONVERSATION_TOKEN as TOKEN
from handoff.web.widget_socket import COMMENT_CHARS, EMAIL_CHARS, NOTE_CHARS, WidgetSocket, error_frame
from handoff.web.widget_state import customer_state

WIDGET_CHANNEL = "widget"
TAG = "widget"

MESSAGE_SCHEMA = obj(
    ("seq", "message_type", "sender_type", "text", "created_at"),
    seq=INTEGER, message_type=STRING, sender_type=STRING, sender_name=NULLABLE_STRING, text=NULLABLE_STRING,
    buttons=array(obj(("title", "payload"), title=STRING, payload=STRING)), created_at=STRING,
)
STATE_SCHEMA = obj(("status",), status=STRING, queue_position={"type": "integer", "nullable": True},
                   wait_minutes={"type": "integer", "nullable": True}, agent_name=NULLABLE_STRING)


async def customer_conversation(request: Request, conversation_id: str, token: str | None) -> ConversationView:
    if not token:
        raise unauthenticated("Gesprächs-Token fehlt (Authorization: Bearer <token>).")
    return await conversations.conversation_for_customer(services(request), conversation_id, token)


def blueprint() -> Blueprint:
    bp = Blueprint("widget", url_prefix="/api/widget")

    @bp.post("/conversations", ctx_api=Operation(
        "Start a conversation; keep both values (localStorage)", TAG,
        {201: obj(("conversation_id", "token"), conversation_id=STRING, token=STRING)}, errors=(429,)))
    async def start(request: Request) -> HTTPResponse:
        app_context(request).limits.check_ip(client_ip(request))
        conversation, token = await conversations.start_conversation(services(request), WIDGET_CHANNEL)
        return json({"conversation_id": conversation.id, "token": token}, status=201)

    @bp.get("/conversations/<conversation_id>/events", ctx_api=Operation(
        "Events after a seq, plus the state (polling fallback of the WebSocket)", TAG,
        {200: obj(("events", "state"), events=array(MESSAGE_SCHEMA), state=STATE_SCHEMA)},
        query={"after": INTEGER}, security=(TOKEN,), errors=(400, 401, 403, 404)))
    async def events(request: Request, conversation_id: str) -> HTTPResponse:
        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        after = query_int(request, "after", 0)
        messages = await conversations.transcript(services(request), conversation.id, after_seq=after)
        return json({
            "events": [message.to_public() for message in messages if not message.private],
            "state": await customer_state(services(request), conversation.id, conversation.status),
        })

    @bp.post("/conversations/<conversation_id>/messages", ctx_api=Operation(
        "Send a message (idempotent per client_id); answers with the ack and the bot's replies", TAG,
        {200: obj(("client_id", "seq", "duplicate", "replies"), client_id=NULLABLE_STRING, seq=INTEGER,
                  duplicate=BOOLEAN, replies=array(MESSAGE_SCHEMA))},
        request=obj(("text",), client_id=STRING, text=STRING), security=(TOKEN,),
        errors=(400, 401, 403, 404, 413, 422, 429)))
    async def send_message(request: Request, conversation_id: str) -> HTTPResponse:
        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        body = json_object(request)
        client_id = optional_text(body, "client_id", CLIENT_ID_MAX_CHARS)
        text = required_text(body, "text", app_context(request).settings.max_message_chars)
        app_context(request).limits.check_message(conversation.id, client_ip(request))
        message, duplicate, replies = await customer.customer_writes(
            services(request), conversation.id, client_id, text)
        return json({"client_id": client_id, "seq": message.seq, "duplicate": duplicate,
                     "replies": [reply.to_public() for reply in replies if not reply.private]})

    @bp.post("/conversations/<conversation_id>/ticket", ctx_api=Operation(
        "Leave an e-mail address for an answer by e-mail", TAG,
        {201: obj(("ticket_id", "status"), ticket_id=STRING, status=STRING)},
        request=obj(("email",), email=STRING, note=STRING), security=(TOKEN,),
        errors=(400, 401, 403, 404, 409, 422)))
    async def ticket(request: Request, conversation_id: str) -> HTTPResponse:
        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        body = json_object(request)
        email = required_text(body, "email", EMAIL_CHARS)
        note = optional_text(body, "note", NOTE_CHARS) or ""
        created = await customer.leave_ticket(services(request), conversation.id, email, note)
        return json({"ticket_id": created.id, "status": created.status}, status=201)

    @bp.post("/conversations/<conversation_id>/csat", ctx_api=Operation(
        "Rate the help (1-5 stars, optional comment)", TAG, {201: obj(("rating",), rating=INTEGER)},
        request=obj(("rating",), rating=INTEGER, comment=STRING), security=(TOKEN,),
        errors=(400, 401, 403, 404, 409, 422)))
    async def csat(request: Request, conversation_id: str) -> HTTPResponse:
        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        body = json_object(request)
        rating = required_int(body, "rating", 1, 5)
        comment = optional_text(body, "comment", COMMENT_CHARS)
        await customer.rate(services(request), conversation.id, rating, comment)
        return json({"rating": rating}, status=201)

    @bp.websocket("/ws", ctx_api=Operation(
        "WebSocket of the widget protocol (docs/api.md)", TAG, {101: None},
        query={"conversation_id": STRING, "token": STRING, "after": INTEGER}, errors=(401, 403, 404),
        websocket=True))
    async def socket(request: Request, ws: Any) -> None:
        context = app_context(request)
        try:
            after = query_int(request, "after", 0)
            conversation = await customer_conversation(
                request, request.args.get("conversation_id", ""), request.args.get("token"))
        except Exception as error:  # every refusal becomes an error frame, then close
            _, code, message, field = describe(error)
            await ws.send(jsonlib.dumps(error_frame(code, message, field), ensure_ascii=False))
            await ws.close(CLOSE_POLICY_VIOLATION)
            return
        await WidgetSocket(context, request, ws, conversation.id, conversation.status).run(after)

    return bp
