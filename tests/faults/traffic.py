"""Simulated widget customers that survive disconnects: they keep what was acknowledged and resend the rest.

This is the client half of invariant 1 (docs/architecture.md): a message counts as delivered only after its
`ack`; after reconnecting with `after=<last seen seq>` every unacknowledged message is resent with its client id.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Callable

import aiohttp
import websockets

CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass
class Customer:
    ws_base: str
    conversation_id: str
    token: str
    name: str
    sent: dict[str, str] = field(default_factory=dict)        # client_id -> text, in sending order
    acked: dict[str, int] = field(default_factory=dict)       # client_id -> seq
    last_seq: int = 0
    events: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    reconnects: int = 0
    ws: Any = None
    reader: asyncio.Task | None = None
    # Set by the reader on every frame, so that waiting for an ack or an answer needs no polling.
    frame_arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def unacked(self) -> list[str]:
        return [client_id for client_id in self.sent if client_id not in self.acked]

    @property
    def connected(self) -> bool:
        return self.ws is not None and self.reader is not None and not self.reader.done()

    async def connect(self) -> None:
        url = (f"{self.ws_base}/api/widget/ws?conversation_id={self.conversation_id}&token={self.token}"
               f"&after={self.last_seq}")
        self.ws = await asyncio.wait_for(websockets.connect(url, max_size=None), CONNECT_TIMEOUT_SECONDS)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "ack":
                    self.acked[frame["client_id"]] = frame["seq"]
                elif kind == "event":
                    seq = frame["event"]["seq"]
                    self.events[seq] = frame["event"]
                    self.last_seq = max(self.last_seq, seq)
                elif kind == "error":
                    self.errors.append(frame)
                self.frame_arrived.set()
        except (websockets.ConnectionClosed, OSError):
            pass

    async def send(self, client_id: str, text: str) -> bool:
        """Remembers the message first (like the widget's outbox), then tries to send it."""
        self.sent.setdefault(client_id, text)
        if not self.connected:
            return False
        try:
            await self.ws.send(json.dumps({"type": "message", "client_id": client_id, "text": text}))
            return True
        except (websockets.ConnectionClosed, OSError):
            return False

    async def reconnect_and_resend(self, attempts: int = 100, pause: float = 0.2) -> None:
        await self.close()
        for _ in range(attempts):
            try:
                await self.connect()
                break
            except (OSError, websockets.InvalidHandshake, asyncio.TimeoutError):
                await asyncio.sleep(pause)
        else:
            raise AssertionError(f"{self.name} could not reconnect")
        self.reconnects += 1
        for client_id in self.unacked:
            await self.send(client_id, self.sent[client_id])

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """True as soon as `condition()` holds after some frame arrived; False after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.frame_arrived.clear()
            if condition():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self.frame_arrived.wait(), remaining)
            except asyncio.TimeoutError:
                return condition()

    async def wait_acked(self, timeout: float) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.unacked and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:
                pass  # already broken, which is the point of these tests
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except (asyncio.CancelledError, Exception):
                pass
        self.ws, self.reader = None, None


async def new_conversation(base: str) -> tuple[str, str]:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/widget/conversations") as response:
            body = await response.json()
            assert response.status == 201, body
            return body["conversation_id"], body["token"]


async def admin_headers(base: str, email: str, password: str) -> dict[str, str]:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/agent/login",
                                json={"email": email, "password": password, "bearer": True}) as response:
            body = await response.json()
            assert response.status == 200, body
            return {"Authorization": f"Bearer {body['session_token']}"}


async def get_json(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session:
        async with session.get(base + path, headers=headers or {}) as response:
            return response.status, await response.json(content_type=None)


async def stored_customer_messages(base: str, headers: dict[str, str], conversation_id: str) -> list[dict[str, Any]]:
    status, body = await get_json(base, f"/api/admin/conversations/{conversation_id}/export", headers)
    assert status == 200, body
    return [m for m in body["transcript"] if m["sender_type"] == "customer"]
