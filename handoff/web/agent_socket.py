"""One agent WebSocket (`/api/agent/ws`): the queue and the agent's own topic live, plus conversations on request.

Server → client frames are the bus payloads themselves with the topic added (`{"topic", "type", ...}`), and
`subscribed` / `unsubscribed` / `error` / `pong`. While connected, the agent's presence is renewed.

A subscription to a conversation streams its messages only while the agent may follow it (queued, or assigned to
this agent: handoff/domain/visibility.py); its state changes always come through, so an open pane learns that the
conversation went back to the bot. Supervisors may ask to watch (`"watch": true`) any conversation; that is logged.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from sanic.request import Request
from websockets.exceptions import ConnectionClosed

from handoff.domain.visibility import agent_may_follow
from handoff.bus.base import PRESENCE_STATUSES, QUEUE_TOPIC, TICKETS_TOPIC, agent_topic, \
    conversation_topic
from handoff.services import agent as agent_services
from handoff.services import auth, conversations, presence
from handoff.services.errors import AuthenticationFailed
from handoff.services.views import AgentView
from handoff.metrics import record
from handoff.web.context import AppContext
from handoff.web.agent_auth import SUPERVISOR_ROLES
from handoff.web.errors import ApiError, describe, forbidden
from handoff.web.frames import CLOSE_POLICY_VIOLATION, parse_frame, read_frames
from handoff.web.inputs import required_text

logger = logging.getLogger(__name__)
audit = logging.getLogger("handoff.audit")

# The session is checked again while the socket is open: after logout or expiry the socket closes within this
# time instead of streaming queue and transcripts until the browser goes away.
SESSION_CHECK_SECONDS = 5.0
MAX_FRAME_CHARS = 4096
ID_CHARS = 100
MAX_SUBSCRIPTIONS = 50
# Frames about what is said in a conversation; the others (state, deleted, csat_requested) carry no content.
CONTENT_FRAMES = frozenset({"message", "note", "typing"})


class Follow:
    """One conversation subscription: whether its content may reach this agent, kept current by its state frames."""

    def __init__(self, agent_id: str, status: str | None, assignee_id: str | None, watching: bool) -> None:
        self.agent_id = agent_id
        self.status = status
        self.assignee_id = assignee_id
        self.watching = watching

    def admits(self, payload: dict[str, Any]) -> bool:
        if payload.get("type") == "state":
            self.status, self.assignee_id = payload.get("status"), payload.get("assignee_id")
            return True
        if payload.get("type") not in CONTENT_FRAMES:
            return True
        return self.watching or agent_may_follow(self.status, self.assignee_id, self.agent_id)


async def refuse(ws: Any, error: BaseException) -> None:
    _, code, message, _ = describe(error)
    await ws.send(json.dumps({"type": "error", "code": code, "message": message}, ensure_ascii=False))
    await ws.close(CLOSE_POLICY_VIOLATION)


def same_origin(request: Request) -> bool:
    """Browsers send Origin on WebSocket handshakes; a foreign page must not ride on the agent's cookie."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


class AgentSocket:
    def __init__(self, app: AppContext, request: Request, ws: Any, agent: AgentView, session_token: str) -> None:
        self.app = app
        self.services = app.service_context()
        self.request = request
        self.ws = ws
        self.agent = agent
        self.session_token = session_token
        self.conversation_tasks: dict[str, asyncio.Task[None]] = {}
        self.follows: dict[str, Follow] = {}

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame, ensure_ascii=False, default=str))

    async def run(self) -> None:
        with record.connection(record.AGENT_WEBSOCKET):
            await self._run()

    async def _run(self) -> None:
        if not same_origin(self.request):
            await refuse(self.ws, forbidden("Fremde Herkunft (Origin) abgelehnt."))
            return
        self.app.agent_sockets[self.agent.id] = self.app.agent_sockets.get(self.agent.id, 0) + 1
        ready = asyncio.Event()
        tasks = [asyncio.create_task(self._relay((QUEUE_TOPIC, TICKETS_TOPIC, agent_topic(self.agent.id)), ready)),
                 asyncio.create_task(self._heartbeat()), asyncio.create_task(self._watch_session())]
        try:
            await ready.wait()
            await self.send({"type": "ready", "agent_id": self.agent.id})
            await self._read_frames()
        finally:
            running = tasks + list(self.conversation_tasks.values())
            for task in running:
                task.cancel()
            # Sanic cancels the handler when the connection drops, and may cancel it again while it cleans up: the
            # clean-up runs to its end regardless, or the agent stays "present" until the presence TTL expires.
            await asyncio.shield(self._close(running))

    async def _close(self, running: list[asyncio.Task[Any]]) -> None:
        # A heartbeat cut off mid-write could otherwise land after _leave's forget.
        await asyncio.gather(*running, return_exceptions=True)
        await self._leave()

    async def _leave(self) -> None:
        remaining = self.app.agent_sockets.get(self.agent.id, 1) - 1
        if remaining > 0:
            self.app.agent_sockets[self.agent.id] = remaining
            return
        self.app.agent_sockets.pop(self.agent.id, None)
        try:
            await presence.disconnected(self.services, self.agent.id)
        except Exception:
            logger.exception("forgetting presence of %s failed", self.agent.id)

    async def _heartbeat(self) -> None:
        while True:
            try:
                await presence.renew(self.services, self.agent.id)
            except Exception:
                logger.exception("presence heartbeat of %s failed", self.agent.id)
            await asyncio.sleep(self.app.settings.presence_heartbeat_seconds)

    async def _watch_session(self) -> None:
        while True:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            try:
                await auth.agent_for_session(self.services, self.session_token)
            except AuthenticationFailed as error:
                await refuse(self.ws, error)  # the read loop ends with the closed socket
                return
            except Exception:  # the database is briefly away: keep the socket, check again later
                logger.warning("session check of %s failed", self.agent.id, exc_info=True)

    async def _relay(self, topics: tuple[str, ...], ready: asyncio.Event, follow: Follow | None = None) -> None:
        try:
            async with self.services.bus.subscribe(*topics) as events:
                ready.set()
                async for topic, payload in events:
                    if payload.get("type") == "typing" and payload.get("sender_type") == "agent":
                        continue  # agents care whether the customer types, not about their own echo
                    if follow is not None and not follow.admits(payload):
                        continue
                    await self.send({"topic": topic, **payload})
        except (ConnectionClosed, asyncio.CancelledError):
            raise
        except Exception:
            logger.exception("agent socket relay of %s stopped", topics)
        finally:
            ready.set()

    async def _read_frames(self) -> None:
        await read_frames(self.ws, self._handle, self._refuse)

    async def _refuse(self, error: Exception) -> None:
        _, code, message, field = describe(error)
        frame = {"type": "error", "code": code, "message": message}
        if field:
            frame["field"] = field
        await self.send(frame)

    async def _handle(self, raw: str | bytes) -> None:
        frame = parse_frame(raw, MAX_FRAME_CHARS)
        kind = frame["type"]
        if kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "subscribe":
            await self._subscribe(required_text(frame, "conversation_id", ID_CHARS), frame.get("watch") is True)
        elif kind == "unsubscribe":
            conversation_id = required_text(frame, "conversation_id", ID_CHARS)
            task = self.conversation_tasks.pop(conversation_id, None)
            self.follows.pop(conversation_id, None)
            if task is not None:
                task.cancel()
            await self.send({"type": "unsubscribed", "conversation_id": conversation_id})
        elif kind == "typing":
            conversation_id = required_text(frame, "conversation_id", ID_CHARS)
            await agent_services.agent_typing(self.services, conversation_id, self.agent.id)
        elif kind == "status":
            status = required_text(frame, "status", 20)
            if status not in PRESENCE_STATUSES:
                raise ApiError(422, "invalid", "online oder away erwartet.", "status")
            await presence.choose_status(self.services, self.agent.id, status)
        else:
            raise ApiError(400, "unknown_type", f"Unbekannter Typ: {kind[:40]}")

    async def _subscribe(self, conversation_id: str, watch: bool) -> None:
        if watch and self.agent.role not in SUPERVISOR_ROLES:
            raise forbidden("Mitlesen ist Supervisoren vorbehalten.")
        conversation = await conversations.get_conversation(self.services, conversation_id)  # NotFound → error
        if watch:
            audit.info("supervisor %s watches conversation %s (status %s)", self.agent.id, conversation_id,
                       conversation.status)
        if conversation_id in self.follows:
            self.follows[conversation_id].watching |= watch
        else:
            if len(self.conversation_tasks) >= MAX_SUBSCRIPTIONS:
                raise ApiError(409, "too_many_subscriptions", "Zu viele abonnierte Gespräche.")
            follow = self.follows[conversation_id] = Follow(self.agent.id, conversation.status,
                                                            conversation.assignee_id, watch)
            ready = asyncio.Event()
            self.conversation_tasks[conversation_id] = asyncio.create_task(
                self._relay((conversation_topic(conversation_id),), ready, follow))
            await ready.wait()
            # Read again now that the subscription is live: a change between the first read and the subscription
            # would otherwise leave the follow with a stale status (any later change arrives as a state frame).
            current = await conversations.get_conversation(self.services, conversation_id)
            follow.status, follow.assignee_id = current.status, current.assignee_id
        await self.send({"type": "subscribed", "conversation_id": conversation_id, "watching": watch})
