"""Reconnect with resend: nothing lost, nothing duplicated; `after` resumes where the widget left off."""
from __future__ import annotations

import pytest

from tests.integration.handoff.web.clients import customer_socket, event_with_text, frame_of, start_customer
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration


async def test_resend_after_reconnect_is_stored_once_and_replay_starts_after_the_last_seen_seq(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    first = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await first.send({"type": "message", "client_id": "m1", "text": "Erste Frage"})
    ack = await first.wait_for(frame_of("ack", client_id="m1"))
    await first.wait_for(event_with_text("Antwort auf: Erste Frage"))
    last_seen = max(event["seq"] for event in first.events())
    await first.close()

    # Offline, the widget could not tell whether m2 arrived: it sends it again on the new connection.
    second = await customer_socket(sqlite_server.ws_base, conversation_id, token, after=last_seen)
    await second.wait_for(frame_of("state"))
    assert second.events() == [], "nothing before `after` is replayed"
    await second.send({"type": "message", "client_id": "m2", "text": "Zweite Frage"})
    first_ack = await second.wait_for(frame_of("ack", client_id="m2"))
    await second.wait_for(event_with_text("Antwort auf: Zweite Frage"))
    await second.send({"type": "message", "client_id": "m2", "text": "Zweite Frage"})
    second.frames.clear()
    resend_ack = await second.wait_for(frame_of("ack", client_id="m2"))
    assert resend_ack["seq"] == first_ack["seq"] and resend_ack["seq"] > ack["seq"]
    await second.close()

    # A fresh tab replays everything exactly once.
    third = await customer_socket(sqlite_server.ws_base, conversation_id, token, after=0)
    await third.wait_for(frame_of("state"))
    seqs = [event["seq"] for event in third.events()]
    texts = [event["text"] for event in third.events()]
    await third.close()
    assert seqs == sorted(set(seqs)), "no seq twice, in order"
    assert texts.count("Zweite Frage") == 1 and texts.count("Antwort auf: Zweite Frage") == 1
    assert texts.count("Erste Frage") == 1


async def test_second_tab_sees_the_same_events_without_duplicates(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    tab_a = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    tab_b = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await tab_a.wait_for(frame_of("state"))
    await tab_b.wait_for(frame_of("state"))
    await tab_a.send({"type": "message", "client_id": "x1", "text": "Von Tab A"})
    await tab_b.wait_for(event_with_text("Antwort auf: Von Tab A"))
    await tab_a.wait_for(event_with_text("Antwort auf: Von Tab A"))
    for tab in (tab_a, tab_b):
        seqs = [event["seq"] for event in tab.events()]
        assert len(seqs) == len(set(seqs)), tab.frames
        await tab.close()


async def test_polling_fallback_returns_events_after_a_seq(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    api = Api(sqlite_server.base)
    api.headers["Authorization"] = f"Bearer {token}"
    try:
        status, body, _ = await api.request("POST", f"/api/widget/conversations/{conversation_id}/messages",
                                            json={"client_id": "p1", "text": "Per REST"})
        assert status == 200, body
        assert [reply["text"] for reply in body["replies"]] == ["Antwort auf: Per REST"]
        again, resent, _ = await api.request("POST", f"/api/widget/conversations/{conversation_id}/messages",
                                             json={"client_id": "p1", "text": "Per REST"})
        assert again == 200 and resent["duplicate"] is True and resent["seq"] == body["seq"]
        status, events, _ = await api.request("GET", f"/api/widget/conversations/{conversation_id}/events?after=0")
        assert status == 200 and events["state"]["status"] == "bot"
        assert [e["text"] for e in events["events"]].count("Per REST") == 1
        status, later, _ = await api.request(
            "GET", f"/api/widget/conversations/{conversation_id}/events?after={body['seq']}")
        assert [e["text"] for e in later["events"]] == ["Antwort auf: Per REST"]
    finally:
        await api.close()
