"""Sessions over HTTP: lockout, logout, CSRF on cookie sessions, login and per-IP limits."""
from __future__ import annotations

import pytest

from handoff.web.security import IP_LIMIT_FACTOR
from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess
from tests.faults.traffic import new_conversation
from tests.integration.handoff.web.server import Api
from tests.integration.security.conftest import AGENT_PASSWORD, admin_client, bearer_login, new_agent

pytestmark = pytest.mark.integration

FAILURES_BEFORE_LOCKOUT = 5
LOW_LIMIT = 4


async def _login(base: str, email: str, password: str, bearer: bool = True) -> tuple[int, dict, Api]:
    api = Api(base)
    status, body, _ = await api.request("POST", "/api/agent/login",
                                        json={"email": email, "password": password, "bearer": bearer})
    return status, body, api


async def test_five_wrong_passwords_lock_the_account_with_the_same_generic_answer(app):
    admin = await admin_client(app.base)
    email = await new_agent(admin, "agent")
    await admin.close()
    answers = set()
    for _ in range(FAILURES_BEFORE_LOCKOUT):
        status, body, api = await _login(app.base, email, "falsches-passwort-1")
        await api.close()
        assert status == 401
        answers.add(body["error"]["message"])
    status, body, api = await _login(app.base, email, AGENT_PASSWORD)
    await api.close()
    assert status == 401, "the right password must not open a locked account"
    status, unknown, api = await _login(app.base, "niemand@nordwind.test", AGENT_PASSWORD)
    await api.close()
    assert answers == {body["error"]["message"]} == {unknown["error"]["message"]}, "the answers reveal nothing"


async def test_logout_ends_bearer_and_cookie_sessions(app):
    admin = await admin_client(app.base)
    email = await new_agent(admin, "agent")
    await admin.close()
    bearer = await bearer_login(app.base, email, AGENT_PASSWORD)
    try:
        assert (await bearer.request("GET", "/api/agent/me"))[0] == 200
        assert (await bearer.request("POST", "/api/agent/logout"))[0] == 200
        status, body, _ = await bearer.request("GET", "/api/agent/me")
        assert status == 401 and body["error"]["code"] == "unauthenticated"
    finally:
        await bearer.close()

    status, body, cookie = await _login(app.base, email, AGENT_PASSWORD, bearer=False)
    try:
        assert status == 200 and "session_token" not in body, "cookie sessions never expose the token to scripts"
        csrf = body["csrf_token"]
        status, body, _ = await cookie.request("POST", "/api/agent/logout")
        assert status == 403 and body["error"]["code"] == "csrf", "a cookie write without the CSRF header"
        status, body, _ = await cookie.request("POST", "/api/agent/logout", headers={"X-CSRF-Token": "x" * 43})
        assert status == 403 and body["error"]["code"] == "csrf", "a cookie write with a wrong CSRF token"
        status, _, _ = await cookie.request("POST", "/api/agent/logout", headers={"X-CSRF-Token": csrf})
        assert status == 200
        assert (await cookie.request("GET", "/api/agent/me"))[0] == 401
    finally:
        await cookie.close()


async def test_login_attempts_and_new_conversations_per_ip_are_limited(tmp_path):
    limited = AppProcess(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/limited.db",
                                    "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                    "RATE_LIMIT_PER_MINUTE": str(LOW_LIMIT)})
    limited.start()
    try:
        logins = []
        for _ in range(LOW_LIMIT + 2):
            status, body, api = await _login(limited.base, ADMIN_EMAIL, "falsches-passwort-1")
            await api.close()
            logins.append(status)
        assert 429 in logins and logins.index(429) <= LOW_LIMIT, logins
        # The limit holds for the right password too: guessing cannot be sped up by mixing in good logins.
        status, body, api = await _login(limited.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        await api.close()
        assert status == 429 and body["error"]["code"] == "rate_limited"

        starts = []
        for _ in range(LOW_LIMIT * IP_LIMIT_FACTOR + 1):
            try:
                await new_conversation(limited.base)
                starts.append(201)
            except AssertionError:
                starts.append(429)
        assert starts[-1] == 429 and starts.count(201) == LOW_LIMIT * IP_LIMIT_FACTOR, starts
    finally:
        limited.stop()
