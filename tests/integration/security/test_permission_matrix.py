"""Every agent, supervisor, trainer and admin route of /openapi.json against every kind of caller."""
from __future__ import annotations

import re

import pytest

from tests.faults.traffic import new_conversation
from tests.integration.handoff.web.server import Api
from tests.integration.security.conftest import AGENT_PASSWORD, admin_client, bearer_login, new_agent

pytestmark = pytest.mark.integration

ANONYMOUS, CUSTOMER, AGENT, SUPERVISOR, TRAINER, ADMIN = (
    "anonymous", "customer", "agent", "supervisor", "trainer", "admin")
CALLERS = (ANONYMOUS, CUSTOMER, AGENT, SUPERVISOR, TRAINER, ADMIN)
# Supervisors are agents who also see reports and decide goodwill above the limits.
PROTECTED_PREFIXES = {"/api/admin": {ADMIN}, "/api/trainer": {TRAINER, ADMIN},
                      "/api/agent": {AGENT, SUPERVISOR, ADMIN}, "/api/reports": {SUPERVISOR, ADMIN}}
SUPERVISOR_ONLY = {("get", "/api/agent/goodwill/summary"), ("post", "/api/agent/goodwill/{grant_id}/approve"),
                   ("post", "/api/agent/goodwill/{grant_id}/decline")}
TRAINERS_TOO = ("/api/reports/topics",)   # trainers see where the bot fails
PUBLIC = {("post", "/api/agent/login")}
ANY_STAFF = {("get", "/api/agent/me")}
LOGOUT = ("post", "/api/agent/logout")  # would end the caller's session: tested in test_sessions.py
SOME_ID = "00000000-0000-0000-0000-000000000000"
SAFE_METHODS = ("get",)


def allowed_roles(method: str, path: str) -> set[str]:
    if (method, path) in ANY_STAFF:
        return {AGENT, SUPERVISOR, TRAINER, ADMIN}
    if (method, path) in SUPERVISOR_ONLY:
        return {SUPERVISOR, ADMIN}
    if path.startswith(TRAINERS_TOO):
        return {TRAINER, SUPERVISOR, ADMIN}
    for prefix, roles in PROTECTED_PREFIXES.items():
        if path.startswith(prefix):
            return roles
    raise AssertionError(f"unclassified route {method} {path}")


async def staff_routes(base: str) -> list[tuple[str, str, str]]:
    api = Api(base)
    try:
        _, document, _ = await api.request("GET", "/openapi.json")
    finally:
        await api.close()
    routes = []
    for path, item in document["paths"].items():
        if not path.startswith(tuple(PROTECTED_PREFIXES)):
            continue
        for method, operation in item.items():
            if (method, path) in PUBLIC | {LOGOUT} or operation.get("x-websocket"):
                continue
            routes.append((method, path, re.sub(r"\{[^}]+\}", SOME_ID, path)))
    return routes


async def test_every_staff_route_admits_exactly_its_roles(app):
    admin = await admin_client(app.base)
    clients: dict[str, Api] = {ADMIN: admin, ANONYMOUS: Api(app.base)}
    _, token = await new_conversation(app.base)
    clients[CUSTOMER] = Api(app.base)
    clients[CUSTOMER].headers["Authorization"] = f"Bearer {token}"  # a customer's conversation token
    for role in (AGENT, SUPERVISOR, TRAINER):
        clients[role] = await bearer_login(app.base, await new_agent(admin, role), AGENT_PASSWORD)
    try:
        routes = await staff_routes(app.base)
        assert {p for _, p, _ in routes} >= {"/api/admin/agents", "/api/trainer/inbox", "/api/agent/queue"}
        checked = 0
        for method, template, path in routes:
            allowed = allowed_roles(method, template)
            for caller in CALLERS:
                if caller in allowed and method not in SAFE_METHODS:
                    continue  # admitted writes are the feature tests' business (and may start a retraining)
                status, body, _ = await clients[caller].request(method.upper(), path, json={})
                checked += 1
                if caller in allowed:
                    assert status not in (401, 403), (caller, method, template, status, body)
                elif caller in (ANONYMOUS, CUSTOMER):
                    assert status == 401 and body["error"]["code"] == "unauthenticated", \
                        (caller, method, template, status, body)
                else:
                    assert status == 403 and body["error"]["code"] == "forbidden", \
                        (caller, method, template, status, body)
        assert checked >= len(routes) * 3
    finally:
        for client in clients.values():
            await client.close()


async def test_a_customer_token_opens_only_its_own_conversation(app):
    mine, my_token = await new_conversation(app.base)
    theirs, _ = await new_conversation(app.base)
    customer = Api(app.base)
    customer.headers["Authorization"] = f"Bearer {my_token}"
    try:
        status, _, _ = await customer.request("GET", f"/api/widget/conversations/{mine}/events")
        assert status == 200
        for method, suffix, body in (("GET", "/events", None), ("POST", "/messages", {"text": "Hallo"}),
                                     ("POST", "/ticket", {"email": "a@b.de", "note": "x"}),
                                     ("POST", "/csat", {"rating": 5})):
            status, answer, _ = await customer.request(method, f"/api/widget/conversations/{theirs}{suffix}",
                                                       json=body)
            assert status in (401, 403, 404), (suffix, status, answer)
            assert "error" in answer
    finally:
        await customer.close()
