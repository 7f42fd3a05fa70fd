"""Protocol clients of the load generator: the product's widget WebSocket, its agent API, Rasa's REST channel.

Every frame is timestamped when it arrives (by a reader task), so a latency never includes the time the client
spent doing something else before it looked at the socket.
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Callable

import aiohttp
import websockets

Frame = dict[str, Any]
Predicate = Callable[[Frame], bool]
CUSTOMER = "customer"
# Customers' frames are small; the widget protocol caps frames far below this.
MAX_FRAME_BYTES = 1 << 20


class ReplyTimeout(TimeoutError):
    """No matching frame or answer in time; counted as an error by the load generator."""


def websocket_url(base_url: str, path: str) -> str:
    return base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + path


class FrameReader:
    """Reads a WebSocket in the background and keeps (arrival time, frame) for waiters."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.frames: list[tuple[float, Frame]] = []
        self.changed = asyncio.Condition()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                arrived = time.perf_counter()
                async with self.changed:
                    self.frames.append((arrived, json.loads(raw)))
                    self.changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            async with self.changed:
                self.changed.notify_all()

    def mark(self) -> int:
        return len(self.frames)

    async def wait_for(self, predicate: Predicate, since: int, timeout: float) -> tuple[float, Frame]:
        """The first frame from index `since` on that matches, with its arrival time."""
        async def find() -> tuple[float, Frame]:
            index = since
            async with self.changed:
                while True:
                    for arrived, frame in self.frames[index:]:
                        if predicate(frame):
                            return arrived, frame
                    index = len(self.frames)
                    if self.task.done():
                        raise ReplyTimeout("socket closed while waiting")
                    await self.changed.wait()
        try:
            return await asyncio.wait_for(find(), timeout)
        except asyncio.TimeoutError:
            raise ReplyTimeout(f"no matching frame within {timeout}s") from None

    def forget_before(self, index: int) -> None:
        """Long-lived sockets would keep every frame; only indexes from the latest mark on are needed."""
        del self.frames[:index]

    async def close(self) -> None:
        await self.ws.close()
        self.task.cancel()


class WidgetConversation:
    """One customer of the product's widget protocol (docs/api.md, "Customer widget")."""

    def __init__(self, conversation_id: str, token: str, reader: FrameReader) -> None:
        self.conversation_id = conversation_id
        self.token = token
        self.reader = reader

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, base_url: str) -> "WidgetConversation":
        async with session.post(f"{base_url}/api/widget/conversations") as response:
            response.raise_for_status()
            body = await response.json()
        url = websocket_url(base_url, f"/api/widget/ws?conversation_id={body['conversation_id']}"
                                      f"&token={body['token']}&after=0")
        ws = await websockets.connect(url, max_size=MAX_FRAME_BYTES, ping_interval=None, open_timeout=30)
        return cls(body["conversation_id"], body["token"], FrameReader(ws))

    async def send_text(self, text: str) -> tuple[str, int]:
        """(client_id, mark): the mark is where frames caused by this message start."""
        client_id = uuid.uuid4().hex
        mark = self.reader.mark()
        await self.reader.ws.send(json.dumps({"type": "message", "client_id": client_id, "text": text}))
        return client_id, mark

    async def say(self, text: str, timeout: float) -> tuple[float, float]:
        """(ack ms, first answer ms) for one customer message; the answer is any non-customer event after it."""
        self.reader.forget_before(self.reader.mark())
        started = time.perf_counter()
        client_id, mark = await self.send_text(text)
        acked, ack = await self.reader.wait_for(
            lambda f: f.get("type") == "ack" and f.get("client_id") == client_id, mark, timeout)
        answered, _ = await self.reader.wait_for(
            lambda f: f.get("type") == "event" and f["event"].get("seq", 0) > ack["seq"]
            and f["event"].get("sender_type") != CUSTOMER, mark, timeout)
        return (acked - started) * 1000, (answered - started) * 1000

    async def close(self) -> None:
        await self.reader.close()


class RestConversation:
    """One customer of a Rasa REST channel (the product's or plain `rasa run`'s)."""

    def __init__(self, session: aiohttp.ClientSession, webhook_url: str) -> None:
        self.session = session
        self.webhook_url = webhook_url
        self.sender = uuid.uuid4().hex

    async def say(self, text: str, timeout: float) -> tuple[float | None, float]:
        started = time.perf_counter()
        try:
            async with self.session.post(self.webhook_url, json={"sender": self.sender, "message": text},
                                         timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                response.raise_for_status()
                await response.json()
        except asyncio.TimeoutError:
            raise ReplyTimeout(f"no REST answer within {timeout}s") from None
        return None, (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        return None


class AgentClient:
    """An agent (bearer session) with the console WebSocket open."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, reader: FrameReader) -> None:
        self.session = session
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.reader = reader

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, base_url: str, email: str, password: str,
                      timeout: float) -> "AgentClient":
        async with session.post(f"{base_url}/api/agent/login",
                                json={"email": email, "password": password, "bearer": True}) as response:
            response.raise_for_status()
            token = (await response.json())["session_token"]
        ws = await websockets.connect(websocket_url(base_url, f"/api/agent/ws?token={token}"),
                                      max_size=MAX_FRAME_BYTES, ping_interval=None, open_timeout=30)
        client = cls(session, base_url, token, FrameReader(ws))
        await client.reader.wait_for(lambda f: f.get("type") == "ready", 0, timeout)
        return client

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self.session.post(f"{self.base_url}{path}", json=body or {}, headers=self.headers) as response:
            response.raise_for_status()
            return await response.json()

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        async with self.session.put(f"{self.base_url}{path}", json=body, headers=self.headers) as response:
            response.raise_for_status()
            return await response.json()

    async def close(self) -> None:
        await self.reader.close()
