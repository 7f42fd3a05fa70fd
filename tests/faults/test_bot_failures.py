"""The bot fails in every way it can: the customer still gets an honest answer and the offer of a person."""
from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from handoff.services.customer import BOT_UNAVAILABLE_TEXT, FAILURE_BOT_ERROR, FAILURE_BOT_UNAVAILABLE
from handoff.services.deescalation import HUMAN_REQUEST_PAYLOAD
from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, REAL_SERVE, AppProcess, base_environment
from tests.faults.figures import report
from tests.faults.server_main import RAISE, SLOW, UNAVAILABLE
from tests.faults.traffic import Customer, admin_headers, get_json, new_conversation
from tests.integration.handoff.web.clients import ALWAYS_OPEN

pytestmark = pytest.mark.integration

BOT_TIMEOUT_SECONDS = 1.0
SLOW_BOT_SECONDS = 30.0
ANSWER_TIMEOUT_SECONDS = 15.0


async def _bot_answer(customer: Customer, timeout: float = ANSWER_TIMEOUT_SECONDS) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in customer.events.values():
            if event["sender_type"] == "bot":
                return event
        await asyncio.sleep(0.05)
    raise AssertionError(f"no bot answer; errors: {customer.errors}")


async def _status(base: str, headers: dict[str, str], conversation_id: str) -> str:
    status, body = await get_json(base, f"/api/admin/conversations/{conversation_id}/export", headers)
    assert status == 200, body
    return body["conversation"]["status"]


async def _honest_path(app: AppProcess, expected_failure: str) -> dict[str, float]:
    headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.put(f"{app.base}/api/admin/business-hours", json=ALWAYS_OPEN) as response:
            assert response.status == 200
        async with session.put(f"{app.base}/api/agent/status", json={"status": "online"}) as response:
            assert response.status == 200
    conversation_id, token = await new_conversation(app.base)
    customer = Customer(app.ws_base, conversation_id, token, name="kunde")
    await customer.connect()
    try:
        began = time.monotonic()
        await customer.send("frage-1", "Wo ist meine Bestellung?")
        answer = await _bot_answer(customer)
        answered_after = time.monotonic() - began
        assert answer["text"] == BOT_UNAVAILABLE_TEXT
        assert [b["payload"] for b in answer["buttons"]] == [HUMAN_REQUEST_PAYLOAD]
        # The offered button really reaches a person.
        await customer.send("person-1", HUMAN_REQUEST_PAYLOAD)
        deadline = time.monotonic() + ANSWER_TIMEOUT_SECONDS
        while await _status(app.base, headers, conversation_id) != "queued":
            assert time.monotonic() < deadline, "the person button did not queue the conversation"
            await asyncio.sleep(0.1)
        _, ready = await get_json(app.base, "/ready")
        assert ready["failures"].get(expected_failure, 0) >= 1, ready
        assert customer.errors == []
        return {"answered_after_seconds": round(answered_after, 2), "counted": ready["failures"][expected_failure]}
    finally:
        await customer.close()


@pytest.mark.parametrize("mode, expected_failure, log_line", [
    (UNAVAILABLE, FAILURE_BOT_UNAVAILABLE, "bot unavailable for"),
    (RAISE, FAILURE_BOT_ERROR, "custom action exploded"),
    (SLOW, FAILURE_BOT_UNAVAILABLE, "bot unavailable for"),
])
async def test_a_failing_bot_answers_honestly_offers_a_person_and_is_counted(tmp_path, mode, expected_failure,
                                                                            log_line):
    app = AppProcess(tmp_path, base_environment(
        f"sqlite+aiosqlite:///{tmp_path}/handoff.db", FAKE_BOT_MODE=mode,
        FAKE_BOT_DELAY_SECONDS=str(SLOW_BOT_SECONDS), BOT_TIMEOUT_SECONDS=str(BOT_TIMEOUT_SECONDS)))
    app.start()
    try:
        figures = await _honest_path(app, expected_failure)
        if mode == SLOW:
            # Bounded by the timeout, not by the slow bot.
            assert figures["answered_after_seconds"] < SLOW_BOT_SECONDS / 2
    finally:
        app.stop()
    assert log_line in app.log()
    report(f"bot_{mode}", **figures)


async def test_missing_model_still_serves_honestly_and_is_not_ready(tmp_path):
    """The real entry point (Rasa engine) with no model: /ready says so, customers get the honest path."""
    app = AppProcess(tmp_path, base_environment(f"sqlite+aiosqlite:///{tmp_path}/handoff.db",
                                                MODEL_PATH=str(tmp_path / "kein-modell.tar.gz")),
                     module_arguments=REAL_SERVE)
    app.start()
    try:
        status, ready = await get_json(app.base, "/ready")
        assert status == 503 and ready["model"] is False and ready["database"] is True
        figures = await _honest_path(app, FAILURE_BOT_UNAVAILABLE)
    finally:
        app.stop()
    assert "no model at" in app.log()
    report("bot_model_missing", **figures)
