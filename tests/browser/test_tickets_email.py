"""E-mail in Chromium (issue 16): a customer's mail reaches the app's own SMTP receiver and becomes a ticket; an
agent answers it in the console; the answer arrives at a real SMTP server (aiosmtpd) with the reference and the
reply token; the customer's reply, sent to that token, appears live in the open ticket."""
from __future__ import annotations

import smtplib
import socket
import time
from typing import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, REPO_ROOT, SERVER_START_SECONDS, UI_TIMEOUT_MS, _free_port, \
    running_server
from tests.browser.pages import ConsolePage
from tests.browser.test_tickets import keep, row_for, tickets_view
from tests.integration.handoff.mail.smtp_server import SmtpServer

CORPUS = REPO_ROOT / "tests" / "fixtures" / "mail"
ANSWER = "Guten Tag Frau Krüger, wir haben bei DHL einen Nachforschungsauftrag für Bestellung 100812 gestellt."
REPLY = "Vielen Dank! Der Nachbar hat das Paket doch noch gefunden."


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def intake_port() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp_sink, intake_port) -> Iterator[str]:
    """This module's own app: the browser package's server plus SMTP to the sink and the SMTP receiver."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    database = tmp_path_factory.mktemp("browser-mail") / "handoff.db"
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_sink.port), "SMTP_SECURITY": "none",
            "MAIL_FROM": "Nordwind Kundenservice <support@nordwind.example>",
            "SMTP_INTAKE_PORT": str(intake_port)}
    with running_server(database, mail) as (base_url, log_path):
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:   # the SMTP receiver starts with the after-start jobs, possibly after /health answers
            try:
                socket.create_connection(("127.0.0.1", intake_port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the SMTP receiver did not start:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.1)
        yield base_url


def _send(port: int, raw: bytes, sender: str, recipient: str) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:   # a real SMTP client, like a forwarding MX
        client.sendmail(sender, [recipient], raw)


def _wait_for_mail(sink: SmtpServer, predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in sink.handler.received:
            if predicate(mail.message):
                return mail.message
        time.sleep(0.2)
    raise AssertionError(f"no such mail among {len(sink.handler.received)} received")


def test_agent_answers_by_mail_and_the_reply_appears_live(new_page, agent_account, smtp_sink, intake_port,
                                                          screenshots):
    console = ConsolePage(new_page()).login(agent_account)
    view = tickets_view(console)
    _send(intake_port, (CORPUS / "08-new-request-plain.eml").read_bytes(), "m.krueger@t-online.de",
          "support@nordwind.example")
    row = row_for(view, "Bestellung 100812")
    expect(row).to_have_count(1, timeout=UI_TIMEOUT_MS)           # live: a new ticket from a mail
    expect(row).to_contain_text("E-Mail")
    acknowledgement = _wait_for_mail(smtp_sink, lambda m: m["Auto-Submitted"] == "auto-generated")
    assert acknowledgement["To"].addresses[0].addr_spec == "m.krueger@t-online.de"

    row.get_by_role("button").click()
    detail = view.locator(".ticket-detail")
    expect(detail.locator(".article--customer")).to_contain_text("Sendungsverfolgung")
    detail.locator(".ticket-actions").get_by_role("button", name="Übernehmen").click()
    expect(detail.locator(".status")).to_have_text("offen")
    detail.get_by_label("Antwort oder Notiz").fill(ANSWER)
    detail.get_by_role("button", name="Antworten").click()
    expect(detail.locator(".article--reply")).to_contain_text(ANSWER, timeout=UI_TIMEOUT_MS)

    answer = _wait_for_mail(smtp_sink, lambda m: m["Auto-Submitted"] is None)
    reference = answer["Subject"].split("]")[0].lstrip("[")
    assert reference.startswith("NW#") and reference in detail.locator("h2").inner_text()
    assert "Nachforschungsauftrag" in answer.get_body(("plain",)).get_content()
    reply_to = answer["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("support+")
    expect(detail.locator(".ticket-mail")).to_contain_text("versandt", timeout=30_000)

    reply = (f"From: =?utf-8?q?Martina_Kr=C3=BCger?= <m.krueger@t-online.de>\r\nTo: {reply_to}\r\n"
             f"Subject: Re: {answer['Subject']}\r\nMessage-ID: <antwort.1@t-online.de>\r\n"
             f"In-Reply-To: {answer['Message-ID']}\r\nMIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
             f"{REPLY}\r\n\r\nAm 04.12.2026 um 15:00 schrieb Nordwind Kundenservice <{reply_to}>:\r\n"
             f"> {ANSWER}\r\n").encode()
    _send(intake_port, reply, "m.krueger@t-online.de", reply_to)
    customer_articles = detail.locator(".article--customer")
    expect(customer_articles.filter(has_text=REPLY)).to_have_count(1, timeout=UI_TIMEOUT_MS)   # live, no reload
    expect(customer_articles.filter(has_text=REPLY)).not_to_contain_text("schrieb Nordwind")
    console.page.screenshot(path=str(screenshots / "tickets-email.png"))
    keep(screenshots, "tickets-email.png")
    assert not console.watch.errors and not console.watch.missing_assets
