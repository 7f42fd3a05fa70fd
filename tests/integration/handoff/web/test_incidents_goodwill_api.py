"""The incidents and goodwill APIs over real HTTP: German errors that change nothing, roles, and a grant that the
customer reads in the widget. (Anonymous callers and trainers are refused on every route by test_access_control.)"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.integration.handoff.web.clients import (
    customer_socket, event_with_text, frame_of, open_all_week, open_socket, start_customer,
)
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header

pytestmark = pytest.mark.integration
SOME_ID = "00000000-0000-0000-0000-000000000000"
REASON = "Lieferung eine Woche zu spät"


async def test_incident_routes_refuse_bad_input_in_german(sqlite_server, admin_api):
    email, password = await create_agent(admin_api)
    agent, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        status, body, _ = await agent.request("GET", "/api/agent/incidents")
        assert status == 200 and body["open_count"] == len([i for i in body["incidents"] if i["status"] == "open"])
        status, body, _ = await agent.request("GET", "/api/agent/incidents?status=kaputt")
        assert status == 422 and "open oder closed" in body["error"]["message"]
        for method, path in (("GET", f"/api/agent/incidents/{SOME_ID}"),
                             ("POST", f"/api/agent/incidents/{SOME_ID}/close"),
                             ("POST", f"/api/agent/incidents/{SOME_ID}/assign")):
            status, body, _ = await agent.request(method, path, json={})
            assert status == 404 and body["error"]["message"] == "Störung nicht gefunden.", (path, body)
        status, body, _ = await agent.request("POST", f"/api/agent/incidents/{SOME_ID}/close",
                                              json={"note": "x" * 2001})
        assert status == 413
        status, _, _ = await agent.request("PUT", "/api/admin/incidents/settings", json={"min_reports": 3})
        assert status == 403
    finally:
        await agent.close()
    status, before, _ = await admin_api.request("GET", "/api/admin/incidents/settings")
    assert status == 200 and before["min_reports"] >= 2
    for bad in ({"min_reports": 1, "window_minutes": 60, "similarity": 0.3},
                {"min_reports": 3, "window_minutes": 60, "similarity": "hoch"}, [1, 2]):
        status, body, _ = await admin_api.request("PUT", "/api/admin/incidents/settings", json=bad)
        assert status in (400, 422) and body["error"]["message"], body
    status, after, _ = await admin_api.request("GET", "/api/admin/incidents/settings")
    assert after == before
    status, body, _ = await admin_api.request("PUT", "/api/admin/incidents/settings",
                                              json={"min_reports": 4, "window_minutes": 90, "similarity": 0.4})
    assert status == 200 and body == {"min_reports": 4, "window_minutes": 90, "similarity": 0.4}
    await admin_api.request("PUT", "/api/admin/incidents/settings", json=before)


async def test_goodwill_over_http_from_grant_to_approval(sqlite_server, admin_api):
    await open_all_week(admin_api)
    status, _, _ = await admin_api.request("PUT", "/api/admin/goodwill/limits", json={
        "voucher": {"per_case_cents": 1_500, "per_agent_month_cents": 100_000}})
    assert status == 200
    email, password = await create_agent(admin_api)
    agent, agent_id = await login_cookie(sqlite_server.base, email, password)
    colleague_email, colleague_password = await create_agent(admin_api)
    colleague, _ = await login_cookie(sqlite_server.base, colleague_email, colleague_password)
    supervisor_email, supervisor_password = await create_agent(admin_api, role="supervisor")
    supervisor, _ = await login_cookie(sqlite_server.base, supervisor_email, supervisor_password)
    agent_ws = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws", extra_headers=cookie_header(agent))
    conversation_id, token = await start_customer(sqlite_server.base)
    customer_ws = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    try:
        await agent_ws.wait_for(frame_of("ready"))
        await customer_ws.send({"type": "message", "client_id": "c1", "text": "Bitte einen Mitarbeiter"})
        await customer_ws.wait_for(frame_of("state", status="queued"))
        status, body, _ = await agent.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
        assert status == 200, body

        def grant(api, **changes):
            body = {"kind": "voucher", "amount_cents": 1_500, "reason": REASON, "conversation_id": conversation_id,
                    **changes}
            return api.request("POST", "/api/agent/goodwill", json=body)

        for changes, field in (({"amount_cents": -5}, "amount_cents"), ({"amount_cents": 15.0}, "amount_cents"),
                               ({"amount_cents": 10_000_000}, "amount_cents"), ({"kind": "bar"}, "kind"),
                               ({"reason": ""}, "reason"), ({"conversation_id": None}, "case")):
            status, body, _ = await grant(agent, **changes)
            assert status == 422 and body["error"]["field"] == field, (changes, body)
        status, body, _ = await grant(agent, conversation_id=SOME_ID)
        assert status == 404 and body["error"]["message"] == "Gespräch nicht gefunden."
        status, body, _ = await grant(colleague)
        assert status == 403 and "Kollegin" in body["error"]["message"]   # someone else's case
        status, body, _ = await agent.request("GET", f"/api/agent/goodwill?conversation_id={conversation_id}")
        assert status == 200 and body["grants"] == []                      # nothing was recorded

        status, body, _ = await grant(agent)
        assert status == 201 and body["grant"]["status"] == "granted", body
        await customer_ws.wait_for(event_with_text("Gutschein über 15,00 €", "agent"))
        status, body, _ = await grant(agent, amount_cents=1)
        assert status == 201 and body["grant"]["status"] == "requested"
        request_id = body["grant"]["id"]
        status, body, _ = await agent.request("POST", f"/api/agent/goodwill/{request_id}/approve", json={})
        assert status == 403
        status, body, _ = await supervisor.request("GET", "/api/agent/goodwill?status=requested")
        assert request_id in [g["id"] for g in body["grants"]]
        status, body, _ = await supervisor.request("POST", f"/api/agent/goodwill/{request_id}/approve",
                                                   json={"note": "Stammkunde"})
        assert status == 200 and body["grant"]["status"] == "approved"
        await customer_ws.wait_for(event_with_text("Gutschein über 0,01 €", "agent"))
        status, body, _ = await supervisor.request("POST", f"/api/agent/goodwill/{request_id}/decline", json={})
        assert status == 409 and "schon entschieden" in body["error"]["message"]
        status, body, _ = await agent.request("GET", "/api/agent/goodwill/allowance")
        voucher = next(k for k in body["kinds"] if k["kind"] == "voucher")
        assert voucher["used_cents"] == 1_500 and voucher["left_cents"] == 98_500

        around = f"from={date.today() - timedelta(days=1)}&to={date.today() + timedelta(days=1)}"
        status, body, _ = await supervisor.request("GET", f"/api/agent/goodwill/summary?{around}")
        assert status == 200 and body["given_cents"] >= 1_501, body
        status, body, _ = await agent.request("GET", f"/api/agent/goodwill/summary?{around}")
        assert status == 403
        status, body, _ = await supervisor.request("GET", "/api/agent/goodwill/summary?from=gestern&to=heute")
        assert status == 422 and body["error"]["field"] == "from"

        status, export, _ = await admin_api.request("GET", f"/api/admin/conversations/{conversation_id}/export")
        assert status == 200 and [g["amount_cents"] for g in export["goodwill"]] == [1_500, 1]
    finally:
        await customer_ws.close()
        await agent_ws.close()
        for api in (agent, colleague, supervisor):
            await api.close()


@pytest.mark.parametrize("role, allowed", [("agent", {"incidents", "grant", "allowance"}),
                                           ("trainer", set()),
                                           ("supervisor", {"incidents", "grant", "allowance", "summary"}),
                                           ("admin", {"incidents", "grant", "allowance", "summary", "limits",
                                                      "settings"})])
async def test_who_may_do_what(sqlite_server, admin_api, role, allowed):
    if role == "admin":
        api = admin_api
    else:
        email, password = await create_agent(admin_api, role=role)
        api, _ = await login_cookie(sqlite_server.base, email, password)
    day = date.today().isoformat()
    checks = {
        "incidents": ("GET", "/api/agent/incidents", None),
        # Allowed callers get past the role check to the case check: an unknown conversation is a 404.
        "grant": ("POST", "/api/agent/goodwill", {"kind": "voucher", "amount_cents": 100, "reason": REASON,
                                                 "conversation_id": SOME_ID}),
        "allowance": ("GET", "/api/agent/goodwill/allowance", None),
        "summary": ("GET", f"/api/agent/goodwill/summary?from={day}&to={day}", None),
        "limits": ("GET", "/api/admin/goodwill/limits", None),
        "settings": ("GET", "/api/admin/incidents/settings", None),
    }
    try:
        for name, (method, path, body) in checks.items():
            status, answer, _ = await api.request(method, path, json=body)
            if name in allowed:
                assert status in (200, 404), (role, name, status, answer)
            else:
                assert status == 403 and answer["error"]["message"], (role, name, status, answer)
    finally:
        if api is not admin_api:
            await api.close()
