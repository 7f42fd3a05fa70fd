"""Requests to WebSocket routes that Sanic 21.12 would fail with a 500: refused with 426/400 before the handshake."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sanic.compat import Header

from handoff.web.errors import ApiError
from handoff.web.upgrade import UPGRADE_REQUIRED, check_handshake

pytestmark = pytest.mark.unit

VALID_KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455's example key: 16 bytes
VALID_HANDSHAKE = {"Upgrade": "websocket", "Connection": "keep-alive, Upgrade", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": VALID_KEY}


def _request(headers: dict[str, str], websocket: bool = True) -> SimpleNamespace:
    return SimpleNamespace(route=SimpleNamespace(ctx=SimpleNamespace(websocket=websocket)), headers=Header(headers))


def test_a_valid_handshake_passes():
    check_handshake(_request(VALID_HANDSHAKE))


def test_plain_http_routes_are_not_checked():
    check_handshake(_request({}, websocket=False))


@pytest.mark.parametrize("missing", ["Upgrade", "Connection", "Sec-WebSocket-Version"])
def test_a_request_without_the_upgrade_gets_426(missing):
    headers = {name: value for name, value in VALID_HANDSHAKE.items() if name != missing}
    with pytest.raises(ApiError) as raised:
        check_handshake(_request(headers))
    assert raised.value.status == UPGRADE_REQUIRED and raised.value.code == "upgrade_required"


@pytest.mark.parametrize("key", ["", "abc", "bm90IHNpeHRlZW4gYnl0ZXM=", "ü" * 24])
def test_a_malformed_key_gets_400(key):
    with pytest.raises(ApiError) as raised:
        check_handshake(_request({**VALID_HANDSHAKE, "Sec-WebSocket-Key": key}))
    assert raised.value.status == 400
