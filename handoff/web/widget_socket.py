"""One customer WebSocket (`/api/widget/ws`), speaking the widget protocol of docs/architecture.md.

Events reach the socket only through the bus subscription to `conversation.<id>` (so a second tab or another
instance sees the same), after a replay from the database; both can deliver the same message, so each socket
remembers the seqs it sent.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from sanic.request import Request
from websockets.exceptions import ConnectionClosed

from handoff.bus.base import conversation_topic
from handoff.domain.states import routes_to_bot
from handoff.services import conversations, customer
from handoff.services.context import ServiceContext
from handoff.services.errors import ServiceError
from handoff.metrics import record
from handoff.web.context import AppContext
from handoff.web.delivered import DeliveredSeqs
from handoff.web.errors import ApiError, describe
from handoff.web.frames import CLOSE_GOING_AWAY, parse_frame, read_frames
from handoff.domain.vocabulary import CUSTOMER, MAX_COMMENT_CHARS, MAX_EMAIL_CHARS, MAX_NOTE_CHARS
from handoff.web.inputs import CLIENT_ID_MAX_CHARS, client_ip, optional_text, required_int, required_text
from handoff.web.widget_state import state_frame

logger = logging.getLogger(__name__)

# Frame types (docs/architecture.md, "Widget protocol").
MESSAGE, TYPING, TICKET, CSAT, PING = "message", "typing", "ticket", "csat", "ping"
ACK, EVENT, STATE, ERROR, PONG = "ack", "event", "state", "error", "pong"
SENDER_CUSTOMER = CUSTOMER
NOTE_CHARS = MAX_NOTE_CHARS
EMAIL_CHARS = MAX_EMAIL_CHARS
COMMENT_CHARS = MAX_COMMENT_CHARS
# Typing notices are cosmetic; one per interval per socket is plenty for agents.
TYPING_INTERVAL_SECONDS = 2.0
JSON_ESCAPED_CHARS_PER_CHAR = 6
FRAME_OVERHEAD_CHARS = 1024


RETRY_AFTER_HEADER = "Retry-After"
# Refusals worth resending unchanged later (rate limit, database briefly away); anything else would fail again.
RETRYABLE_STATUSES = frozenset({429, 503})


def error_frame(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    frame = {"type": ERROR, "code": code, "message": message}
    if field is not None:
        frame["field"] = field
    return frame


def refusal_frame(error: BaseException, client_id: str | None) -> dict[str, Any]:
    """The error frame for a refused `message` frame: names the outbox entry and whether resending can help."""
    status, code, message, field = describe(error)
    frame = error_frame(code, message, field)
    if client_id is not None:
        frame["client_id"] = client_id
    frame["retryable"] = status in RETRYABLE_STATUSES
    retry_after = getattr(error, "headers", {}).get(RETRY_AFTER_HEADER) if isinstance(error, ApiError) else None
    if retry_after is not None:
        frame["retry_after"] = int(retry_after)
    return frame


class MessageRefused(Exception):
    """A `message` frame was refused; carries its client_id so the error frame can name the outbox entry."""

    def __init__(self, error: BaseException, client_id: str | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.client_id = client_id


class WidgetSocket:
    def __init__(self, app: AppContext, request: Request, ws: Any, conversation_id: str, status: str) -> None:
        self.app = app
        self.services: ServiceContext = app.service_context()
        self.request = request
        self.ws = ws
        self.conversation_id = conversation_id
        self.status = status
        self.sent_seqs = DeliveredSeqs()   # the bus and the direct send may both deliver one message
        self.last_typing = 0.0
        # A client may JSON-escape every non-ASCII character (\uXXXX): a full-length German text must fit.
        self.max_frame_chars = app.settings.max_message_chars * JSON_ESCAPED_CHARS_PER_CHAR + FRAME_OVERHEAD_CHARS

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame, ensure_ascii=False))

    async def send_event(self, message: dict[str, Any]) -> None:
        if not self.sent_seqs.first_time(message.get("seq")):
            return
        await self.send({"type": EVENT, "event": message})

    async def send_state(self) -> None:
        await self.send(await state_frame(self.services, self.conversation_id, self.status, with_requests=True))

    async def run(self, after: int) -> None:
        with record.connection(record.WIDGET_WEBSOCKET):
            await self._run(after)

    async def _run(self, after: int) -> None:
        async with self.services.bus.subscribe(conversation_topic(self.conversation_id)) as events:
            # Subscribed before the replay: an event committed in between arrives twice at worst, never not at all.
            for message in await conversations.transcript(self.services, self.conversation_id, after_seq=after):
                if not message.private:
                    await self.send_event(message.to_public())
            await self.send_state()
            pump = asyncio.create_task(self._pump(events), name=f"widget-pump-{self.conversation_id}")
            try:
                await self._read_frames(pump)
            finally:
                pump.cancel()

    async def _pump(self, events: Any) -> None:
        async for _topic, payload in events:
            try:
                await self._forward(payload)
            except ConnectionClosed:
                return
            except Exception:
                logger.exception("widget socket: forwarding %s failed", payload.get("type"))

    async def _forward(self, payload: dict[str, Any]) -> None:
        kind = payload.get("type")
        if kind == "message" and isinstance(payload.get("message"), dict):
            await self.send_event(payload["message"])
        elif kind == "state":
            self.status = payload.get("status") or self.status
            await self.send(await state_frame(self.services, self.conversation_id, self.status,
                                              payload.get("queue_position"), payload.get("wait_minutes")))
        elif kind == "typing" and payload.get("sender_type") in ("bot", "agent"):
            await self.send({"type": TYPING, "sender_type": payload["sender_type"]})
        elif kind == "deleted":
            await self.send(error_frame("deleted", "Dieses Gespräch wurde gelöscht."))
            await self.ws.close(CLOSE_GOING_AWAY)
        # Private notes and agent-side events are never forwarded to customers.

    async def _read_frames(self, pump: asyncio.Task[None]) -> None:
        await read_frames(self.ws, self._handle, self._refuse, (MessageRefused, ApiError, ServiceError),
                          go_on=lambda: not pump.done())

    async def _refuse(self, error: Exception) -> None:
        if isinstance(error, MessageRefused):
            await self.send(refusal_frame(error.error, error.client_id))
            return
        _, code, message, field = describe(error)
        await self.send(error_frame(code, message, field))

    async def _handle(self, raw: str | bytes) -> None:
        frame = parse_frame(raw, self.max_frame_chars)
        handler = {MESSAGE: self._on_message, TYPING: self._on_typing, TICKET: self._on_ticket,
                   CSAT: self._on_csat, PING: self._on_ping}.get(frame["type"])
        if handler is None:
            raise ApiError(400, "unknown_type", f"Unbekannter Typ: {frame['type'][:40]}")
        await handler(frame)

    async def _on_message(self, frame: dict[str, Any]) -> None:
        given = frame.get("client_id")
        named = given if isinstance(given, str) and 0 < len(given) <= CLIENT_ID_MAX_CHARS else None
        try:
            client_id = required_text(frame, "client_id", CLIENT_ID_MAX_CHARS)
            text = required_text(frame, "text", self.app.settings.max_message_chars)
            self.app.limits.check_message(self.conversation_id, client_ip(self.request))
            message, duplicate, claim = await customer.receive_and_claim(
                self.services, self.conversation_id, client_id, text)
        except (ApiError, ServiceError) as error:
            raise MessageRefused(error, named) from error
        except Exception as error:
            if describe(error)[0] not in RETRYABLE_STATUSES:
                raise
            raise MessageRefused(error, named) from error   # database away: the widget keeps it and resends
        await self.send({"type": ACK, "client_id": client_id, "seq": message.seq})
        if not duplicate and routes_to_bot(self.status):
            await self.send({"type": TYPING, "sender_type": "bot"})
        # A duplicate too: if a crash ended its first routing, the claim lets this resend get it answered (once).
        self.app.spawn(self._route(message, claim), name=f"route-{self.conversation_id}-{message.seq}")

    async def _route(self, message: Any, claim: Any) -> None:
        try:
            replies = await customer.route_customer_message(self.services, self.conversation_id, message, claim)
        except Exception as error:
            logger.exception("routing message %s of %s failed", message.seq, self.conversation_id)
            _, code, text, _ = describe(error)
            try:
                await self.send(error_frame(code, text))
            except Exception:
                pass  # the socket is gone; the message is stored and will be seen by agents / on reconnect
            return
        # Also sent directly, not only via the bus: with Redis down the customer still gets the answer live.
        # send_event skips seqs the bus already delivered.
        try:
            for reply in replies:
                if not reply.private:
                    await self.send_event(reply.to_public())
        except ConnectionClosed:
            pass  # stored; replayed on reconnect

    async def _on_typing(self, frame: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self.last_typing >= TYPING_INTERVAL_SECONDS:
            self.last_typing = now
            await customer.customer_typing(self.services, self.conversation_id)

    async def _on_ticket(self, frame: dict[str, Any]) -> None:
        email = required_text(frame, "email", EMAIL_CHARS)
        note = optional_text(frame, "note", NOTE_CHARS) or ""
        await customer.leave_ticket(self.services, self.conversation_id, email, note)

    async def _on_csat(self, frame: dict[str, Any]) -> None:
        rating = required_int(frame, "rating", 1, 5)
        comment = optional_text(frame, "comment", COMMENT_CHARS)
        await customer.rate(self.services, self.conversation_id, rating, comment)

    async def _on_ping(self, frame: dict[str, Any]) -> None:
        await self.send({"type": PONG})

