"""Redis (our own throwaway instance) restarts under traffic shared by two app instances: degraded, never down."""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import aiohttp
import pytest

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess, base_environment
from tests.faults.figures import report
from tests.faults.traffic import Customer, admin_headers, get_json, new_conversation, stored_customer_messages

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

SEND_INTERVAL_SECONDS = 0.1
TRAFFIC_SECONDS = 1.5
OUTAGE_SECONDS = 3.0
RECOVERY_TIMEOUT_SECONDS = 30.0
ACK_TIMEOUT_SECONDS = 20.0


async def _send_for(customer: Customer, seconds: float, prefix: str) -> None:
    ends = time.monotonic() + seconds
    number = 0
    while time.monotonic() < ends:
        number += 1
        await customer.send(f"{prefix}-{number}", f"{prefix} Nachricht {number}")
        await asyncio.sleep(SEND_INTERVAL_SECONDS)


async def _seen_live(observer: Customer, text: str, timeout: float) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if any(event.get("text") == text for event in observer.events.values()):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_redis_restart_keeps_both_instances_answering_and_fan_out_recovers(tmp_path, own_postgres, own_redis):
    environment = base_environment(own_postgres.url, REDIS_URL=own_redis.url)
    first, second = AppProcess(tmp_path, environment), AppProcess(tmp_path, environment)
    first.start()
    second.start()
    customer = observer = None
    try:
        conversation_id, token = await new_conversation(first.base)
        customer = Customer(first.ws_base, conversation_id, token, name="kunde-a")
        observer = Customer(second.ws_base, conversation_id, token, name="tab-b")  # the same customer, second tab
        await customer.connect()
        await observer.connect()
        await customer.send("warmup", "Hallo zusammen")
        assert await _seen_live(observer, "Hallo zusammen", ACK_TIMEOUT_SECONDS), "no fan-out before the fault"

        await _send_for(customer, TRAFFIC_SECONDS, "vorher")
        own_redis.stop()
        outage_began = time.monotonic()
        await _send_for(customer, OUTAGE_SECONDS, "ausfall")
        await customer.wait_acked(ACK_TIMEOUT_SECONDS)
        outage_texts = [text for cid, text in customer.sent.items() if cid.startswith("ausfall-")]
        # The customer's own socket gets the bot's answers live even without the bus.
        for text in outage_texts:
            assert await _seen_live(customer, f"Antwort auf: {text}", ACK_TIMEOUT_SECONDS), text
        answered_live_during_outage = len(outage_texts)
        acked_during_outage = sum(1 for cid in customer.acked if cid.startswith("ausfall-"))
        sent_during_outage = sum(1 for cid in customer.sent if cid.startswith("ausfall-"))
        # Degraded, not down: both instances keep storing, acknowledging and answering.
        assert acked_during_outage == sent_during_outage
        for app in (first, second):
            status, body = await get_json(app.base, "/health")
            assert status == 200, body
            async with aiohttp.ClientSession() as session:
                async with session.post(f"{app.base}/api/widget/conversations") as response:
                    assert response.status == 201
        own_redis.start()
        restarted = time.monotonic()

        # Recovered by itself: a message written on the first instance shows up live on the second again.
        recovered_after = None
        while time.monotonic() - restarted < RECOVERY_TIMEOUT_SECONDS:
            probe = f"Probe {uuid.uuid4().hex[:6]}"
            await customer.send(f"probe-{probe}", probe)
            if await _seen_live(observer, probe, 1.0):
                recovered_after = time.monotonic() - restarted
                break
        assert recovered_after is not None, "fan-out across instances did not come back"
        await _send_for(customer, TRAFFIC_SECONDS, "nachher")
        await customer.wait_acked(ACK_TIMEOUT_SECONDS)
        assert customer.unacked == []

        headers = await admin_headers(second.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        stored = await stored_customer_messages(second.base, headers, conversation_id)
        counts = Counter(m["client_id"] for m in stored)
        assert set(counts) == set(customer.sent) and max(counts.values()) == 1
        # What the second tab missed live during the outage it gets by replay: reconnect from the start.
        missed_live = sum(1 for cid in customer.sent if cid.startswith("ausfall-")
                          and not any(e.get("text") == customer.sent[cid] for e in observer.events.values()))
        observer.last_seq = 0
        await observer.reconnect_and_resend()
        await asyncio.sleep(1.0)
        replayed = {e["text"] for e in observer.events.values() if e["sender_type"] == "customer"}
        assert set(customer.sent.values()) <= replayed
        bot_answers = [e["text"] for e in observer.events.values() if e["sender_type"] == "bot"]
        assert all(any(text in answer for answer in bot_answers) for text in customer.sent.values()), \
            "a message stayed without a bot answer"
        report("redis_restart", sent=len(customer.sent), stored=len(stored), acked_during_outage=acked_during_outage,
               outage_seconds=round(restarted - outage_began, 2), fan_out_recovered_seconds=round(recovered_after, 2),
               missed_live_on_second_instance=missed_live,
               bot_answers_live_during_outage=answered_live_during_outage)
    finally:
        for client in (customer, observer):
            if client is not None:
                await client.close()
        first.stop()
        second.stop()
