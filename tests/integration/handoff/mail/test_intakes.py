"""Both intakes with real servers: mails sent over SMTP (aiosmtplib) into the service's own receiver (aiosmtpd on
the app's loop), and mails appended to a real dovecot mailbox and taken by IMAP polling (imaplib): without TLS, with
STARTTLS and with implicit TLS against a dovecot with a self-signed certificate made by the test."""
from __future__ import annotations

import asyncio
import dataclasses
import imaplib
import ssl

import aiosmtplib
import pytest
from sqlalchemy import select

from handoff.mail.imap_intake import ImapError, poll_once
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
    async with ctx.db.connect() as conn:
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
    async with ctx.db.connect() as conn:
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
    await asyncio.to_thread(_append_blocking, server, names)


def _append_blocking(server, names):
    client = imaplib.IMAP4("127.0.0.1", server.port, timeout=10)
    if server.tls:
        client.starttls(ssl_context=ssl.create_default_context(cafile=str(server.cert_file)))
    try:
        assert client.login(dovecot.USER, dovecot.PASSWORD)[0] == "OK"
        for name in names:
            status, data = client.append("INBOX", None, None, (CORPUS / name).read_bytes())
            assert status == "OK", data
    finally:
        client.logout()


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


@pytest.fixture
def tls_imap_server():
    if not dovecot.available():
        pytest.skip(f"dovecot is not installed ({dovecot.DOVECOT}); apt-get install dovecot-imapd "
                    "(requirements/debian.txt)")
    server = dovecot.Dovecot(tls=True).start()
    yield server
    server.stop()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_imap_polling_over_tls(ctx, tls_imap_server, monkeypatch, security):
    server = tls_imap_server
    port = server.port if security == "starttls" else server.tls_port
    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=port, imap_security=security,
                                   imap_username=dovecot.USER, imap_password=dovecot.PASSWORD)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    await _append(server, [NEW_REQUEST])
    # the certificate is self-signed: not trusted, so the poll stops before the login and takes nothing
    with pytest.raises(ImapError) as untrusted:
        await poll_once(ctx, settings)
    assert "Verbindung" in str(untrusted.value) and "CERTIFICATE_VERIFY_FAILED" in str(untrusted.value)
    assert await _tickets_by_email(ctx) == {}
    logins_before = _logins(server)
    # trusted as a company's own CA would be (OpenSSL's default verify file)
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert_file))
    assert await poll_once(ctx, settings) == 1
    # dovecot counts 127.0.0.1 as secure and would take a plain login too: its log shows the poll's was over TLS
    new_logins = await _new_logins(server, logins_before)
    assert len(new_logins) == 1 and ", TLS," in new_logins[0] and f"user=<{dovecot.USER}>" in new_logins[0]
    assert await poll_once(ctx, settings) == 0
    assert (await _tickets_by_email(ctx))["m.krueger@t-online.de"]["channel"] == "email"


def _logins(server) -> list[str]:
    return [line for line in (server.base / "dovecot.log").read_text(errors="replace").splitlines()
            if "imap-login: Info: Login: " in line]


async def _new_logins(server, before: list[str]) -> list[str]:
    for _ in range(50):        # dovecot's log process writes a moment later
        if len(_logins(server)) > len(before):
            break
        await asyncio.sleep(0.1)
    return _logins(server)[len(before):]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_imap_login_with_a_password_that_is_not_ascii(ctx, imap_server):
    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=imap_server.port,
                                   imap_security="none", imap_username=dovecot.UMLAUT_USER,
                                   imap_password=dovecot.UMLAUT_PASSWORD)
    assert await poll_once(ctx, settings) == 0           # logged in (SASL PLAIN, UTF-8), an empty mailbox
    wrong = dataclasses.replace(settings, imap_password="Grüße-falsch-0000")
    with pytest.raises(ImapError) as error:
        await poll_once(ctx, wrong)
    assert "Anmeldung" in str(error.value) and "Grüße-falsch" not in str(error.value)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_folder_with_a_space_and_an_umlaut(ctx, imap_server):
    folder = "Kunden Rückfragen"
    settings = dataclasses.replace(CORPUS_MAIL, imap_host="127.0.0.1", imap_port=imap_server.port,
                                   imap_security="none", imap_username=dovecot.USER, imap_password=dovecot.PASSWORD,
                                   imap_folder=folder)
    ctx.config = dataclasses.replace(ctx.config, mail=settings)
    with pytest.raises(ImapError) as missing:
        await poll_once(ctx, settings)
    assert f"Ordner {folder}" in str(missing.value)

    def create_and_fill():
        client = imaplib.IMAP4("127.0.0.1", imap_server.port, timeout=10)
        try:
            client.login(dovecot.USER, dovecot.PASSWORD)
            assert client.create('"Kunden R&APw-ckfragen"')[0] == "OK"
            status, data = client.append('"Kunden R&APw-ckfragen"', None, None, (CORPUS / NEW_REQUEST).read_bytes())
            assert status == "OK", data
        finally:
            client.logout()

    await asyncio.to_thread(create_and_fill)
    assert await poll_once(ctx, settings) == 1
    assert "m.krueger@t-online.de" in await _tickets_by_email(ctx)
