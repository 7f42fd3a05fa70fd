"""Session expiry and logout over HTTP: an expired or logged-out session is refused by the server itself,
and an agent socket opened with it is closed.

Time is moved by setting the session's `expires_at` into the past in the app's database (as if SESSION_HOURS
had passed): the app compares it with its own clock on every request, so this is what expiry looks like.
"""
from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import aiohttp
import pytest
import websockets
from sqlalchemy import func, select, update

from handoff.services.context import utc_now
from handoff.store.database import create_engine
from handoff.store.tables import agent_sessions
from handoff.web.agent_auth import SESSION_COOKIE
from handoff.web.agent_socket import CLOSE_POLICY_VIOLATION, SESSION_CHECK_SECONDS
from handoff.web.security import CSRF_HEADER
from tests.integration.security.conftest import AGENT_PASSWORD, admin_client, new_agent

pytestmark = pytest.mark.integration

EXPIRED_MESSAGE = "Sitzung abgelaufen. Bitte erneut anmelden."
DEFAULT_SESSION_SECONDS = 12 * 3600


async def _console_login(base: str, email: str) -> tuple[str, str, aiohttp.ClientResponse]:
    """(cookie value, CSRF token, response) as the console logs in: cookie session, no bearer token."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/agent/login",
                                json={"email": email, "password": AGENT_PASSWORD}) as response:
            body = await response.json()
            assert response.status == 200, body
            return response.cookies[SESSION_COOKIE].value, body["csrf_token"], response


async def _call(base: str, method: str, path: str, cookie: str, csrf: str | None = None,
                json_body: dict | None = None) -> tuple[int, str, dict]:
    """A fresh client per call that presents exactly this cookie, as a stolen or replayed cookie would be."""
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
    if csrf:
        headers[CSRF_HEADER] = csrf
    async with aiohttp.ClientSession() as session:
        async with session.request(method, base + path, headers=headers, json=json_body) as response:
            return response.status, response.headers.get("Content-Type", ""), await response.json(content_type=None)


async def _expire_sessions(database_url: str, email_agent_id: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(update(agent_sessions).where(agent_sessions.c.agent_id == email_agent_id)
                                        .values(expires_at=utc_now() - timedelta(seconds=1)))
            return result.rowcount
    finally:
        await engine.dispose()


async def _session_rows(database_url: str, agent_id: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(select(func.count()).select_from(agent_sessions)
                                       .where(agent_sessions.c.agent_id == agent_id))).scalar_one()
    finally:
        await engine.dispose()


async def _new_agent(base: str) -> tuple[str, str]:
    admin = await admin_client(base)
    try:
        email = await new_agent(admin, "agent")
        _, agents, _ = await admin.request("GET", "/api/admin/agents")
    finally:
        await admin.close()
    return email, next(agent["id"] for agent in agents["agents"] if agent["email"] == email)


async def test_an_expired_session_gets_a_clear_json_401_everywhere(app):
    database_url = app.environment["DATABASE_URL"]
    email, agent_id = await _new_agent(app.base)
    cookie, csrf, response = await _console_login(app.base, email)
    assert int(response.cookies[SESSION_COOKIE]["max-age"]) == DEFAULT_SESSION_SECONDS, "the browser forgets it too"
    assert (await _call(app.base, "GET", "/api/agent/me", cookie))[0] == 200
    assert (await _call(app.base, "PUT", "/api/agent/status", cookie, csrf, {"status": "away"}))[0] == 200

    assert await _expire_sessions(database_url, agent_id) == 1
    for method, path, body in (("GET", "/api/agent/me", None), ("GET", "/api/agent/queue", None),
                               ("PUT", "/api/agent/status", {"status": "online"})):
        status, content_type, answer = await _call(app.base, method, path, cookie, csrf, body)
        assert status == 401 and content_type.startswith("application/json"), (path, status, answer)
        assert answer["error"] == {"code": "unauthenticated", "message": EXPIRED_MESSAGE}, (path, answer)

    # The agent socket refuses the expired token with an error frame and closes.
    async with websockets.connect(f"{app.ws_base}/api/agent/ws?token={cookie}",
                                  extra_headers={"Origin": app.base}) as ws:
        frame = json.loads(await ws.recv())
        assert frame["type"] == "error" and frame["code"] == "unauthenticated"
        with pytest.raises(websockets.ConnectionClosed):
            await ws.recv()

    # The console page itself is public; its script asks for a login when /api/agent/me answers 401.
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{app.base}/console/", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as page:
            html = await page.text()
            assert page.status == 200 and 'id="login-view"' in html and 'id="login-form"' in html
        async with session.get(f"{app.base}/console/console.js") as script:
            console_js = await script.text()
    assert 'api("GET", "/api/agent/me")' in console_js and "this.showLogin()" in console_js
    assert "Ihre Sitzung ist abgelaufen" in console_js, "a 401 during work shows the expiry notice with the login"

    # Logging in again works and starts a new session; the expired one stays refused.
    fresh, _, _ = await _console_login(app.base, email)
    assert (await _call(app.base, "GET", "/api/agent/me", fresh))[0] == 200
    assert (await _call(app.base, "GET", "/api/agent/me", cookie))[0] == 401


async def test_logout_invalidates_the_cookie_on_the_server(app):
    database_url = app.environment["DATABASE_URL"]
    email, agent_id = await _new_agent(app.base)
    cookie, csrf, _ = await _console_login(app.base, email)
    assert await _session_rows(database_url, agent_id) == 1

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{app.base}/api/agent/logout",
                                headers={"Cookie": f"{SESSION_COOKIE}={cookie}", CSRF_HEADER: csrf}) as response:
            assert response.status == 200
            cleared = response.cookies[SESSION_COOKIE]
            assert cleared.value == "" and int(cleared["max-age"]) == 0, "the browser is told to drop it"

    # A client that kept the old cookie anyway (a copy, a stolen one) is refused: the session row is gone.
    assert await _session_rows(database_url, agent_id) == 0
    status, content_type, answer = await _call(app.base, "GET", "/api/agent/me", cookie)
    assert status == 401 and content_type.startswith("application/json")
    assert answer["error"]["code"] == "unauthenticated"
    status, _, answer = await _call(app.base, "PUT", "/api/agent/status", cookie, csrf, {"status": "online"})
    assert status == 401 and answer["error"]["code"] == "unauthenticated"
    status, _, _ = await _call(app.base, "POST", "/api/agent/logout", cookie, csrf)
    assert status == 401, "logging out twice is refused, not an error"


async def _frames_until_closed(ws, timeout: float) -> list[dict]:
    frames = []
    try:
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), timeout)))
    except websockets.ConnectionClosed:
        return frames


@pytest.mark.parametrize("ending", ["logout", "expiry"])
async def test_an_open_agent_socket_closes_when_its_session_ends(app, ending):
    database_url = app.environment["DATABASE_URL"]
    email, agent_id = await _new_agent(app.base)
    cookie, csrf, _ = await _console_login(app.base, email)
    async with websockets.connect(f"{app.ws_base}/api/agent/ws", extra_headers={
            "Origin": app.base, "Cookie": f"{SESSION_COOKIE}={cookie}"}) as ws:
        assert json.loads(await ws.recv())["type"] == "ready"
        began = time.monotonic()
        if ending == "logout":
            assert (await _call(app.base, "POST", "/api/agent/logout", cookie, csrf))[0] == 200
        else:
            assert await _expire_sessions(database_url, agent_id) == 1
        frames = await _frames_until_closed(ws, SESSION_CHECK_SECONDS + 5)
        closed_after = time.monotonic() - began
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == "unauthenticated", frames
    assert ws.close_code == CLOSE_POLICY_VIOLATION
    assert closed_after <= SESSION_CHECK_SECONDS + 2, closed_after
