"""Both intakes with real servers: mails sent over SMTP (aiosmtplib) into the service's own receiver (aiosmtpd on
the app's loop), and mails appended to a real dovecot mailbox and taken by IMAP polling (aioimaplib)."""
from __future__ import annotations

import dataclasses

import aioimaplib
import aiosmtplib
import pytest
from sqlalchemy import select

from handoff.mail.imap_intake import poll_once
from handoff.mail.smtp_intake import start_smtp_intake
from handoff.store.tables import mail_raw, tickets
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.mail import dovecot
from tests.integration.handoff.mail.conftest import CORPUS, CORPUS_MAIL
from tests.integration.handoff.mail.smtp_server import free_port

pytestmark = pytest.mark.integration

NEW_REQUEST = "08-new-request-plain.eml"
HTML_ONLY = "14-html-only.eml"
NEWSLETTER = "22-newsletter-bulk.eml"


async def _tickets_by_email(ctx) -> dict[str, dict]:
    async with ctx.engine.connect() as conn:
        rows = (await conn.execute(select(tickets))).mappings().all()
    return {row["email"]: dict(row) for row in rows}


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_smtp_receiver_opens_tickets_refuses_relay_and_oversized_mail(ctx):
    settings = dataclasses.replace(CORPUS_MAIL, intake_port=free_port(), max_mail_bytes=20_000)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    server = await start_smtp_intake(ctx, settings)
    try:
        for name in (NEW_REQUEST, HTML_ONLY, NEWSLETTER):
            raw = (CORPUS / name).read_bytes()
            errors, response = await aiosmtplib.send(raw, sender="kunde@example.de",
                                                     recipients=["support@nordwind.example"], hostname="127.0.0.1",
                                                     port=settings.intake_port, start_tls=False)
            assert errors == {} and response.startswith("2.0.0 Ok"), response
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
            await aiosmtplib.send(b"Subject: x\r\n\r\nx", sender="a@example.de", recipients=["opfer@example.com"],
                                  hostname="127.0.0.1", port=settings.intake_port, start_tls=False)
        with pytest.raises(aiosmtplib.SMTPResponseException) as too_big:
            await aiosmtplib.send(b"Subject: gross\r\n\r\n" + b"x" * 30_000, sender="a@example.de",
                                  recipients=["support@nordwind.example"], hostname="127.0.0.1",
                                  port=settings.intake_port, start_tls=False)
        assert too_big.value.code == 552
    finally:
        server.close()
        await server.wait_closed()
    by_email = await _tickets_by_email(ctx)
    assert by_email["m.krueger@t-online.de"]["channel"] == "email"
    assert by_email["m.krueger@t-online.de"]["kind"] == "email"
    assert "gebrochenen Display" in by_email["t.bauer@firma-bauer.de"]["note"]
    assert "newsletter@elektro-versand.example" not in by_email
    async with ctx.engine.connect() as conn:
        paths = [row.raw[:40] for row in await conn.execute(select(mail_raw.c.raw))]
    assert all(path.startswith(b"Return-Path: <kunde@example.de>") for path in paths)


@pytest.fixture
def imap_server():
    if not dovecot.available():
        pytest.skip(f"dovecot is not installed ({dovecot.DOVECOT}); apt-get install dovecot-imapd "
                    "(requirements/debian.txt)")
    server = dovecot.Dovecot().start()
    yield server
    server.stop()


async def _append(server, names):
    client = aioimaplib.IMAP4(host="127.0.0.1", port=server.port, timeout=10)
    await client.wait_hello_from_server()
    assert (await client.login(dovecot.USER, dovecot.PASSWORD)).result == "OK"
    for name in names:
        response = await client.append((CORPUS / name).read_bytes(), mailbox="INBOX")
        assert response.result == "OK", response
    await client.logout()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_imap_polling_takes_each_unseen_mail_once(ctx, imap_server):
    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=imap_server.port,
                                   imap_security="none", imap_username=dovecot.USER, imap_password=dovecot.PASSWORD)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    await _append(imap_server, [NEW_REQUEST, HTML_ONLY, "10-windows-1252-8bit.eml"])
    assert await poll_once(ctx, settings) == 3
    assert await poll_once(ctx, settings) == 0          # flagged \Seen: not taken again
    await _append(imap_server, [NEW_REQUEST])           # the same mail delivered twice: a duplicate, no ticket
    assert await poll_once(ctx, settings) == 0
    by_email = await _tickets_by_email(ctx)
    assert "Großbeerenstraße 12" in by_email["joerg.weiss@web.de"]["note"]
    assert by_email["joerg.weiss@web.de"]["subject"] == "Adressänderung"
    assert len([e for e in by_email if e == "m.krueger@t-online.de"]) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_wrong_imap_password_is_a_clear_error_without_the_password(ctx, imap_server):
    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=imap_server.port,
                                   imap_security="none", imap_username=dovecot.USER, imap_password="falsch-123456")
    with pytest.raises(Exception) as error:
        await poll_once(ctx, settings)
    assert "Anmeldung" in str(error.value) and "falsch-123456" not in str(error.value)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_mail_that_fails_stays_unseen_and_does_not_hold_up_the_others(ctx, imap_server, monkeypatch):
    from handoff.mail import imap_intake

    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=imap_server.port,
                                   imap_security="none", imap_username=dovecot.USER, imap_password=dovecot.PASSWORD)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    await _append(imap_server, ["10-windows-1252-8bit.eml", NEW_REQUEST])
    real = imap_intake.receive_mail

    async def database_gone_for_one_mail(service_ctx, raw, source):
        if b"Adress" in raw:   # the first mail: its transaction fails (as when the database is briefly away)
            raise ConnectionError("database unavailable")
        return await real(service_ctx, raw, source)

    monkeypatch.setattr(imap_intake, "receive_mail", database_gone_for_one_mail)
    assert await poll_once(ctx, settings) == 1          # the second mail went through
    monkeypatch.setattr(imap_intake, "receive_mail", real)
    assert await poll_once(ctx, settings) == 1          # the failed one was left unseen and is taken now
    assert await poll_once(ctx, settings) == 0
    assert {"joerg.weiss@web.de", "m.krueger@t-online.de"} <= set(await _tickets_by_email(ctx))
