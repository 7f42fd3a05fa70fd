"""WebSocket clients for the tests: a customer widget and an agent console, each collecting frames."""
from __future__ import annotations

import asyncio
import json
from typing import Any, Callable

import websockets

from tests.integration.handoff.web.server import Api

FRAME_TIMEOUT_SECONDS = 10.0
ALWAYS_OPEN = {"time_zone": "Europe/Berlin",
               "weekly": {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
               "holidays": []}

Predicate = Callable[[dict[str, Any]], bool]


class FrameSocket:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self._new = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self.frames.append(json.loads(raw))
                self._new.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._new.set()

    async def send(self, frame: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))

    async def wait_for(self, predicate: Predicate, timeout: float = FRAME_TIMEOUT_SECONDS) -> dict[str, Any]:
        async def scan() -> dict[str, Any]:
            seen = 0
            while True:
                for frame in self.frames[seen:]:
                    if predicate(frame):
                        return frame
                seen = len(self.frames)
                if self._reader.done():
                    raise AssertionError(f"socket closed; frames: {self.frames}")
                self._new.clear()
                await self._new.wait()
        try:
            return await asyncio.wait_for(scan(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"no matching frame within {timeout}s; frames: {self.frames}") from None

    def events(self) -> list[dict[str, Any]]:
        return [frame["event"] for frame in self.frames if frame.get("type") == "event"]

    async def close(self) -> None:
        await self.ws.close()
        await self._reader


async def open_socket(url: str, **options: Any) -> FrameSocket:
    return FrameSocket(await websockets.connect(url, **options))


def event_with_text(fragment: str, sender_type: str | None = None) -> Predicate:
    def matches(frame: dict[str, Any]) -> bool:
        event = frame.get("event") or {}
        return (frame.get("type") == "event" and fragment in (event.get("text") or "")
                and (sender_type is None or event.get("sender_type") == sender_type))
    return matches


def frame_of(kind: str, **fields: Any) -> Predicate:
    return lambda frame: frame.get("type") == kind and all(frame.get(k) == v for k, v in fields.items())


async def start_customer(base: str) -> tuple[str, str]:
    api = Api(base)
    try:
        status, body, _ = await api.request("POST", "/api/widget/conversations")
        assert status == 201, body
        return body["conversation_id"], body["token"]
    finally:
        await api.close()


async def customer_socket(ws_base: str, conversation_id: str, token: str, after: int = 0) -> FrameSocket:
    return await open_socket(f"{ws_base}/api/widget/ws?conversation_id={conversation_id}&token={token}&after={after}")


async def open_all_week(admin: Api) -> None:
    status, body, _ = await admin.request("PUT", "/api/admin/business-hours", json=ALWAYS_OPEN)
    assert status == 200, body
