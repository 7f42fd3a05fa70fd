"""Rasa's socket.io channel protocol at `/socket.io/` (rasa-webchat and other Rasa socket.io clients).

As in Rasa with `session_persistence: true`, a conversation is keyed by the session id, not by the socket: every
socket of a session joins the session's room. This instance subscribes to the bus topic of each session it
serves and emits bot, agent and system messages to the room, so agent replies reach rasa-webchat as well.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sanic import Sanic
from socketio import AsyncServer

from handoff.bus.base import conversation_topic
from handoff.services import conversations, customer
from handoff.services.errors import ServiceError
from handoff.metrics import record
from handoff.web.context import AppContext
from handoff.web.delivered import DeliveredSeqs
from handoff.web.errors import ApiError, describe
from handoff.web.openapi import INTEGER, STRING, TEXT_MEDIA, Operation
from handoff.web.security import client_address
from handoff.domain.vocabulary import CUSTOMER

logger = logging.getLogger(__name__)

SOCKETIO_CHANNEL = "socketio"
SOCKETIO_PATH = "socket.io"
USER_MESSAGE_EVENT = "user_uttered"
BOT_MESSAGE_EVENT = "bot_uttered"
SESSION_REQUEST = "session_request"
SESSION_CONFIRM = "session_confirm"
ERROR_EVENT = "error_message"
SESSION_ID_MAX_CHARS = 200


def bot_uttered(message: dict[str, Any]) -> dict[str, Any]:
    """The payload Rasa's SocketIOOutput emits: text, plus quick_replies when the message has buttons."""
    data: dict[str, Any] = {"text": message.get("text") or ""}
    buttons = message.get("buttons") or []
    if buttons:
        data["quick_replies"] = [{"content_type": "text", "title": b.get("title"), "payload": b.get("payload")}
                                 for b in buttons]
    return data


@dataclass
class SessionRoom:
    session_id: str
    conversation_id: str
    sids: set[str] = field(default_factory=set)
    sent_seqs: DeliveredSeqs = field(default_factory=DeliveredSeqs)
    task: asyncio.Task[None] | None = None


class SocketIoChannel:
    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.sio = AsyncServer(async_mode="sanic", cors_allowed_origins="*", logger=False, engineio_logger=False)
        self.rooms: dict[str, SessionRoom] = {}
        self.session_of_sid: dict[str, str] = {}
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)
        self.sio.on(SESSION_REQUEST, self.session_request)
        self.sio.on(USER_MESSAGE_EVENT, self.user_uttered)

    @property
    def context(self) -> AppContext:
        return self.app.ctx

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        record.connection_opened(record.SOCKETIO)
        return True

    async def disconnect(self, sid: str, *_reason: Any) -> None:
        record.connection_closed(record.SOCKETIO)
        session_id = self.session_of_sid.pop(sid, None)
        room = self.rooms.get(session_id) if session_id else None
        if room is None:
            return
        room.sids.discard(sid)
        if not room.sids:
            self.rooms.pop(room.session_id, None)
            if room.task is not None:
                room.task.cancel()

    async def session_request(self, sid: str, data: Any) -> None:
        requested = data.get("session_id") if isinstance(data, dict) else None
        session_id = requested if isinstance(requested, str) and 0 < len(requested) <= SESSION_ID_MAX_CHARS \
            else uuid.uuid4().hex
        await self._join(sid, session_id)
        await self.sio.emit(SESSION_CONFIRM, session_id, room=sid)

    async def user_uttered(self, sid: str, data: Any) -> None:
        if not isinstance(data, dict):
            return
        session_id = data.get("session_id") or self.session_of_sid.get(sid)
        text = data.get("message")
        if not isinstance(session_id, str) or not session_id or len(session_id) > SESSION_ID_MAX_CHARS:
            logger.warning("socket.io message without a valid session_id ignored (send session_request first)")
            return
        max_chars = self.context.settings.max_message_chars
        if not isinstance(text, str) or not text.strip() or len(text) > max_chars:
            await self.sio.emit(ERROR_EVENT, {"code": "invalid", "message": f"1 bis {max_chars} Zeichen."}, room=sid)
            return
        try:
            room = await self._join(sid, session_id)
            environ = self.sio.get_environ(sid) or {}
            # python-engineio's Sanic driver writes REMOTE_ADDR as 127.0.0.1 for everyone: the request knows better.
            request = environ.get("sanic.request")
            self.context.limits.check_message(room.conversation_id,
                                              client_address(request) if request is not None else sid)
            # The replies come back through the bus subscription of the room, like an agent's messages.
            await customer.customer_writes(self.context.service_context(), room.conversation_id, None, text.strip())
        except (ApiError, ServiceError) as error:
            _, code, message, _ = describe(error)
            await self.sio.emit(ERROR_EVENT, {"code": code, "message": message}, room=sid)

    async def _join(self, sid: str, session_id: str) -> SessionRoom:
        room = self.rooms.get(session_id)
        if room is None:
            conversation = await conversations.conversation_for_external(
                self.context.service_context(), SOCKETIO_CHANNEL, session_id)
            room = self.rooms.setdefault(session_id, SessionRoom(session_id, conversation.id))
        if sid not in room.sids:
            room.sids.add(sid)
            self.session_of_sid[sid] = session_id
            await self.sio.enter_room(sid, session_id)
        if room.task is None or room.task.done():
            ready = asyncio.Event()
            room.task = asyncio.create_task(self._relay(room, ready), name=f"socketio-{session_id}")
            await ready.wait()
        return room

    async def _relay(self, room: SessionRoom, ready: asyncio.Event) -> None:
        try:
            async with self.context.service_context().bus.subscribe(conversation_topic(room.conversation_id)) \
                    as events:
                ready.set()
                async for _topic, payload in events:
                    message = payload.get("message") if payload.get("type") == "message" else None
                    if not isinstance(message, dict) or message.get("sender_type") == CUSTOMER:
                        continue
                    if not (message.get("text") or message.get("buttons")) \
                            or not room.sent_seqs.first_time(message.get("seq")):
                        continue
                    await self.sio.emit(BOT_MESSAGE_EVENT, bot_uttered(message), room=room.session_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("socket.io relay for session %s stopped", room.session_id)
        finally:
            ready.set()

    async def close(self, _app: Sanic, _loop: object) -> None:
        for room in list(self.rooms.values()):
            if room.task is not None:
                room.task.cancel()
        self.rooms.clear()


def attach(app: Sanic) -> SocketIoChannel:
    channel = SocketIoChannel(app)
    channel.sio.attach(app, socketio_path=SOCKETIO_PATH)
    # Clients request `/socket.io/?EIO=...`; without an exact route the static catch-all would answer 404.
    app.add_route(channel.sio.eio.handle_request, f"/{SOCKETIO_PATH}/", methods=["GET", "POST", "OPTIONS"],
                  strict_slashes=True, name="socketio_trailing_slash")
    app.ctx.sio = channel.sio
    app.register_listener(channel.close, "before_server_stop")
    operation = Operation(
        "Rasa socket.io channel (engine.io transport): session_request/session_confirm, user_uttered/bot_uttered",
        "rasa-socketio", {200: None}, query={"EIO": INTEGER, "transport": STRING, "sid": STRING}, errors=(400,),
        media_type=TEXT_MEDIA)
    for route in app.router.routes:
        if route.path.strip("/") == SOCKETIO_PATH:
            route.ctx.api = operation
    return channel
