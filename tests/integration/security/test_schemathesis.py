"""schemathesis over every operation of /openapi.json, as anonymous, customer, agent, trainer and admin.

Each pass must end with exit code 0 (no 5xx, status codes, content types, headers and bodies as documented),
and every 4xx it provoked must be our JSON error object. Seeded and derandomized: a failure reproduces with
SCHEMATHESIS_SEED; SCHEMATHESIS_EXAMPLES widens the run.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter

import aiohttp
import pytest

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.faults.traffic import new_conversation
from tests.integration.security import schemathesis_cli
from tests.integration.security.conftest import AGENT_PASSWORD, admin_client, bearer_login, new_agent
from tests.integration.security.schemathesis_cli import Exchange, SchemathesisPass

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not schemathesis_cli.SCHEMATHESIS.exists(), reason="schemathesis missing: run `make tools`"),
]

# Writes that start a retraining, write into data/, change the live model or end the pass's own session.
PRIVILEGED_WRITES = r"(trainer_export_post|trainer_promote_post|trainer_rollback_post|trainer_train_post" \
                    r"|agent_logout_post)$"
# engine.io answers protocol errors in its own plain-text format, as socket.io clients expect (documented so).
OWN_PROTOCOL_PATHS = ("/socket.io",)
CSRF_HEADER = "X-CSRF-Token"


async def _cookie_login(base: str, email: str, password: str) -> dict[str, str]:
    """The console's way in: session cookie plus the CSRF header for writes."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/agent/login", json={"email": email, "password": password}) as response:
            body = await response.json()
            assert response.status == 200, body
            cookie = response.cookies["nw_session"].value
    return {"Cookie": f"nw_session={cookie}", CSRF_HEADER: body["csrf_token"]}


async def _queued_conversation(base: str) -> str:
    """A conversation waiting for a person, so that the agent operations reach their real logic."""
    conversation_id, token = await new_conversation(base)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/widget/conversations/{conversation_id}/messages",
                                json={"client_id": "c1", "text": "Ich möchte mit einem Menschen sprechen"},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
    return conversation_id


async def _passes(base: str) -> list[SchemathesisPass]:
    admin = await admin_client(base)
    try:
        agent_email = await new_agent(admin, "agent")
        trainer_email = await new_agent(admin, "trainer")
    finally:
        await admin.close()
    agent = await bearer_login(base, agent_email, AGENT_PASSWORD)
    trainer = await bearer_login(base, trainer_email, AGENT_PASSWORD)
    await agent.close()
    await trainer.close()
    customer_id, customer_token = await new_conversation(base)
    queued_id = await _queued_conversation(base)
    return [
        SchemathesisPass("anonymous"),
        SchemathesisPass("admin-cookie", headers=await _cookie_login(base, ADMIN_EMAIL, ADMIN_PASSWORD),
                         exclude_operation_id_regex=PRIVILEGED_WRITES),
        SchemathesisPass("agent", headers={"Authorization": agent.headers["Authorization"]},
                         include_path_regex=r"^/api/agent/", exclude_operation_id_regex=PRIVILEGED_WRITES,
                         set_path={"conversation_id": queued_id}),
        SchemathesisPass("trainer", headers={"Authorization": trainer.headers["Authorization"]},
                         include_path_regex=r"^/api/trainer/", exclude_operation_id_regex=PRIVILEGED_WRITES),
        SchemathesisPass("customer", headers={"Authorization": f"Bearer {customer_token}"},
                         include_path_regex=r"^/(api/widget/|webhooks/)", set_path={"conversation_id": customer_id}),
    ]


def _error_problems(exchanges: list[Exchange]) -> list[str]:
    problems = []
    for exchange in exchanges:
        if exchange.status < 400 or exchange.url.split("?")[0].rstrip("/").endswith(OWN_PROTOCOL_PATHS):
            continue
        label = f"{exchange.method} {exchange.url} -> {exchange.status} {exchange.body[:200]!r}"
        if not exchange.content_type.startswith("application/json"):
            problems.append(f"not JSON: {label}")
            continue
        try:
            error = json.loads(exchange.body)["error"]
        except (ValueError, KeyError, TypeError):
            problems.append(f"no error object: {label}")
            continue
        if not (error.get("code") and error.get("message")) or "Traceback" in error["message"]:
            problems.append(f"unclear error: {label}")
    return problems


async def test_schemathesis_finds_no_server_error_and_no_spec_mismatch(app, tmp_path):
    figures: dict[str, dict[int, int]] = {}
    failures: list[str] = []
    for spec in await _passes(app.base):
        # Every pass runs even after a failing one: one test run shows all findings.
        result = await asyncio.to_thread(schemathesis_cli.run, spec, app.base, tmp_path)
        statuses = Counter(exchange.status for exchange in result.exchanges)
        figures[spec.name] = dict(sorted(statuses.items()))
        if result.returncode != 0 or not result.exchanges:
            failures.append(f"pass {spec.name} (exit {result.returncode}, seed {schemathesis_cli.SEED}):\n"
                            f"{result.output[-8000:]}")
        failures += [f"pass {spec.name}: {problem}" for problem in _error_problems(result.exchanges)[:20]]
        if spec.name != "anonymous" and not any(200 <= status < 300 for status in statuses):
            failures.append(f"pass {spec.name} was never admitted: {statuses}")
    print("FIGURES", json.dumps({"seed": schemathesis_cli.SEED, "max_examples": schemathesis_cli.MAX_EXAMPLES,
                                 "requests": sum(sum(s.values()) for s in figures.values()), "statuses": figures}))
    assert not failures, "\n\n".join(failures)
    assert not any(status >= 500 for counts in figures.values() for status in counts), figures
    assert "unhandled error" not in app.log()
