"""E-mail integration fixtures: a service context whose mail settings match the corpus world
(tests/fixtures/mail/expected.json), and helpers that put the corpus's tickets into a real database."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from handoff.services import tickets as ticket_service
from handoff.settings import MailSettings
from handoff.store.migrate import upgrade
from handoff.store import mail as mail_store
from handoff.store import tickets as ticket_store
from tests.integration.handoff.mail.smtp_server import SmtpServer

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "mail"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
WORLD = EXPECTED["world"]
CORPUS_MAIL = MailSettings(mail_from="Nordwind Kundenservice <support@nordwind.example>",
                           reply_domain="nordwind.example", max_attachment_bytes=WORLD["attachment_limit_bytes"],
                           max_mail_bytes=10_000_000)


@pytest.fixture
def database_url(request, tmp_path, postgres_databases):
    """A fresh migrated database per test, on PostgreSQL too: the outbox sender delivers every due mail in the
    database, so mails left by another test would be counted."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    else:
        url = postgres_databases.create()
    upgrade(url)
    return url


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) that keeps what it receives."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_ctx(ctx):
    ctx.config = dataclasses.replace(ctx.config, mail=CORPUS_MAIL)
    return ctx


async def make_ticket(ctx, number: int, email: str, token: str | None = None,
                      message_ids: tuple[str, ...] = (), subject: str = "Ihre Rücksendung") -> str:
    """A ticket of the corpus world: its number, customer address, reply token and our Message-IDs."""
    view = await ticket_service.create_ticket(ctx, kind="email", channel="email", text="Erste Nachricht",
                                              email=email, subject=subject)
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, view.id, number=number)
        if token:
            await mail_store.insert_token(conn, token, view.id, ctx.now())
        for message_id in message_ids:
            await mail_store.add_message_id(conn, message_id, view.id, "out", ctx.now())
    return view.id


async def corpus_world(ctx) -> dict[int, str]:
    ids = {}
    for ticket in WORLD["tickets"]:
        ids[ticket["number"]] = await make_ticket(ctx, ticket["number"], ticket["customer_email"], ticket["token"],
                                                  tuple(ticket["message_ids"]))
    return ids
