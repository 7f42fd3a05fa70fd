"""PostgreSQL (our own throwaway instance) goes down under traffic: fast JSON 503s, nothing half-stored, self-healing,
and every stored message answered by the bot exactly once (also those committed although their request got a 503)."""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import aiohttp
import pytest

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess, base_environment
from tests.faults.figures import report
from tests.faults.traffic import admin_headers, get_json, new_conversation, stored_customer_messages

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

FAIL_FAST_SECONDS = 5.0
CLIENT_TIMEOUT_SECONDS = 30.0
RECOVERY_TIMEOUT_SECONDS = 30.0
OUTAGE_SECONDS = 3.0
# Short, so that a claim cut off by the outage goes stale quickly (threshold = timeout + 5 s margin).
BOT_TIMEOUT_SECONDS = "1"
ANSWER_TIMEOUT_SECONDS = 30.0


async def _bot_answers(base: str, headers: dict[str, str], conversation_id: str) -> Counter:
    status, body = await get_json(base, f"/api/admin/conversations/{conversation_id}/export", headers)
    assert status == 200, body
    return Counter(m["text"] for m in body["transcript"] if m["sender_type"] == "bot")


async def _call(session: aiohttp.ClientSession, method: str, url: str, **options: Any) -> tuple[int, Any, float]:
    began = time.monotonic()
    async with session.request(method, url, timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_SECONDS),
                               **options) as response:
        body = await response.json(content_type=None)
        return response.status, body, time.monotonic() - began


async def test_database_outage_gives_fast_json_503_and_heals_without_manual_steps(tmp_path, own_postgres):
    app = AppProcess(tmp_path, base_environment(own_postgres.url, BOT_TIMEOUT_SECONDS=BOT_TIMEOUT_SECONDS))
    app.start()
    try:
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        conversation_id, token = await new_conversation(app.base)
        messages_url = f"{app.base}/api/widget/conversations/{conversation_id}/messages"
        customer = {"Authorization": f"Bearer {token}"}
        outcomes: dict[str, int] = {}
        async with aiohttp.ClientSession() as session:
            status, body, _ = await _call(session, "POST", messages_url, json={"client_id": "vorher", "text": "Hallo"},
                                          headers=customer)
            assert status == 200, body
            outcomes["vorher"] = status

            # A second client keeps writing while the server goes down, so some requests are cut mid-flight.
            stop_hammer = asyncio.Event()
            in_flight: list[int] = []

            async def hammer() -> None:
                number = 0
                while not stop_hammer.is_set():
                    number += 1
                    client_id = f"parallel-{number}"
                    status, _, _ = await _call(session, "POST", messages_url, headers=customer,
                                               json={"client_id": client_id, "text": f"Parallel {number}"})
                    outcomes[client_id] = status
                    in_flight.append(status)

            hammering = asyncio.create_task(hammer())
            await asyncio.sleep(0.5)
            own_postgres.stop()
            during: list[tuple[str, int, Any, float]] = []
            outage_ends = time.monotonic() + OUTAGE_SECONDS
            number = 0
            while time.monotonic() < outage_ends:
                number += 1
                client_id = f"waehrend-{number}"
                for label, method, url, options in (
                    (client_id, "POST", messages_url, {"json": {"client_id": client_id, "text": f"Nr. {number}"},
                                                       "headers": customer}),
                    ("start", "POST", f"{app.base}/api/widget/conversations", {}),
                    ("queue", "GET", f"{app.base}/api/agent/queue", {"headers": headers}),
                ):
                    status, body, seconds = await _call(session, method, url, **options)
                    during.append((label, status, body, seconds))
                    if label == client_id:
                        outcomes[client_id] = status
            stop_hammer.set()
            await hammering
            assert set(in_flight) <= {200, 503}, Counter(in_flight)
            for label, status, body, seconds in during:
                assert status == 503, (label, status, body)
                assert body["error"]["code"] == "unavailable", body
                assert "Traceback" not in str(body) and "asyncpg" not in str(body)
                assert seconds < FAIL_FAST_SECONDS, (label, seconds)

            own_postgres.start()
            restarted = time.monotonic()
            while True:
                status, body, _ = await _call(session, "POST", messages_url,
                                              json={"client_id": "nachher", "text": "Wieder da?"}, headers=customer)
                if status == 200:
                    break
                assert status == 503, body
                assert time.monotonic() - restarted < RECOVERY_TIMEOUT_SECONDS, "no recovery"
                await asyncio.sleep(0.2)
            recovered_after = time.monotonic() - restarted
            # The client resends what failed, with the same client ids: each is stored exactly once.
            for client_id, status in list(outcomes.items()):
                if status != 200:
                    status, body, _ = await _call(session, "POST", messages_url,
                                                  json={"client_id": client_id, "text": "erneut"}, headers=customer)
                    assert status == 200, body
            _, ready, _ = await _call(session, "GET", f"{app.base}/ready")
            assert ready["database"] is True

        stored = await stored_customer_messages(app.base, headers, conversation_id)
        counts = Counter(m["client_id"] for m in stored)
        assert set(counts) == set(outcomes) | {"nachher"}
        assert max(counts.values()) == 1
        # A message refused during the outage was not stored then: its stored text is the resent one.
        assert all(m["text"] == "erneut" for m in stored if m["client_id"].startswith("waehrend-"))
        # Each stored message gets one answer: by its request, its resend, or the sweep (claim cut by the outage).
        expected = Counter(f"Antwort auf: {m['text']}" for m in stored)
        answers_began = time.monotonic()
        while (answers := await _bot_answers(app.base, headers, conversation_id)) != expected:
            assert not answers - expected, f"answered twice or unasked: {answers - expected}"
            assert time.monotonic() - answers_began < ANSWER_TIMEOUT_SECONDS, f"never answered: {expected - answers}"
            await asyncio.sleep(0.2)
        answered_after = time.monotonic() - answers_began
        await asyncio.sleep(2.0)   # a later sweep must not answer anything again
        assert await _bot_answers(app.base, headers, conversation_id) == expected
        resent_but_already_stored = sum(1 for m in stored if m["client_id"].startswith("parallel-")
                                        and outcomes[m["client_id"]] != 200 and m["text"] != "erneut")
        report("postgres_outage", requests_during_outage=len(during), all_503=True,
               slowest_503_seconds=round(max(s for *_, s in during), 3), recovered_seconds=round(recovered_after, 2),
               messages_stored=len(stored), duplicates=0,
               parallel_requests=len(in_flight), parallel_503=in_flight.count(503),
               failed_but_committed=resent_but_already_stored, bot_answers=sum(expected.values()),
               all_answered_after_resends_seconds=round(answered_after, 2))
    finally:
        app.stop()
    assert "unhandled error" not in app.log()
