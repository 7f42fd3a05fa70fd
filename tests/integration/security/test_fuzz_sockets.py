"""The widget WebSocket and the socket.io channel under hostile frames, floods and odd Unicode."""
from __future__ import annotations

import asyncio
import json
import random
import uuid

import pytest
import websockets

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess
from tests.faults.traffic import Customer, admin_headers, get_json, new_conversation, stored_customer_messages

pytestmark = pytest.mark.integration

SEED = 20261123
RANDOM_FRAMES = 150
FLOOD_FRAMES = 200
LOW_LIMIT = 20
MAX_CHARS = 2000
CLOSE_MESSAGE_TOO_BIG = 1009
# (sent, stored) — None: refused with an error frame and not stored.
UNICODE_CASES = [
    ("Grüße aus Köln 🙂", "Grüße aus Köln 🙂"),
    ("Familie 👩\u200d👩\u200d👧 und 🇩🇪", "Familie 👩\u200d👩\u200d👧 und 🇩🇪"),  # ZWJ sequences stay whole
    ("Cafe\u0301 und Mu\u0308ller", "Café und Müller"),                    # combining marks: NFC
    ("שלום, مرحبا und Hallo", "שלום, مرحبا und Hallo"),                    # natural right-to-left text
    ("Rechnung \u202eFDP.exe", "Rechnung FDP.exe"),                        # bidi override removed
    ("\u200b\u200b\u2060", None),                                          # only invisible characters
    (" \n\t ", None),
    ("ä" * MAX_CHARS, "ä" * MAX_CHARS),
    ("ä" * (MAX_CHARS + 1), None),
]


def _random_frame(rng: random.Random) -> str | bytes:
    choice = rng.randrange(9)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if choice == 1:
        return "{" * rng.randrange(1, 2000)
    if choice == 2:
        return json.dumps(rng.choice([None, 1, "x", [], [{"type": "message"}], {"typ": "message"}]))
    if choice == 3:
        return json.dumps({"type": rng.choice(["", "MESSAGE", "message\u0000", "🙂", "x" * 500, "__proto__"])})
    if choice == 4:
        return json.dumps({"type": "message", "client_id": rng.choice([None, 1, "", "x" * 100, ["a"]]),
                           "text": rng.choice([None, 5, "", {"a": 1}, "ok"])})
    if choice == 5:
        return json.dumps({"type": "csat", "rating": rng.choice([0, 6, "5", None, 2.5, True]), "comment": []})
    if choice == 6:
        return json.dumps({"type": "ticket", "email": rng.choice(["", "kein", None, "a@b.de" * 100]),
                           "note": 7})
    if choice == 7:
        return json.dumps({"type": "typing", "extra": "x" * rng.randrange(10_000)})
    return json.dumps({"type": "ping", "nested": [[[[[[[[[]]]]]]]]]})


async def _assert_alive(app: AppProcess) -> None:
    status, body = await get_json(app.base, "/health")
    assert status == 200, body


async def test_random_hostile_frames_get_error_frames_and_store_nothing(app):
    conversation_id, token = await new_conversation(app.base)
    url = f"{app.ws_base}/api/widget/ws?conversation_id={conversation_id}&token={token}&after=0"
    rng = random.Random(SEED)
    async with websockets.connect(url, max_size=None) as ws:
        for number in range(RANDOM_FRAMES):
            frame = _random_frame(rng)
            await ws.send(frame)
        # Frames are handled in order: the ack of this last one means every hostile frame was answered.
        await ws.send(json.dumps({"type": "message", "client_id": "ende", "text": "Ende"}))
        kinds: dict[str, int] = {}
        while True:
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
            kind = answer.get("code") or answer["type"]
            kinds[kind] = kinds.get(kind, 0) + 1
            if answer["type"] == "ack" and answer["client_id"] == "ende":
                break
        assert sum(count for kind, count in kinds.items() if kind not in ("ack", "pong", "state", "event",
                                                                           "typing")) >= RANDOM_FRAMES // 2
    headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
    stored = await stored_customer_messages(app.base, headers, conversation_id)
    assert [m["client_id"] for m in stored] == ["ende"], "no hostile frame may store anything"
    await _assert_alive(app)
    assert "unhandled error" not in app.log()


async def test_a_frame_above_the_socket_limit_closes_cleanly_and_nothing_is_stored(app):
    conversation_id, token = await new_conversation(app.base)
    customer = Customer(app.ws_base, conversation_id, token, name="gross")
    await customer.connect()
    await customer.send("riesig", "x" * 100_000)
    await asyncio.wait_for(customer.reader, 10)  # the server closes the connection
    assert customer.ws.close_code == CLOSE_MESSAGE_TOO_BIG
    await customer.close()
    headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
    stored = await stored_customer_messages(app.base, headers, conversation_id)
    assert stored == [], [(m["client_id"], len(m["text"]), m["text"][:50]) for m in stored]
    # The same customer reconnects and goes on.
    await customer.connect()
    await customer.send("danach", "Jetzt kürzer")
    for _ in range(200):
        if "danach" in customer.acked:
            break
        await asyncio.sleep(0.05)
    assert customer.unacked == ["riesig"], "everything but the oversized frame is acknowledged"
    await customer.close()


async def test_unicode_edge_cases_are_stored_by_a_clear_rule(app):
    conversation_id, token = await new_conversation(app.base)
    customer = Customer(app.ws_base, conversation_id, token, name="unicode")
    await customer.connect()
    try:
        for number, (text, _) in enumerate(UNICODE_CASES):
            await customer.send(f"u{number}", text)
            await asyncio.sleep(0.05)
        expected_acks = {f"u{n}" for n, (_, stored) in enumerate(UNICODE_CASES) if stored is not None}
        for _ in range(200):
            if expected_acks <= set(customer.acked) and len(customer.errors) >= len(UNICODE_CASES) - len(
                    expected_acks):
                break
            await asyncio.sleep(0.05)
        assert set(customer.acked) == expected_acks
        assert {e["code"] for e in customer.errors} <= {"invalid", "too_large"}
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        stored = {m["client_id"]: m["text"] for m in await stored_customer_messages(app.base, headers,
                                                                                  conversation_id)}
        assert stored == {f"u{n}": expected for n, (_, expected) in enumerate(UNICODE_CASES) if expected is not None}
    finally:
        await customer.close()


async def test_a_flood_is_rate_limited_and_only_acknowledged_messages_are_stored(tmp_path):
    limited = AppProcess(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/flood.db",
                                    "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                    "RATE_LIMIT_PER_MINUTE": str(LOW_LIMIT)})
    limited.start()
    try:
        conversation_id, token = await new_conversation(limited.base)
        customer = Customer(limited.ws_base, conversation_id, token, name="flut")
        await customer.connect()
        for number in range(FLOOD_FRAMES):
            await customer.send(f"f{number}", f"Flut {number}")
        for _ in range(200):
            if len(customer.acked) + len(customer.errors) >= FLOOD_FRAMES:
                break
            await asyncio.sleep(0.05)
        assert len(customer.acked) == LOW_LIMIT
        assert {e["code"] for e in customer.errors} == {"rate_limited"}
        assert customer.connected, "the socket survives the flood"
        headers = await admin_headers(limited.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        stored = await stored_customer_messages(limited.base, headers, conversation_id)
        assert {m["client_id"] for m in stored} == set(customer.acked)
        await customer.close()
        await _assert_alive(limited)
    finally:
        limited.stop()


async def test_socketio_survives_malformed_packets_and_still_answers(app):
    session_id = uuid.uuid4().hex
    async with websockets.connect(f"{app.ws_base}/socket.io/?EIO=4&transport=websocket") as ws:
        assert (await ws.recv()).startswith("0{")
        await ws.send("40")
        assert (await ws.recv()).startswith("40")
        for packet in ("42[", "42" + json.dumps(["user_uttered", 5]), "42" + json.dumps(["user_uttered", {
                "message": None, "session_id": session_id}]), "42" + json.dumps(["gibts_nicht", {}]),
                       "42" + json.dumps(["user_uttered", {"message": "x" * 20_000, "session_id": session_id}]),
                       "4" + "x" * 100, "9", b"\x00\x01"):
            await ws.send(packet)
        await ws.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
        await ws.send("42" + json.dumps(["user_uttered", {"message": "Hallo", "session_id": session_id}]))
        answers = []
        while not any("Antwort auf: Hallo" in a for a in answers):
            answers.append(await asyncio.wait_for(ws.recv(), 10))
    await _assert_alive(app)
    assert "unhandled error" not in app.log()
