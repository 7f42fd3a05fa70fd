"""The outbox and its sender against a real SMTP server (aiosmtpd on a free port), on SQLite and PostgreSQL:
headers and encodings as received, an outage that delays and loses nothing (each mail arrives once), a permanent
refusal that marks the address undeliverable, and N failures that leave a note and reopen the ticket."""
from __future__ import annotations

import dataclasses
import secrets
from types import SimpleNamespace

import pytest

from handoff.mail.outbox import SmtpTransport, deliver_due
from handoff.services.mail_intake import receive_mail
from handoff.services.mail_outbox import enqueue_answer_in, enqueue_ticket_mail_in
from handoff.services.unit_of_work import unit_of_work
from handoff.store import mail as mail_store
from handoff.store import tickets as ticket_store
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.mail.conftest import CORPUS_MAIL, make_ticket
from tests.integration.handoff.mail.smtp_server import SmtpServer

pytestmark = pytest.mark.integration


def _sending(ctx, port: int, **changes):
    settings = dataclasses.replace(CORPUS_MAIL, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                                   smtp_timeout_seconds=5, retry_seconds=30, **changes)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    return SmtpTransport(settings)


async def _ticket(ctx, email="anna.schmidt@gmx.de") -> str:
    return await make_ticket(ctx, 800000 + secrets.randbelow(100000), email, subject="AW: Rücksendung Jacke")


async def _answer(ctx, ticket_id: str, text: str):
    async with unit_of_work(ctx) as uow:
        ticket = await ticket_store.get_ticket(uow.conn, ticket_id)
        article = SimpleNamespace(id=None, text=text)
        return await enqueue_answer_in(uow, ctx, ticket, article)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_answer_arrives_with_reference_token_threading_headers_and_both_parts(ctx, smtp):
    transport = _sending(ctx, smtp.port)
    ticket_id = await _ticket(ctx)
    async with ctx.db.begin() as conn:   # the customer's mail on this ticket, to be answered
        await mail_store.add_message_id(conn, "<frage.1@gmx.de>", ticket_id, "in", ctx.now())
    enqueued = await _answer(ctx, ticket_id, "Guten Tag Frau Schmidt,\n\ndie Gutschrift über 49,90 € ist veranlasst.")
    assert await deliver_due(ctx, transport) == 1
    [mail] = smtp.handler.received
    message = mail.message
    async with ctx.db.connect() as conn:
        ticket = await ticket_store.get_ticket(conn, ticket_id)
        token = await mail_store.token_of_ticket(conn, ticket_id)
        row = await mail_store.get_outbox(conn, enqueued.outbox_id)
        history = await ticket_store.articles_of(conn, ticket_id, ["system"])
    assert mail.mail_from == "support@nordwind.example" and mail.rcpt_tos == ["anna.schmidt@gmx.de"]
    assert message["Subject"] == f"[NW#{ticket['number']}] Rücksendung Jacke"
    assert message["Message-ID"] == enqueued.message_id and enqueued.message_id.endswith("@nordwind.example>")
    assert message["Reply-To"].addresses[0].addr_spec == f"support+{token}@nordwind.example"
    assert len(token) == 32
    assert message["In-Reply-To"] == "<frage.1@gmx.de>" and "<frage.1@gmx.de>" in message["References"]
    assert message["Auto-Submitted"] is None
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert "Gutschrift über 49,90 € ist veranlasst" in plain.get_content()
    assert f"NW#{ticket['number']}" in plain.get_content()
    assert "<p>Guten Tag Frau Schmidt,</p>" in html.get_content()
    assert mail.data.isascii()
    assert row["status"] == "sent" and row["attempts"] == 1
    assert any("versandt" in (a["text"] or "") and a["channel"] == "email" for a in history)
    # The customer's reply to that mail threads back by its token.
    reply = (f"From: Anna Schmidt <anna.schmidt@gmail.com>\r\nTo: support+{token}@nordwind.example\r\n"
             f"Subject: Re: {message['Subject']}\r\nMessage-ID: <r.{secrets.token_hex(4)}@gmail.com>\r\n\r\n"
             "Danke!\r\n").encode()
    assert (await receive_mail(ctx, reply, "smtp")).ticket_id == ticket_id


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_smtp_down_then_up_every_mail_arrives_exactly_once(ctx):
    server = SmtpServer()                       # not started: connection refused
    transport = _sending(ctx, server.port)
    ticket_ids = [await _ticket(ctx, f"kunde{n}.{secrets.token_hex(3)}@web.de") for n in range(3)]
    sent_ids = [(await _answer(ctx, ticket_id, f"Antwort {n}")).message_id for n, ticket_id in enumerate(ticket_ids)]
    assert await deliver_due(ctx, transport) == 0
    assert await deliver_due(ctx, transport) == 0           # backed off: nothing due yet
    async with ctx.db.connect() as conn:
        rows = [await mail_store.get_outbox(conn, i) for i in await mail_store.due_outbox_ids(
            conn, ctx.now().replace(year=2100), ctx.now(), 100)]
    assert {row["message_id"] for row in rows} >= set(sent_ids)
    assert all(row["status"] == "pending" and row["attempts"] == 1 and "nicht erreichbar" in row["last_error"]
               for row in rows if row["message_id"] in sent_ids)
    server.start()
    try:
        ctx.clock.advance(seconds=31)
        assert await deliver_due(ctx, transport) == 3
        ctx.clock.advance(hours=2)
        assert await deliver_due(ctx, transport) == 0      # nothing twice
        assert sorted(server.handler.message_ids()) == sorted(sent_ids)
    finally:
        server.stop()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_permanent_refusal_marks_the_address_and_stops_retrying(ctx, smtp):
    transport = _sending(ctx, smtp.port)
    address = f"weg.{secrets.token_hex(3)}@web.de"
    smtp.handler.refused[address] = "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
    ticket_id = await _ticket(ctx, address)
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, ticket_id, status="solved", solved_at=ctx.now())
    first = await _answer(ctx, ticket_id, "Erste Antwort")
    second = await _answer(ctx, ticket_id, "Zweite Antwort")
    await deliver_due(ctx, transport)
    async with ctx.db.connect() as conn:
        assert (await mail_store.get_outbox(conn, first.outbox_id))["status"] == "undeliverable"
        assert (await mail_store.get_outbox(conn, second.outbox_id))["status"] == "undeliverable"
        assert (await mail_store.undeliverable(conn, address))["status"] == "5.1.1"
        ticket = await ticket_store.get_ticket(conn, ticket_id)
        notes = [a["text"] for a in await ticket_store.articles_of(conn, ticket_id, ["note"])]
    assert ticket["status"] == "open"                      # reopened: a person must reach the customer otherwise
    assert any("unzustellbar" in text for text in notes)
    assert smtp.handler.received == []
    assert await _answer(ctx, ticket_id, "Dritte Antwort") is None   # nothing more is queued for it


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_after_the_last_attempt_the_ticket_gets_a_note_and_opens_again(ctx):
    server = SmtpServer()
    transport = _sending(ctx, server.port, max_attempts=3)
    ticket_id = await _ticket(ctx)
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, ticket_id, status="pending", pending_since=ctx.now(),
                                         pending_until=ctx.now().replace(year=2100))
    enqueued = await _answer(ctx, ticket_id, "Antwort")
    for _ in range(3):
        await deliver_due(ctx, transport)
        ctx.clock.advance(hours=1, seconds=1)
    async with ctx.db.connect() as conn:
        row = await mail_store.get_outbox(conn, enqueued.outbox_id)
        attempts = await mail_store.attempts_of(conn, enqueued.outbox_id)
        ticket = await ticket_store.get_ticket(conn, ticket_id)
        notes = [a["text"] for a in await ticket_store.articles_of(conn, ticket_id, ["note"])]
    assert row["status"] == "failed" and row["attempts"] == 3
    assert [a["outcome"] for a in attempts] == ["retry", "retry", "permanent"]
    assert ticket["status"] == "open"
    assert any("nach 3 Versuchen nicht versandt" in text for text in notes)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_mail_waits_in_the_outbox_without_smtp_settings(ctx):
    ctx.config = dataclasses.replace(ctx.config, mail=CORPUS_MAIL)
    ticket_id = await _ticket(ctx)
    async with unit_of_work(ctx) as uow:
        ticket = await ticket_store.get_ticket(uow.conn, ticket_id)
        enqueued = await enqueue_ticket_mail_in(uow, ctx, ticket, purpose="answer", text="Hallo")
    async with ctx.db.connect() as conn:
        assert (await mail_store.get_outbox(conn, enqueued.outbox_id))["status"] == "pending"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_name_with_line_breaks_cannot_reach_a_header(ctx, smtp):
    transport = _sending(ctx, smtp.port)
    ticket_id = await _ticket(ctx)
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, ticket_id, customer_name="Anna\r\nBcc: opfer@example.com")
    await _answer(ctx, ticket_id, "Hallo")
    assert await deliver_due(ctx, transport) == 1
    [mail] = smtp.handler.received
    assert mail.rcpt_tos == ["anna.schmidt@gmx.de"] and mail.message["Bcc"] is None
    assert mail.message["To"].addresses[0].display_name == "Anna Bcc: opfer@example.com"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_old_address_that_is_no_address_gets_no_mail_and_breaks_nothing(ctx):
    ctx.config = dataclasses.replace(ctx.config, mail=CORPUS_MAIL)
    ticket_id = await _ticket(ctx)
    async with ctx.db.begin() as conn:   # stored before addresses were validated as strictly as now
        await ticket_store.update_ticket(conn, ticket_id, email="kunde@localhost")
    assert await _answer(ctx, ticket_id, "Hallo") is None
