"""The bot process dies (SIGKILL) under a live app: customers get honest answers, the bot comes back by itself;
the app dies: its bot process does not outlive it."""
from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from handoff.services.customer import BOT_UNAVAILABLE_TEXT, FAILURE_BOT_UNAVAILABLE
from tests.faults.app_process import REAL_SERVE, AppProcess, base_environment
from tests.faults.figures import report
from tests.faults.traffic import Customer, get_json, new_conversation

pytestmark = [pytest.mark.integration, pytest.mark.model]

RECOVERY_TIMEOUT_SECONDS = 120.0
ANSWER_TIMEOUT_SECONDS = 30.0


def bot_pid(app_pid: int) -> int:
    """The app's child process (the bot), from /proc."""
    deadline = time.monotonic() + ANSWER_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        children = []
        for task in os.listdir(f"/proc/{app_pid}/task"):
            with open(f"/proc/{app_pid}/task/{task}/children") as listed:
                children += [int(pid) for pid in listed.read().split()]
        if children:
            return children[0]
        time.sleep(0.1)
    raise AssertionError("the app has no bot process")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


async def answers_to(customer: Customer, client_id: str, text: str) -> list[dict]:
    """Send and wait for the bot's messages after the acknowledged message (the first one is enough)."""
    await customer.send(client_id, text)
    deadline = time.monotonic() + ANSWER_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        seq = customer.acked.get(client_id)
        if seq is not None:
            later = [e for s, e in sorted(customer.events.items()) if s > seq and e["sender_type"] == "bot"]
            if later:
                return later
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer to {text!r}; errors {customer.errors}")


async def wait_ready(app: AppProcess, model: bool) -> float:
    began = time.monotonic()
    while time.monotonic() - began < RECOVERY_TIMEOUT_SECONDS:
        _, ready = await get_json(app.base, "/ready")
        if ready.get("model") is model:
            return time.monotonic() - began
        await asyncio.sleep(0.1)
    raise AssertionError(f"/ready never showed model={model}")


def real_app(tmp_path, trained_model_path) -> AppProcess:
    return AppProcess(tmp_path, base_environment(f"sqlite+aiosqlite:///{tmp_path}/handoff.db",
                                                 MODEL_PATH=str(trained_model_path), BOT_TIMEOUT_SECONDS="5"),
                      module_arguments=REAL_SERVE)


async def test_a_killed_bot_process_means_honest_answers_then_the_bot_again(tmp_path, trained_model_path):
    app = real_app(tmp_path, trained_model_path)
    app.start()
    try:
        await wait_ready(app, model=True)
        conversation_id, token = await new_conversation(app.base)
        customer = Customer(app.ws_base, conversation_id, token, name="kundin")
        await customer.connect()
        try:
            before = await answers_to(customer, "m1", "Hallo!")
            assert before[0]["text"] != BOT_UNAVAILABLE_TEXT
            first_bot = bot_pid(app.process.pid)
            os.kill(first_bot, signal.SIGKILL)
            killed_at = time.monotonic()
            during = await answers_to(customer, "m2", "Wo ist meine Bestellung?")
            assert during[0]["text"] == BOT_UNAVAILABLE_TEXT, during   # honest, with the offer of a person
            not_ready_after = await wait_ready(app, model=False)
            recovered_after = time.monotonic() - killed_at + await wait_ready(app, model=True)
            after = await answers_to(customer, "m3", "Welche Zahlungsarten gibt es?")
            assert after[0]["text"] != BOT_UNAVAILABLE_TEXT
            assert bot_pid(app.process.pid) != first_bot and app.process.poll() is None
            _, ready = await get_json(app.base, "/ready")
            assert ready["failures"].get(FAILURE_BOT_UNAVAILABLE, 0) >= 1
            bot_messages = [e for e in customer.events.values() if e["sender_type"] == "bot"]
            assert customer.errors == [] and len(customer.acked) == 3
        finally:
            await customer.close()
    finally:
        app.stop()
    assert "starting a new one" in app.log()
    report("bot_process_killed", recovered_seconds=round(recovered_after, 1),
           not_ready_within_seconds=round(not_ready_after, 2), messages=3, acknowledged=3,
           bot_messages=len(bot_messages))


async def test_the_bot_process_ends_with_the_app(tmp_path, trained_model_path):
    app = real_app(tmp_path, trained_model_path)
    app.start()
    try:
        await wait_ready(app, model=True)
        child = bot_pid(app.process.pid)
        app.kill()   # SIGKILL: no shutdown hook runs
        deadline = time.monotonic() + 15
        while alive(child) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not alive(child), "the bot process outlived the app"
    finally:
        app.stop()
