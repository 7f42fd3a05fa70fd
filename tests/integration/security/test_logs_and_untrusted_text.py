"""Nothing secret or personal reaches the logs; hostile text comes back as inert JSON data."""
from __future__ import annotations

import asyncio

import pytest

from tests.faults.traffic import Customer, new_conversation
from tests.integration.handoff.web.server import Api
from tests.integration.security.conftest import admin_client

pytestmark = pytest.mark.integration

PASSWORD = "Geheim-Passwort-4711!"
NEW_AGENT_PASSWORD = "Agentin-Kennwort-0815"
LOGIN_EMAIL = "kunde.geheim@beispiel.de"
CUSTOMER_EMAIL = "anna.privat@beispiel.de"
IBAN = "DE89 3704 0044 0532 0130 00"
SECRETS = (PASSWORD, NEW_AGENT_PASSWORD, LOGIN_EMAIL, CUSTOMER_EMAIL, IBAN, IBAN.replace(" ", ""))
XSS = ('<img src=x onerror="alert(1)">', "<script>alert('nw')</script>", '"><svg onload=alert(2)>')


async def test_passwords_emails_and_ibans_never_reach_the_log(app):
    anonymous = Api(app.base)
    admin = await admin_client(app.base)
    try:
        await anonymous.request("POST", "/api/agent/login", json={"email": LOGIN_EMAIL, "password": PASSWORD})
        await anonymous.request("POST", "/api/agent/login", json={"email": LOGIN_EMAIL, "password": PASSWORD,
                                                                  "bearer": "kaputt"})
        await admin.request("POST", "/api/admin/agents", json={"email": "neu@nordwind.test", "display_name": "Neu",
                                                               "password": NEW_AGENT_PASSWORD, "role": "agent"})
        await admin.request("POST", "/api/admin/agents", json={"email": LOGIN_EMAIL, "display_name": "Kurz",
                                                               "password": "kurz", "role": "agent"})
        conversation_id, token = await new_conversation(app.base)
        customer = Api(app.base)
        customer.headers["Authorization"] = f"Bearer {token}"
        base = f"/api/widget/conversations/{conversation_id}"
        await customer.request("POST", f"{base}/messages", json={"client_id": "c1",
                                                                 "text": f"Ich bin {CUSTOMER_EMAIL}, IBAN {IBAN}"})
        await customer.request("POST", f"{base}/messages", json={"text": f"IBAN {IBAN} " + "x" * 5000})
        await customer.request("POST", f"{base}/messages", data=f'{{"text": "{IBAN}"', headers={
            "Content-Type": "application/json"})
        await customer.request("POST", f"{base}/ticket", json={"email": CUSTOMER_EMAIL, "note": f"IBAN {IBAN}"})
        await customer.request("POST", f"{base}/ticket", json={"email": f"kaputt {CUSTOMER_EMAIL}", "note": IBAN})
        await customer.close()
        await admin.request("GET", f"/api/admin/conversations/{conversation_id}/export")
        await asyncio.sleep(0.5)  # let the bot's background answer be logged if it logs anything
    finally:
        await anonymous.close()
        await admin.close()
    log = app.log()
    assert "INFO" in log or "WARNING" in log, "the scenario must have produced log output to check"
    leaked = [secret for secret in SECRETS if secret in log]
    assert leaked == [], f"in the log: {leaked}"


async def test_hostile_names_messages_and_notes_come_back_as_json_strings(app):
    admin = await admin_client(app.base)
    conversation_id, token = await new_conversation(app.base)
    customer = Customer(app.ws_base, conversation_id, token, name="xss")
    await customer.connect()
    try:
        for number, text in enumerate(XSS):
            await customer.send(f"x{number}", text)
        await customer.wait_acked(10)
        status, body, headers = await admin.request("GET", f"/api/admin/conversations/{conversation_id}/export")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        stored = [m["text"] for m in body["transcript"] if m["sender_type"] == "customer"]
        assert stored == list(XSS), "stored and returned verbatim: escaping is the renderer's job (textContent)"
        status, body, _ = await admin.request("POST", "/api/admin/agents", json={
            "email": "xss@nordwind.test", "display_name": XSS[0], "password": "agenten-passwort-1", "role": "agent"})
        assert status == 201 and body["agent"]["display_name"] == XSS[0]
        status, body, headers = await admin.request("GET", "/api/admin/agents")
        assert headers["Content-Type"].startswith("application/json")
        assert XSS[0] in [agent["display_name"] for agent in body["agents"]]
        assert "nosniff" == headers["X-Content-Type-Options"]
    finally:
        await customer.close()
        await admin.close()


@pytest.mark.parametrize("page", ["/", "/console/", "/console/admin.html", "/trainer"])
async def test_pages_forbid_inline_scripts_and_framing(app, page):
    api = Api(app.base)
    try:
        status, _, headers = await api.request("GET", page)
    finally:
        await api.close()
    assert status == 200, page
    csp = headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith(("script-src", "default-src")))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp or headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in ("no-referrer", "same-origin", "strict-origin-when-cross-origin")
