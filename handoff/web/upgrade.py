"""Plain HTTP requests to a WebSocket route: a clear JSON 426/400 instead of a failed handshake.

Sanic 21.12 with the pinned websockets turns every refused handshake into a 500: websockets stores the reason
on `request._exception`, which Sanic's request object does not allow, and Sanic then raises a generic
ServerError. So the handshake headers are checked here, before Sanic tries, in a request middleware.
"""
from __future__ import annotations

import base64
import binascii

from sanic import Sanic
from sanic.request import Request

from handoff.web.errors import ApiError, bad_request

UPGRADE_REQUIRED = 426
UPGRADE_REQUIRED_CODE = "upgrade_required"
WEBSOCKET = "websocket"
WEBSOCKET_VERSION = "13"
KEY_BYTES = 16  # RFC 6455: Sec-WebSocket-Key is 16 random bytes, base64-encoded


def is_websocket_route(request: Request) -> bool:
    route = getattr(request, "route", None)
    return route is not None and bool(getattr(route.ctx, "websocket", False))


def _tokens(value: str) -> set[str]:
    return {token.strip().lower() for token in value.split(",")}


def _valid_key(key: str) -> bool:
    try:
        return len(base64.b64decode(key.encode("ascii"), validate=True)) == KEY_BYTES
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False


def check_handshake(request: Request) -> None:
    """Raises ApiError for a request to a WebSocket route that the handshake would refuse."""
    if not is_websocket_route(request):
        return
    headers = request.headers
    if WEBSOCKET not in _tokens(headers.get("upgrade", "")) or "upgrade" not in _tokens(headers.get("connection", "")):
        raise ApiError(UPGRADE_REQUIRED, UPGRADE_REQUIRED_CODE, "Nur über eine WebSocket-Verbindung erreichbar.",
                       headers={"Upgrade": WEBSOCKET, "Connection": "Upgrade"})
    if headers.get("sec-websocket-version", "").strip() != WEBSOCKET_VERSION:
        raise ApiError(UPGRADE_REQUIRED, UPGRADE_REQUIRED_CODE, "Nur WebSocket-Version 13 wird unterstützt.",
                       headers={"Upgrade": WEBSOCKET, "Sec-WebSocket-Version": WEBSOCKET_VERSION})
    if not _valid_key(headers.get("sec-websocket-key", "").strip()):
        raise bad_request("Ungültiger WebSocket-Handshake (Sec-WebSocket-Key).")


def install_handshake_check(app: Sanic) -> None:
    app.register_middleware(check_handshake, "request")
