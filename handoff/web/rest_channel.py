"""Rasa's REST channel protocol (`POST /webhooks/rest/webhook`), so any Rasa REST client works unchanged.

Unlike Rasa's RestInput the conversation may be with a person: then the customer's message goes to the agent and
the answer is `[]`. REST cannot push, so an agent's messages are delivered with the response to the customer's
next message (everything agents wrote since the customer's previous message).
"""
from __future__ import annotations

from typing import Any, Iterable

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.services import conversations, customer
from handoff.services.views import MessageView
from handoff.web.context import app_context, services
from handoff.web.errors import invalid
from handoff.web.inputs import client_ip, json_object, required_text
from handoff.web.openapi import ANY_OBJECT, STRING, Operation, array, obj
from handoff.domain.vocabulary import INCOMING, OUTGOING

REST_CHANNEL = "rest"
SENDER_MAX_CHARS = 200
TAG = "rasa-rest"
SENDER_AGENT = "agent"

RASA_MESSAGE_SCHEMA = obj(("recipient_id",), recipient_id=STRING, text=STRING,
                          buttons=array(obj(("title", "payload"), title=STRING, payload=STRING)),
                          custom=ANY_OBJECT)


def rasa_message(recipient_id: str, message: MessageView) -> dict[str, Any]:
    """The shape of Rasa's CollectingOutputChannel: keys with None values are left out."""
    data: dict[str, Any] = {"recipient_id": recipient_id}
    if message.text is not None:
        data["text"] = message.text
    if message.buttons:
        data["buttons"] = [{"title": b.get("title"), "payload": b.get("payload")} for b in message.buttons]
    return data


def undelivered_agent_messages(transcript: Iterable[MessageView], current_seq: int) -> list[MessageView]:
    """Agent messages written between the customer's previous message and this one (never sent over REST yet)."""
    messages = [m for m in transcript if m.seq < current_seq]
    previous = max((m.seq for m in messages if m.message_type == INCOMING), default=0)
    return [m for m in messages if m.seq > previous and m.sender_type == SENDER_AGENT
            and m.message_type == OUTGOING and not m.private and m.text]


def blueprint() -> Blueprint:
    bp = Blueprint("rasa_rest", url_prefix="/webhooks/rest")

    @bp.get("/", ctx_api=Operation("Channel health (as Rasa's RestInput)", TAG,
                                    {200: obj(("status",), status=STRING)}))
    async def rest_health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @bp.post("/webhook", ctx_api=Operation(
        "Send a customer message (Rasa REST protocol); answers with the bot's messages, [] while with an agent",
        TAG, {200: array(RASA_MESSAGE_SCHEMA)},
        request=obj(("sender", "message"), sender=STRING, message=STRING, metadata=ANY_OBJECT),
        errors=(400, 413, 422, 429)))
    async def webhook(request: Request) -> HTTPResponse:
        body = json_object(request)
        sender = required_text(body, "sender", SENDER_MAX_CHARS)
        text = required_text(body, "message", app_context(request).settings.max_message_chars)
        if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
            raise invalid("metadata", "JSON-Objekt erwartet.")
        ctx = services(request)
        conversation = await conversations.conversation_for_external(ctx, REST_CHANNEL, sender)
        app_context(request).limits.check_message(conversation.id, client_ip(request))
        message, _duplicate, replies = await customer.customer_writes(ctx, conversation.id, None, text)
        since = await conversations.since_previous_customer_message(ctx, conversation.id, message.seq)
        delivered = undelivered_agent_messages(since, message.seq) + [r for r in replies if not r.private]
        return json([rasa_message(sender, m) for m in delivered if m.text is not None or m.buttons])

    return bp
