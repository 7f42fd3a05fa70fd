"""Mail bodies and addresses under the privacy rules, on SQLite and PostgreSQL: deleting a ticket deletes its
mails (outbox, raw mails, tokens, Message-IDs), erasure by address, retention of mails outside tickets, export,
REDACT_TRANSCRIPTS, and refused attachments not kept in the stored raw mail."""
from __future__ import annotations

import dataclasses
import pytest
from sqlalchemy import func, select

from handoff.services import mail_privacy
from handoff.services.mail_intake import receive_mail
from handoff.store import tickets as ticket_store
from handoff.store.tables import mail_message_ids, mail_outbox, mail_raw, mail_reply_tokens
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.mail.conftest import CORPUS

pytestmark = pytest.mark.integration
RETENTION_DAYS = 90


async def _count(ctx, table) -> int:
    async with ctx.db.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_delete_export_erase_and_retention(mail_ctx):
    ctx = mail_ctx
    created = await receive_mail(ctx, (CORPUS / "08-new-request-plain.eml").read_bytes(), "smtp")
    await receive_mail(ctx, (CORPUS / "22-newsletter-bulk.eml").read_bytes(), "smtp")    # no ticket
    exported = await mail_privacy.export_address_mail(ctx, "m.krueger@t-online.de")
    assert exported[0]["received"][0]["raw"].startswith("Return-Path: <m.krueger@t-online.de>")
    assert exported[0]["sent"][0]["to"] == "m.krueger@t-online.de"   # the acknowledgement, as composed
    assert await _count(ctx, mail_outbox) == 1 and await _count(ctx, mail_reply_tokens) == 1

    async with ctx.db.begin() as conn:
        assert await ticket_store.delete_ticket(conn, created.ticket_id)
    for table in (mail_outbox, mail_reply_tokens, mail_message_ids):
        assert await _count(ctx, table) == 0, table.name
    async with ctx.db.connect() as conn:
        senders = [row.sender for row in await conn.execute(select(mail_raw.c.sender))]
    assert senders == ["newsletter@elektro-versand.example"]    # only the mail outside any ticket is left

    ctx.clock.advance(days=RETENTION_DAYS - 1)
    assert await mail_privacy.purge_expired_mail(ctx, RETENTION_DAYS) == 0
    ctx.clock.advance(days=2)
    assert await mail_privacy.purge_expired_mail(ctx, RETENTION_DAYS) == 1
    assert await _count(ctx, mail_raw) == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_erase_address_removes_mails_outside_tickets(mail_ctx):
    ctx = mail_ctx
    await receive_mail(ctx, (CORPUS / "23-mailing-list-html.eml").read_bytes(), "imap")
    assert await mail_privacy.erase_address(ctx, "haendlerforum@lists.example.org") == 1
    assert await _count(ctx, mail_raw) == 0


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_redaction_and_refused_attachments_are_not_stored(mail_ctx):
    ctx = dataclasses.replace(mail_ctx, config=dataclasses.replace(mail_ctx.config, redact_transcripts=True))
    result = await receive_mail(ctx, (CORPUS / "11-base64-utf8.eml").read_bytes(), "smtp")
    async with ctx.db.connect() as conn:
        [article] = await ticket_store.articles_of(conn, result.ticket_id, ["customer"])
        [raw] = (await conn.execute(select(mail_raw.c.raw).where(mail_raw.c.ticket_id == result.ticket_id))).all()
    assert "Sophie Lehmann" not in article["text"] and "DSGVO" in article["text"]
    assert b"REDACT_TRANSCRIPTS" in raw.raw and b"Content-Transfer-Encoding: base64\r\n\r\n\r\n[" not in raw.raw
    assert b"SGFsbG8g" not in raw.raw    # the base64 body is gone

    result = await receive_mail(mail_ctx, (CORPUS / "32-attachments-oversized.eml").read_bytes(), "smtp")
    async with mail_ctx.db.connect() as conn:
        [raw] = (await conn.execute(select(mail_raw.c.raw).where(mail_raw.c.ticket_id == result.ticket_id))).all()
    assert len(raw.raw) < 2000 and "Lieferschein" in bytes(raw.raw).decode("utf-8", "replace")
