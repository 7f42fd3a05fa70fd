"""The trainer API on the real app (FakeBotEngine, SQLite): roles, inbox, annotation, export as a patch, the
gate refusals an HTTP client sees, and the trainer page under the strict CSP."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from handoff.training.project import copy_project
from tests.integration.handoff.web.conftest import (
    create_agent, login_cookie, make_admin_api, sqlite_environment,
)
from tests.integration.handoff.web.server import Api, start_server

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]
HANDOFF_TEXT = "Ich will sofort einen Mitarbeiter sprechen, meine Nummer ist 0171 2345678"
INBOX_WAIT_SECONDS = 10.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trainer-api")
    project = copy_project(ROOT, tmp / "project")
    environment = {**sqlite_environment(tmp), "TRAINING_PROJECT_ROOT": str(project.root),
                   "MODEL_PATH": str(tmp / "models" / "nordwind.tar.gz")}
    running = start_server(tmp, environment)
    running.project = project
    yield running
    running.stop()


async def _customer_says(base: str, text: str) -> None:
    customer = Api(base)
    try:
        status, body, _ = await customer.request("POST", "/api/widget/conversations")
        assert status == 201, body
        customer.headers["Authorization"] = f"Bearer {body['token']}"
        status, body, _ = await customer.request(
            "POST", f"/api/widget/conversations/{body['conversation_id']}/messages",
            json={"client_id": "c-1", "text": text})
        assert status in (200, 201, 202), body
    finally:
        await customer.close()


async def _inbox_item(trainer: Api, text_start: str) -> dict:
    deadline = asyncio.get_running_loop().time() + INBOX_WAIT_SECONDS
    while True:
        status, body, _ = await trainer.request("GET", "/api/trainer/inbox?reason=handoff")
        assert status == 200, body
        found = [item for item in body["items"] if item["text"].startswith(text_start)]
        if found or asyncio.get_running_loop().time() > deadline:
            assert found, body
            return found[0]
        await asyncio.sleep(0.2)


async def test_trainer_reviews_annotates_and_exports_a_patch_and_agents_are_kept_out(server):
    admin = await make_admin_api(server)
    trainer_email, trainer_password = await create_agent(admin, role="trainer")
    agent_email, agent_password = await create_agent(admin, role="agent")
    trainer, _ = await login_cookie(server.base, trainer_email, trainer_password)
    agent, _ = await login_cookie(server.base, agent_email, agent_password)
    try:
        status, _, _ = await agent.request("GET", "/api/trainer/inbox")
        assert status == 403

        await _customer_says(server.base, HANDOFF_TEXT)
        item = await _inbox_item(trainer, "Ich will sofort einen Mitarbeiter")
        assert item["text"] == "Ich will sofort einen Mitarbeiter sprechen, meine Nummer ist [PHONE]"

        status, body, _ = await trainer.request("GET", "/api/trainer/intents")
        assert status == 200 and "request_human" in body["intents"] and "nlu_fallback" not in body["intents"]

        status, body, _ = await trainer.request("POST", "/api/trainer/annotations", json={
            "message_id": item["message_id"]})
        assert (status, body["error"]["field"]) == (422, "action")
        status, body, _ = await trainer.request("POST", "/api/trainer/annotations", json={
            "message_id": item["message_id"], "action": "correct", "intent": "no_such_intent"})
        assert (status, body["error"]["field"]) == (422, "intent")
        status, body, _ = await trainer.request("POST", "/api/trainer/annotations", json={
            "message_id": item["message_id"], "action": "correct", "intent": "request_human"})
        assert status == 201, body
        assert body["annotation"]["text"].endswith("[PHONE]")
        status, _, _ = await trainer.request("POST", "/api/trainer/annotations", json={
            "message_id": item["message_id"], "action": "dismiss"})
        assert status == 409

        status, body, _ = await trainer.request("POST", "/api/trainer/export", json={"mode": "patch"})
        assert status == 200, body
        assert "+    - Ich will sofort einen Mitarbeiter sprechen, meine Nummer ist [PHONE]" in body["patch"]
        assert not server.project.annotated_nlu.exists()  # a patch changes nothing
        status, body, _ = await trainer.request("POST", "/api/trainer/export", json={"mode": "write"})
        assert status == 200 and body["added"][0]["label"] == "request_human"
        assert "[PHONE]" in server.project.annotated_nlu.read_text(encoding="utf-8")
    finally:
        for client in (admin, trainer, agent):
            await client.close()


async def test_promotion_rules_over_http(server):
    admin = await make_admin_api(server)
    trainer_email, trainer_password = await create_agent(admin, role="trainer")
    trainer, _ = await login_cookie(server.base, trainer_email, trainer_password)
    try:
        status, body, _ = await trainer.request("GET", "/api/trainer/models")
        assert status == 200 and body["models"] == []  # the fake bot has no model to register
        status, body, _ = await trainer.request("POST", "/api/trainer/models/unknown/promote",
                                                json={"override_reason": "weil"})
        assert status == 403  # overriding the gate is for admins only
        status, body, _ = await admin.request("POST", "/api/trainer/models/unknown/promote", json={})
        assert status == 404
        status, body, _ = await trainer.request("POST", "/api/trainer/rollback")
        assert status == 409 and body["error"]["reasons"]
        status, body, _ = await trainer.request("GET", "/api/trainer/training")
        assert status == 200 and body["stage"] == "idle"
    finally:
        await admin.close()
        await trainer.close()


async def test_trainer_page_and_assets_are_served_without_inline_scripts(server):
    client = Api(server.base)
    try:
        status, page, headers = await client.request("GET", "/trainer")
        assert status == 200 and '<script type="module" src="/trainer/trainer.js">' in page
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "<script>" not in page and "onclick" not in page
        status, script, _ = await client.request("GET", "/trainer/trainer.js")
        assert status == 200 and "innerHTML" not in script
    finally:
        await client.close()
