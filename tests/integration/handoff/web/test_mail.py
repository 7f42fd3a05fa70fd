"""E-mail through the running app (a real server process) with a real SMTP server (aiosmtpd) on the other side:
a mail into the app's own SMTP receiver opens a ticket and gets an acknowledgement that the outbox sender delivers;
the customer's reply with the token threads back; the transcript goes only to an address typed in the chat; the
agents' mail status says what is set up."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiosmtplib
import pytest

from tests.integration.handoff.mail.smtp_server import SmtpServer, free_port
from tests.integration.handoff.web.conftest import make_admin_api, sqlite_environment
from tests.integration.handoff.web.server import Api, start_server

pytestmark = pytest.mark.integration
CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "mail"


async def _wait_for(handler, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while len(handler.received) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert len(handler.received) >= count, f"{len(handler.received)} of {count} mails arrived"


async def _wait_listening(port: int, timeout: float = 20.0) -> None:
    """The receiver starts with the server's after-start listeners, which may finish after /health answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def test_mail_in_and_out_through_the_running_app(tmp_path):
    smtp = SmtpServer().start()
    intake_port = free_port()
    server = start_server(tmp_path, {
        **sqlite_environment(tmp_path), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none", "MAIL_FROM": "Nordwind Kundenservice <support@nordwind.example>",
        "SMTP_INTAKE_PORT": str(intake_port)})
    admin = customer = None
    try:
        await _wait_listening(intake_port)
        raw = (CORPUS / "08-new-request-plain.eml").read_bytes()
        _, response = await aiosmtplib.send(raw, sender="m.krueger@t-online.de",
                                            recipients=["support@nordwind.example"], hostname="127.0.0.1",
                                            port=intake_port, start_tls=False)
        assert response.endswith("new_ticket")
        await _wait_for(smtp.handler, 1)
        acknowledgement = smtp.handler.received[0].message
        assert acknowledgement["To"].addresses[0].addr_spec == "m.krueger@t-online.de"
        assert acknowledgement["Auto-Submitted"] == "auto-generated"
        assert acknowledgement["Subject"].startswith("[NW#")
        reply_to = acknowledgement["Reply-To"].addresses[0].addr_spec
        assert reply_to.startswith("support+") and reply_to.endswith("@nordwind.example")

        reply = (f"From: Martina Krüger <m.krueger@t-online.de>\r\nTo: {reply_to}\r\n"
                 f"Subject: Re: {acknowledgement['Subject']}\r\nMessage-ID: <reply.1@t-online.de>\r\n"
                 f"In-Reply-To: {acknowledgement['Message-ID']}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                 "Die Sendungsnummer ist 00340434161234567890.\r\n").encode()
        _, response = await aiosmtplib.send(reply, sender="m.krueger@t-online.de", recipients=[reply_to],
                                            hostname="127.0.0.1", port=intake_port, start_tls=False)
        assert response.endswith("threaded")

        admin = await make_admin_api(server)
        status, body, _ = await admin.request("GET", "/api/agent/mail/status")
        assert status == 200 and body["sending_enabled"] and body["note"] is None
        assert body["outbox"]["sent"] == 1 and body["smtp_intake"]
        status, body, _ = await admin.request("GET", "/api/admin/mail/export?email=m.krueger@t-online.de")
        assert status == 200
        [ticket] = body["tickets"]
        assert len(ticket["received"]) == 2 and ticket["sent"][0]["purpose"] == "acknowledgement"
        assert "Sendungsverfolgung" in ticket["received"][0]["raw"]
        status, body, _ = await admin.request("GET", "/api/admin/mail/export")
        assert status == 422
        status, body, _ = await admin.request("DELETE", "/api/admin/mail?email=newsletter@example.de")
        assert status == 200 and body == {"deleted": 0}

        customer = Api(server.base)
        status, started, _ = await customer.request("POST", "/api/widget/conversations")
        assert status == 201
        customer.headers["Authorization"] = f"Bearer {started['token']}"
        path = f"/api/widget/conversations/{started['conversation_id']}"
        status, _, _ = await customer.request("POST", f"{path}/messages", json={
            "client_id": "c1", "text": "Schicken Sie mir das Protokoll bitte an kunde.neu@example.de"})
        assert status in (200, 201)
        status, body, _ = await customer.request("POST", f"{path}/transcript", json={"email": "fremd@example.de"})
        assert status == 422 and "selbst geschrieben" in body["error"]["message"]
        status, body, _ = await customer.request("POST", f"{path}/transcript",
                                                 json={"email": "kunde.neu@example.de"})
        assert status == 202, body
        await _wait_for(smtp.handler, 2)
        transcript = smtp.handler.received[1].message
        assert transcript["To"].addresses[0].addr_spec == "kunde.neu@example.de"
        assert transcript["Auto-Submitted"] == "auto-generated"
        assert "Protokoll bitte an kunde.neu@example.de" in transcript.get_body(("plain",)).get_content()
    finally:
        for api in (admin, customer):
            if api is not None:
                await api.close()
        server.stop()
        smtp.stop()
