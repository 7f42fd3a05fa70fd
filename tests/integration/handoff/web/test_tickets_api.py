"""The tickets API over real HTTP: from a widget request nobody could take to an answer the customer reads;
German errors that change nothing; the SLA settings for admins only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.handoff.web.clients import (
    customer_socket, event_with_text, frame_of, open_socket, start_customer,
)
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration
SOME_ID = "00000000-0000-0000-0000-000000000000"


async def widget_ticket(base: str) -> tuple[str, Api]:
    conversation_id, token = await start_customer(base)
    customer = Api(base)
    customer.headers["Authorization"] = f"Bearer {token}"
    status, body, _ = await customer.request("POST", f"/api/widget/conversations/{conversation_id}/messages",
                                             json={"client_id": "c1", "text": "Ich möchte einen Mitarbeiter sprechen"})
    assert status == 200, body
    return conversation_id, customer


async def test_from_widget_request_to_answer(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    agent, agent_id = await login_cookie(sqlite_server.base, email, password)
    conversation_id, customer = await widget_ticket(sqlite_server.base)
    try:
        status, inbox, _ = await agent.request("GET", "/api/agent/tickets")
        assert status == 200
        ticket = next(t for t in inbox["tickets"] if t["conversation_id"] == conversation_id)
        assert ticket["status"] == "new" and ticket["kind"] == "follow_up" and ticket["due_at"]
        tid = ticket["id"]

        status, body, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/claim")
        assert status == 200 and body["ticket"]["owner_id"] == agent_id and body["ticket"]["status"] == "open"
        status, body, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/answer",
                                              json={"text": "Wir kümmern uns darum."})
        assert status == 201 and body["article"]["kind"] == "reply"

        past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
        for path, payload, expected, fragment in (
                (f"/api/agent/tickets/{tid}/pending", {"until": past}, 422, "Vergangenheit"),
                (f"/api/agent/tickets/{tid}/pending", {"until": "morgen"}, 422, "ISO-Format"),
                (f"/api/agent/tickets/{tid}/pending", {"until": "2030-01-01T10:00:00"}, 422, "Zeitzone"),
                (f"/api/agent/tickets/{tid}/notes", {"text": "x" * 10001}, 413, "Höchstens"),
                (f"/api/agent/tickets/{tid}/reopen", {}, 409, "Im Status „offen“"),
                (f"/api/agent/tickets/{tid}/merge", {"into_ticket_id": SOME_ID}, 404, "Zielticket"),
                (f"/api/agent/tickets/{SOME_ID}/solve", {}, 404, "Ticket nicht gefunden"),
                (f"/api/agent/tickets/{tid}/assign", {"assignee_id": SOME_ID}, 422, "keine Tickets")):
            status, body, _ = await agent.request("POST", path, json=payload)
            assert status == expected and fragment in body["error"]["message"], (path, body)
        status, detail, _ = await agent.request("GET", f"/api/agent/tickets/{tid}")
        assert detail["ticket"]["status"] == "open" and detail["ticket"]["pending_until"] is None
        assert [a["kind"] for a in detail["articles"]].count("note") == 0
        assert detail["transcript"] and detail["handoff"]["reasons"]

        until = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
        status, body, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/pending", json={"until": until})
        assert status == 200 and body["ticket"]["status"] == "pending"
        status, body, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/solve")
        assert status == 200 and body["ticket"]["status"] == "solved"

        status, body, _ = await customer.request("GET", f"/api/widget/conversations/{conversation_id}/tickets")
        assert status == 200 and body["tickets"][0]["status_label"] == "gelöst"
        assert body["tickets"][0]["answers"][0]["text"] == "Wir kümmern uns darum."
        status, events, _ = await customer.request("GET", f"/api/widget/conversations/{conversation_id}/events")
        assert any("Wir kümmern uns darum." in (e["text"] or "") for e in events["events"])
        stranger = Api(sqlite_server.base)
        status, _, _ = await stranger.request("GET", f"/api/widget/conversations/{conversation_id}/tickets")
        await stranger.close()
        assert status == 401

        status, due, _ = await agent.request("GET", "/api/agent/tickets/due")
        assert status == 200 and set(due) == {"overdue", "soon", "overdue_mine", "soon_mine"}
    finally:
        await agent.close()
        await customer.close()


async def test_someone_elses_ticket_and_filters(sqlite_server, admin_api):
    first_email, password = await create_agent(admin_api)
    anna, anna_id = await login_cookie(sqlite_server.base, first_email, password)
    second_email, password2 = await create_agent(admin_api)
    bert, _ = await login_cookie(sqlite_server.base, second_email, password2)
    conversation_id, customer = await widget_ticket(sqlite_server.base)
    try:
        _, inbox, _ = await anna.request("GET", "/api/agent/tickets?status=new")
        tid = next(t["id"] for t in inbox["tickets"] if t["conversation_id"] == conversation_id)
        await anna.request("POST", f"/api/agent/tickets/{tid}/claim")
        status, body, _ = await bert.request("POST", f"/api/agent/tickets/{tid}/claim")
        assert status == 409 and "übernommen" in body["error"]["message"]
        status, body, _ = await bert.request("POST", f"/api/agent/tickets/{tid}/solve")
        assert status == 403 and "Dieses Ticket bearbeitet" in body["error"]["message"]
        _, mine, _ = await anna.request("GET", "/api/agent/tickets?owner=me")
        assert [t["id"] for t in mine["tickets"]] == [tid] and mine["counts"]["owner"]["me"] == 1
        status, body, _ = await anna.request("GET", "/api/agent/tickets?status=irgendwas")
        assert status == 422 and "Unbekannter Status" in body["error"]["message"]
        status, body, _ = await anna.request("GET", "/api/agent/tickets/colleagues")
        assert anna_id in {c["id"] for c in body["colleagues"]}
    finally:
        await anna.close()
        await bert.close()
        await customer.close()


async def test_sla_settings_for_admins_only(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    agent, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        status, _, _ = await agent.request("PUT", "/api/admin/ticket-sla", json={"close_after_days": 3})
        assert status == 403
    finally:
        await agent.close()
    status, before, _ = await admin_api.request("GET", "/api/admin/ticket-sla")
    assert status == 200 and before["policies"]["data_protection"]["legal_month"] is True
    for bad in ({"close_after_days": 0}, {"policies": {"complaint": {"first_response_minutes": "4h"}}}, [1]):
        status, body, _ = await admin_api.request("PUT", "/api/admin/ticket-sla", json=bad)
        assert status in (400, 422) and body["error"]["message"], body
    status, after, _ = await admin_api.request("GET", "/api/admin/ticket-sla")
    assert after == before
    changed = {**before, "close_after_days": 3}
    status, body, _ = await admin_api.request("PUT", "/api/admin/ticket-sla", json=changed)
    assert status == 200 and body["close_after_days"] == 3


async def test_contact_export_and_erasure_for_admins_only(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    agent, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        status, _, _ = await agent.request("GET", "/api/admin/tickets/export?email=a@example.org")
        assert status == 403
    finally:
        await agent.close()
    status, body, _ = await admin_api.request("GET", "/api/admin/tickets/export?email=kaputt")
    assert status == 422 and "E-Mail-Adresse" in body["error"]["message"]
    status, body, _ = await admin_api.request("GET", "/api/admin/tickets/export?email=niemand@example.org")
    assert status == 200 and body["tickets"] == []
    status, body, _ = await admin_api.request("DELETE", "/api/admin/tickets?email=niemand@example.org")
    assert status == 200 and body == {"deleted": 0}


ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "weekly": {day: [] for day in
                                                         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 "holidays": []}


async def test_ticket_events_reach_agents_live_and_never_the_customer_socket(sqlite_server, admin_api):
    _, original_hours, _ = await admin_api.request("GET", "/api/admin/business-hours")
    assert (await admin_api.request("PUT", "/api/admin/business-hours", json=ALWAYS_CLOSED))[0] == 200
    email, password = await create_agent(admin_api)
    agent, agent_id = await login_cookie(sqlite_server.base, email, password)
    agent_ws = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws", extra_headers=cookie_header(agent))
    conversation_id, token = await start_customer(sqlite_server.base)
    customer_ws = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    try:
        await agent_ws.wait_for(frame_of("ready"))
        await customer_ws.send({"type": "message", "client_id": "c1", "text": "Bitte einen Mitarbeiter"})
        await customer_ws.wait_for(frame_of("state", status="ticket"))
        created = await agent_ws.wait_for(frame_of("ticket_created", topic="tickets", status="new"))
        tid = created["ticket_id"]
        status, _, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/claim")
        assert status == 200
        changed = await agent_ws.wait_for(frame_of("ticket_changed", topic=f"agent.{agent_id}", change="claimed"))
        assert changed["owner_id"] == agent_id
        status, _, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/notes", json={"text": "Intern"})
        status, _, _ = await agent.request("POST", f"/api/agent/tickets/{tid}/answer", json={"text": "Erledigt."})
        assert status == 201
        await customer_ws.wait_for(event_with_text("Erledigt.", sender_type="agent"))
        await agent_ws.wait_for(frame_of("ticket_changed", change="answered"))
        assert not [f for f in customer_ws.frames if str(f.get("type", "")).startswith("ticket")]
        assert not any("Intern" in str(frame) for frame in customer_ws.frames)
    finally:
        await customer_ws.close()
        await agent_ws.close()
        await agent.close()
        await admin_api.request("PUT", "/api/admin/business-hours", json=original_hours)
