"""The chat transcript asked for in the chat, end to end: the product itself (`python -m handoff serve` with the
real trained bot in its bot process) and a real SMTP server (aiosmtpd). The customer types their address, later asks
for the transcript in German, confirms the address the bot proposes, and the mail arrives there; an address only
mentioned by the bot is never used."""
from __future__ import annotations

import asyncio
import time

import pytest

from tests.integration.handoff.mail.smtp_server import SmtpServer
from tests.integration.handoff.web.conftest import sqlite_environment
from tests.integration.handoff.web.server import Api, RunningServer, start_server

pytestmark = [pytest.mark.integration, pytest.mark.model]
PRODUCT = ("-m", "handoff", "serve")
READY_SECONDS = 120.0


async def _wait_ready(server: RunningServer) -> None:
    """`/health` answers before the bot process has loaded the model; `/ready` says when it has."""
    api = Api(server.base)
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            status, body, _ = await api.request("GET", "/ready")
            if status == 200 and body.get("model"):
                return
            assert time.monotonic() < deadline, f"the bot did not load: {body}\n{server.log()[-3000:]}"
            await asyncio.sleep(0.5)
    finally:
        await api.close()


async def _wait_for(handler, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while len(handler.received) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert len(handler.received) >= count, f"{len(handler.received)} of {count} mails arrived"


async def test_the_customer_asks_in_german_and_the_transcript_arrives_at_the_address_they_typed(
        tmp_path, trained_model_path):
    smtp = SmtpServer().start()
    server = start_server(tmp_path, {
        **sqlite_environment(tmp_path), "MODEL_PATH": str(trained_model_path), "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port), "SMTP_SECURITY": "none",
        "MAIL_FROM": "Nordwind Kundenservice <support@nordwind.example>"}, command=PRODUCT)
    customer = Api(server.base)
    try:
        await _wait_ready(server)
        status, started, _ = await customer.request("POST", "/api/widget/conversations")
        assert status == 201
        customer.headers["Authorization"] = f"Bearer {started['token']}"
        path = f"/api/widget/conversations/{started['conversation_id']}/messages"

        async def say(client_id: str, text: str) -> list[dict]:
            status, body, _ = await customer.request("POST", path, json={"client_id": client_id, "text": text})
            assert status == 200, body
            return body["replies"]

        await say("c1", "Hallo, wo ist meine Bestellung NW-482913? Meine Mail ist jana.vogt@web.de")
        [question] = await say("c2", "Können Sie mir den Chatverlauf per Mail schicken?")
        assert question["text"] == "Soll ich den Verlauf dieses Chats an jana.vogt@web.de schicken?"
        assert [button["payload"] for button in question["buttons"]] == ["/affirm", "/deny"]
        [answer] = await say("c3", "/affirm")
        assert answer["text"].startswith("Ich habe den Verlauf an j…@web.de geschickt.")

        await _wait_for(smtp.handler, 1)
        [mail] = [received.message for received in smtp.handler.received]
        assert mail["To"].addresses[0].addr_spec == "jana.vogt@web.de"
        assert mail["Auto-Submitted"] == "auto-generated" and mail["Subject"] == "Ihr Chatprotokoll"
        body = mail.get_body(("plain",)).get_content()
        assert "Sie: Können Sie mir den Chatverlauf per Mail schicken?" in body
        assert "Assistent: Soll ich den Verlauf dieses Chats an jana.vogt@web.de schicken?" in body

        # The shop's own address, which the bot's answers mention, is never proposed as the customer's.
        await say("c4", "Wie erreiche ich euch per E-Mail?")
        replies = await say("c5", "Schicken Sie mir das Gespräch bitte noch einmal per Mail")
        assert "service@nordwind-versand.de" not in replies[0]["text"]
        assert "jana.vogt@web.de" in replies[0]["text"]
    finally:
        await customer.close()
        server.stop()
        smtp.stop()
