"""Every agent and admin route refuses anonymous callers (401) and the wrong role (403); customers only see
their own conversation; cookie sessions need the CSRF header."""
from __future__ import annotations

import re

import pytest

from tests.integration.handoff.web.clients import customer_socket, frame_of, open_socket, start_customer
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration
PUBLIC_AGENT_ROUTES = {("post", "/api/agent/login")}
ANY_ROLE_ROUTES = {("post", "/api/agent/logout"), ("get", "/api/agent/me")}
SOME_ID = "00000000-0000-0000-0000-000000000000"


async def protected_routes(base: str) -> list[tuple[str, str]]:
    api = Api(base)
    try:
        _, document, _ = await api.request("GET", "/openapi.json")
    finally:
        await api.close()
    routes = []
    for path, item in document["paths"].items():
        if not path.startswith(("/api/agent", "/api/admin")):
            continue
        for method, operation in item.items():
            if (method, path) not in PUBLIC_AGENT_ROUTES and not operation.get("x-websocket"):
                routes.append((method, re.sub(r"\{[^}]+\}", SOME_ID, path)))
    return routes


async def test_every_agent_and_admin_route_refuses_anonymous_callers(sqlite_server):
    routes = await protected_routes(sqlite_server.base)
    assert len(routes) >= 25
    anonymous = Api(sqlite_server.base)
    try:
        for method, path in routes:
            status, body, _ = await anonymous.request(method.upper(), path, json={})
            assert status == 401, (method, path, status, body)
            assert body["error"]["code"] == "unauthenticated"
    finally:
        await anonymous.close()


@pytest.mark.parametrize("role, forbidden_prefix", [("agent", "/api/admin"), ("trainer", "/api/")])
async def test_wrong_role_is_forbidden(sqlite_server, admin_api, role, forbidden_prefix):
    email, password = await create_agent(admin_api, role=role)
    api, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        for method, path in await protected_routes(sqlite_server.base):
            if not path.startswith(forbidden_prefix) or (method, path) in ANY_ROLE_ROUTES:
                continue
            status, body, _ = await api.request(method.upper(), path, json={})
            assert status == 403, (role, method, path, status, body)
            assert body["error"]["code"] == "forbidden"
        status, _, _ = await api.request("GET", "/api/agent/me")
        assert status == 200
    finally:
        await api.close()


async def test_cookie_session_needs_the_csrf_header_for_writes(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    api, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        del api.headers["X-CSRF-Token"]
        status, body, _ = await api.request("PUT", "/api/agent/status", json={"status": "away"})
        assert status == 403 and body["error"]["code"] == "csrf"
        status, body, _ = await api.request("PUT", "/api/agent/status", json={"status": "away"},
                                            headers={"X-CSRF-Token": "falsch"})
        assert status == 403 and body["error"]["code"] == "csrf"
        status, _, _ = await api.request("GET", "/api/agent/me")
        assert status == 200, "reads need no CSRF token"
    finally:
        await api.close()


async def test_login_cookie_is_http_only_and_strict(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    api = Api(sqlite_server.base)
    try:
        status, body, headers = await api.request("POST", "/api/agent/login",
                                                  json={"email": email, "password": password})
        assert status == 200 and "session_token" not in body
        cookie = headers["Set-Cookie"].lower()
        assert "nw_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
        status, body, _ = await api.request("POST", "/api/agent/login", json={"email": email, "password": "falsch!!"})
        assert status == 401 and body["error"]["code"] == "unauthenticated"
    finally:
        await api.close()


async def test_a_customer_cannot_read_or_write_another_conversation(sqlite_server):
    mine, my_token = await start_customer(sqlite_server.base)
    theirs, _ = await start_customer(sqlite_server.base)
    api = Api(sqlite_server.base)
    try:
        for method, path in (("GET", f"/api/widget/conversations/{theirs}/events"),
                             ("POST", f"/api/widget/conversations/{theirs}/messages"),
                             ("POST", f"/api/widget/conversations/{theirs}/ticket"),
                             ("POST", f"/api/widget/conversations/{theirs}/csat")):
            status, body, _ = await api.request(method, path, json={"text": "x", "rating": 5, "email": "a@b.de"},
                                                headers={"Authorization": f"Bearer {my_token}"})
            assert status in (403, 404), (path, status, body)
            status, body, _ = await api.request(method, path, json={"text": "x"})
            assert status == 401, (path, status, body)
        socket = await customer_socket(sqlite_server.ws_base, theirs, my_token)
        refused = await socket.wait_for(frame_of("error"))
        assert refused["code"] in ("forbidden", "not_found")
        await socket.close()
    finally:
        await api.close()
    assert mine != theirs


async def test_agent_socket_refuses_anonymous_and_foreign_origins(sqlite_server, admin_api):
    anonymous = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws")
    assert (await anonymous.wait_for(frame_of("error")))["code"] == "unauthenticated"
    await anonymous.close()
    email, password = await create_agent(admin_api)
    api = Api(sqlite_server.base)
    try:
        _, body, _ = await api.request("POST", "/api/agent/login",
                                       json={"email": email, "password": password, "bearer": True})
        token = body["session_token"]
        foreign = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws?token={token}",
                                    origin="https://evil.example")
        assert (await foreign.wait_for(frame_of("error")))["code"] == "forbidden"
        await foreign.close()
        allowed = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws?token={token}")
        await allowed.wait_for(frame_of("ready"))
        await allowed.close()
    finally:
        await api.close()
