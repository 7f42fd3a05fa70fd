"""The JSON text frames the widget and agent sockets read: one reader, one set of refusals, one close code."""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from websockets.exceptions import ConnectionClosed

from handoff.services.errors import ServiceError
from handoff.web.errors import ApiError

CLOSE_POLICY_VIOLATION = 1008   # RFC 6455: the peer broke the rules (unauthenticated, foreign origin, ...)
CLOSE_GOING_AWAY = 1001

Frame = dict[str, Any]


def parse_frame(raw: str | bytes, max_chars: int) -> Frame:
    """A client frame as a JSON object with a string `type`; anything else is refused with a clear error."""
    if isinstance(raw, (bytes, bytearray)):
        raise ApiError(400, "binary_not_supported", "Nur JSON-Textnachrichten werden unterstützt.")
    if len(raw) > max_chars:
        raise ApiError(413, "too_large", "Die Nachricht ist zu groß.")
    try:
        frame = json.loads(raw)
    except ValueError:
        raise ApiError(400, "bad_frame", "Ungültiges JSON.") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise ApiError(400, "bad_frame", "Ein JSON-Objekt mit 'type' wird erwartet.")
    return frame


async def read_frames(ws: Any, handle: Callable[[str | bytes], Awaitable[None]],
                      refuse: Callable[[Exception], Awaitable[None]],
                      refusals: tuple[type[Exception], ...] = (ApiError, ServiceError),
                      go_on: Callable[[], bool] = lambda: True) -> None:
    """Hands each frame to `handle` until the peer closes; a refused frame is answered by `refuse` and the socket
    stays open (one bad frame loses nothing else)."""
    while go_on():
        try:
            raw = await ws.recv()
        except ConnectionClosed:
            return
        if raw is None:
            return
        try:
            await handle(raw)
        except ConnectionClosed:
            return
        except refusals as error:
            await refuse(error)
