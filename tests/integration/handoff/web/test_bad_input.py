"""Bad input gets a clear 4xx JSON error (never a 500 or an HTML page); bad WebSocket frames get an error frame
and the connection stays open; security headers are on every response; message rate limits hold."""
from __future__ import annotations

import pytest

from tests.integration.handoff.web.clients import customer_socket, frame_of, start_customer
from tests.integration.handoff.web.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.handoff.web.server import Api, start_server

pytestmark = pytest.mark.integration
MAX_MESSAGE_CHARS = 2000


@pytest.fixture
async def customer(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    api = Api(sqlite_server.base)
    api.headers["Authorization"] = f"Bearer {token}"
    yield api, conversation_id, token
    await api.close()


async def test_malformed_missing_and_oversized_input_is_refused_with_json(customer):
    api, conversation_id, _ = customer
    path = f"/api/widget/conversations/{conversation_id}/messages"
    status, body, _ = await api.request("POST", path, data=b"{nicht json", headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"]["code"] == "bad_request"
    status, body, _ = await api.request("POST", path, json=["eine", "Liste"])
    assert status == 400
    status, body, _ = await api.request("POST", path, json={"client_id": "a"})
    assert status == 422 and body["error"]["field"] == "text"
    status, body, _ = await api.request("POST", path, json={"text": 42})
    assert status == 422 and body["error"]["field"] == "text"
    status, body, _ = await api.request("POST", path, json={"text": "x" * (MAX_MESSAGE_CHARS + 1)})
    assert status == 413 and body["error"]["field"] == "text"
    status, body, _ = await api.request("POST", path, data=b"x" * (300 * 1024))
    assert status == 413 and body["error"]["code"] == "too_large"
    status, body, _ = await api.request("POST", f"/api/widget/conversations/{conversation_id}/csat",
                                        json={"rating": 9})
    assert status == 422 and body["error"]["field"] == "rating"
    status, body, _ = await api.request("GET", f"/api/widget/conversations/{conversation_id}/events?after=abc")
    assert status == 400
    status, body, _ = await api.request("POST", "/webhooks/rest/webhook", json={"message": "ohne sender"})
    assert status == 422 and body["error"]["field"] == "sender"


async def test_unknown_routes_and_methods_are_json(sqlite_server):
    api = Api(sqlite_server.base)
    try:
        status, body, headers = await api.request("GET", "/api/gibt-es-nicht")
        assert status == 404 and body["error"]["code"] == "not_found"
        assert headers["Content-Type"].startswith("application/json")
        status, body, _ = await api.request("DELETE", "/api/widget/conversations")
        assert status == 405 and body["error"]["code"] == "method_not_allowed"
    finally:
        await api.close()


async def test_security_headers_on_every_kind_of_response(sqlite_server):
    api = Api(sqlite_server.base)
    try:
        for path in ("/health", "/api/gibt-es-nicht", "/widget.js", "/openapi.json"):
            _, _, headers = await api.request("GET", path)
            csp = headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"]
        _, _, headers = await api.request("GET", "/widget.js")
        assert headers["Access-Control-Allow-Origin"] == "*", "the shop page on another origin loads the widget"
        status, _, headers = await api.request("OPTIONS", "/api/widget/conversations",
                                               headers={"Origin": "https://shop.example",
                                                        "Access-Control-Request-Method": "POST"})
        assert status == 204 and "Authorization" in headers["Access-Control-Allow-Headers"]
        _, _, headers = await api.request("GET", "/api/agent/me")
        assert "Access-Control-Allow-Origin" not in headers, "the agent API is same-origin only"
    finally:
        await api.close()


async def test_bad_frames_get_error_frames_and_the_socket_stays_open(customer, sqlite_server):
    _, conversation_id, token = customer
    socket = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await socket.wait_for(frame_of("state"))
    for bad, code in ((b"\x00\x01", "binary_not_supported"), ("{kaputt", "bad_frame"), ("[1, 2]", "bad_frame"),
                      ({"type": "tanzen"}, "unknown_type"), ({"type": "message", "client_id": "z"}, "invalid"),
                      ({"type": "message", "client_id": "z", "text": "x" * 2001}, "too_large"),
                      ("x" * 20000, "too_large")):
        socket.frames.clear()
        await socket.send(bad)
        assert (await socket.wait_for(frame_of("error")))["code"] == code, bad
    socket.frames.clear()
    await socket.send({"type": "ping"})
    await socket.wait_for(frame_of("pong"))
    await socket.close()


async def test_messages_per_conversation_are_rate_limited(tmp_path):
    server = start_server(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/limited.db",
                                     "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                     "RATE_LIMIT_PER_MINUTE": "3"})
    try:
        conversation_id, token = await start_customer(server.base)
        api = Api(server.base)
        api.headers["Authorization"] = f"Bearer {token}"
        statuses = []
        for number in range(4):
            status, body, headers = await api.request(
                "POST", f"/api/widget/conversations/{conversation_id}/messages", json={"text": f"Nachricht {number}"})
            statuses.append(status)
        await api.close()
        assert statuses == [200, 200, 200, 429]
        assert body["error"]["code"] == "rate_limited" and int(headers["Retry-After"]) >= 1
    finally:
        server.stop()


async def test_pages_and_static_directories(sqlite_server):
    api = Api(sqlite_server.base)
    try:
        for path in ("/console/", "/console"):
            status, _, headers = await api.request("GET", path)
            assert status in (200, 404) and status != 500, path  # 404 until the console files exist
        status, body, _ = await api.request("GET", "/widget/")
        assert status == 404 and body["error"]["code"] == "not_found"
        status, _, headers = await api.request("GET", "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
    finally:
        await api.close()
