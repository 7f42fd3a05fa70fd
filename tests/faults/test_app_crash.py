"""SIGKILL of the app in the middle of live conversations: nothing acknowledged is lost, nothing is doubled, and
every acknowledged message that went to the bot gets exactly one bot answer after the restart."""
from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp
import pytest

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess, base_environment
from tests.faults.figures import report
from tests.faults.traffic import Customer, admin_headers, get_json, new_conversation, stored_customer_messages
from tests.integration.handoff.web.clients import ALWAYS_OPEN

pytestmark = pytest.mark.integration

CUSTOMERS = 6
QUEUED_CUSTOMERS = 2
SEND_INTERVAL_SECONDS = 0.1
TRAFFIC_BEFORE_KILL_SECONDS = 2.0
MESSAGES_AFTER_RESTART = 3
ACK_TIMEOUT_SECONDS = 20.0
HUMAN_REQUEST = "Ich möchte bitte mit einem Mitarbeiter sprechen"
# Short, so that claims left by the killed process go stale quickly (threshold = timeout + margin, 6 s here).
BOT_TIMEOUT_SECONDS = "1"
ANSWER_TIMEOUT_SECONDS = 30.0
BOT_ANSWER = "Antwort auf: {text}"   # what tests.fakes.FakeBotEngine says


async def _bot_answers(base: str, headers: dict[str, str], conversation_id: str) -> Counter:
    status, body = await get_json(base, f"/api/admin/conversations/{conversation_id}/export", headers)
    assert status == 200, body
    return Counter(m["text"] for m in body["transcript"] if m["sender_type"] == "bot")


def _answered_live(customer: Customer) -> set[str]:
    return {e["text"] for e in customer.events.values() if e.get("sender_type") == "bot"}


async def _queue_ids(base: str, headers: dict[str, str]) -> set[str]:
    status, body = await get_json(base, "/api/agent/queue", headers)
    assert status == 200, body
    return {item["conversation_id"] for item in body["queue"]}


async def _keep_sending(customer: Customer, stop: asyncio.Event) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        await customer.send(f"{customer.name}-{number}", f"Nachricht {number} von {customer.name}")
        await asyncio.sleep(SEND_INTERVAL_SECONDS)


async def _wait_until(condition, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def test_sigkill_mid_conversation_loses_no_acknowledged_message_and_keeps_the_queue(tmp_path):
    app = AppProcess(tmp_path, base_environment(f"sqlite+aiosqlite:///{tmp_path}/handoff.db",
                                                BOT_TIMEOUT_SECONDS=BOT_TIMEOUT_SECONDS))
    app.start()
    customers: list[Customer] = []
    try:
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        async with aiohttp.ClientSession() as session:
            async with session.put(f"{app.base}/api/admin/business-hours", json=ALWAYS_OPEN,
                                   headers=headers) as response:
                assert response.status == 200
            # Someone must be online, or a handoff becomes a ticket instead of a queue entry.
            async with session.put(f"{app.base}/api/agent/status", json={"status": "online"},
                                   headers=headers) as response:
                assert response.status == 200
        for number in range(CUSTOMERS):
            conversation_id, token = await new_conversation(app.base)
            customer = Customer(app.ws_base, conversation_id, token, name=f"kunde{number}")
            await customer.connect()
            customers.append(customer)
        queued = customers[:QUEUED_CUSTOMERS]
        for customer in queued:
            await customer.send(f"{customer.name}-human", HUMAN_REQUEST)

        async def all_queued() -> bool:
            return {c.conversation_id for c in queued} <= await _queue_ids(app.base, headers)
        await _wait_until(all_queued, ACK_TIMEOUT_SECONDS)
        queue_before = await _queue_ids(app.base, headers)

        stop = asyncio.Event()
        senders = [asyncio.create_task(_keep_sending(c, stop)) for c in customers]
        await asyncio.sleep(TRAFFIC_BEFORE_KILL_SECONDS)
        app.kill()
        await asyncio.sleep(0.3)  # the clients keep typing into a dead connection: these stay in their outboxes
        stop.set()
        await asyncio.gather(*senders)
        acked_before = {c.name: dict(c.acked) for c in customers}
        with_bot = customers[QUEUED_CUSTOMERS:]
        unanswered_at_kill = sum(
            BOT_ANSWER.format(text=c.sent[client_id]) not in _answered_live(c) for c in with_bot for client_id in c.acked)
        sent_before = sum(len(c.sent) for c in customers)
        unacked_before = sum(len(c.unacked) for c in customers)

        restart_seconds = app.start()
        recovery_started = asyncio.get_running_loop().time()
        for customer in customers:
            await customer.reconnect_and_resend()
            for extra in range(MESSAGES_AFTER_RESTART):
                await customer.send(f"{customer.name}-after-{extra}", f"Nach dem Neustart {extra}")
        for customer in customers:
            await customer.wait_acked(ACK_TIMEOUT_SECONDS)
        resumed_seconds = asyncio.get_running_loop().time() - recovery_started

        stored_total = 0
        for customer in customers:
            assert customer.unacked == [], f"{customer.name}: never acknowledged {customer.unacked}"
            stored = await stored_customer_messages(app.base, headers, customer.conversation_id)
            stored_total += len(stored)
            counts = Counter(m["client_id"] for m in stored)
            assert [cid for cid, n in counts.items() if n > 1] == [], f"{customer.name}: stored twice"
            assert set(counts) == set(customer.sent), f"{customer.name}: stored != sent"
            by_client = {m["client_id"]: m["seq"] for m in stored}
            for client_id, seq in acked_before[customer.name].items():
                assert by_client[client_id] == seq, f"{customer.name}: acked {client_id} moved"
            status, body = await get_json(app.base, f"/api/admin/conversations/{customer.conversation_id}/export",
                                          headers)
            seqs = [m["seq"] for m in body["transcript"] + body["notes"]]
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"{customer.name}: seq gaps {sorted(seqs)}"
        assert await _queue_ids(app.base, headers) == queue_before

        # Invariant 1, answered: what went to the bot gets one answer, including what the killed process claimed.
        async def all_answered() -> bool:
            for customer in with_bot:
                answers = await _bot_answers(app.base, headers, customer.conversation_id)
                if any(answers[BOT_ANSWER.format(text=text)] == 0 for text in customer.sent.values()):
                    return False
            return True
        await _wait_until(all_answered, ANSWER_TIMEOUT_SECONDS)
        answered_seconds = asyncio.get_running_loop().time() - recovery_started
        await asyncio.sleep(2.0)   # a second answer would come from a later sweep or a late resend
        answers_total = 0
        for customer in with_bot:
            answers = await _bot_answers(app.base, headers, customer.conversation_id)
            expected = Counter(BOT_ANSWER.format(text=text) for text in customer.sent.values())
            assert answers == expected, f"{customer.name}: bot answers {answers - expected} extra, " \
                                        f"{expected - answers} missing"
            answers_total += sum(answers.values())
            missing_live = {BOT_ANSWER.format(text=t) for t in customer.sent.values()} - _answered_live(customer)
            assert missing_live == set(), f"{customer.name}: answers stored but never shown {missing_live}"
        for customer in customers[:QUEUED_CUSTOMERS]:
            assert await _bot_answers(app.base, headers, customer.conversation_id) == Counter(
                {"Ich hole eine Kollegin oder einen Kollegen dazu.": 1}), f"{customer.name}: bot answered while queued"
        report("sigkill_app", customers=CUSTOMERS, sent=sum(len(c.sent) for c in customers),
               sent_before_kill=sent_before, acked_before_kill=sum(len(a) for a in acked_before.values()),
               unacked_at_kill=unacked_before, stored=stored_total, restart_seconds=round(restart_seconds, 2),
               resume_seconds=round(resumed_seconds, 2), queue_size=len(queue_before),
               bot_answers=answers_total, unanswered_at_kill=unanswered_at_kill,
               all_answered_seconds=round(answered_seconds, 2))
    finally:
        for customer in customers:
            await customer.close()
        app.stop()
