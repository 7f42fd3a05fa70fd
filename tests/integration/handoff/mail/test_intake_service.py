"""Every corpus mail through the real intake service on SQLite and PostgreSQL: threaded onto the right ticket,
a new ticket, a bounce that marks the address, an auto-reply that reopens nothing, bulk and own mails dropped;
a second delivery is a no-op; replies reopen solved tickets and open follow-ups for closed ones."""
from __future__ import annotations

import secrets
import uuid

import pytest
from sqlalchemy import select

from handoff.mail.addresses import new_reply_token
from handoff.services.mail_intake import receive_mail
from handoff.store import mail as mail_store
from handoff.store import tickets as ticket_store
from handoff.store.tables import mail_outbox, mail_raw, tickets
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.mail.conftest import CORPUS, EXPECTED, WORLD, corpus_world, make_ticket

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_whole_corpus(mail_ctx):
    ctx = mail_ctx
    ids = await corpus_world(ctx)
    for name, expected in sorted(EXPECTED["mails"].items()):
        raw = (CORPUS / name).read_bytes()
        result = await receive_mail(ctx, raw, "smtp")
        kind, want = expected["kind"], expected["thread"]
        if kind in ("own", "bulk"):
            assert result.outcome == f"ignored_{kind}", name
            continue
        if want["ticket"] is not None:
            assert result.ticket_id == ids[want["ticket"]], (name, result)
            assert result.via == want["via"], name
            assert result.outcome in ({"person": "threaded", "auto_reply": "auto_reply", "bounce": "bounce"}[kind],)
            assert not result.acknowledged
        elif kind == "person":
            assert result.outcome == "new_ticket", (name, result)
            assert result.ticket_id not in ids.values()
            assert result.acknowledged is ("no_auto_answer" not in expected), name
        else:   # auto-replies and bounces without a ticket open none
            assert result.ticket_id is None, name
        assert (await receive_mail(ctx, raw, "imap")).outcome == "duplicate", name

    async with ctx.db.connect() as conn:
        assert (await conn.execute(select(mail_raw.c.id))).all().__len__() == len(EXPECTED["mails"])
        # 19: 5.1.1 for jan.becker@web.de, 20: 5.1.10 for another address of Anna; 21 (4.4.1) marks nothing
        assert (await mail_store.undeliverable(conn, "jan.becker@web.de"))["status"] == "5.1.1"
        assert await mail_store.undeliverable(conn, "anna.schmidt@outlook.de") is not None
        # the other customer's mail quoting NW#1234 became a ticket of its own, with a note saying why
        stranger = (await conn.execute(select(tickets).where(tickets.c.email == "peter.wagner@web.de"))).mappings().one()
        notes = [a["text"] for a in await ticket_store.articles_of(conn, stranger["id"], ["note"])]
        assert any("NW#1234" in text and "nicht der Kunde" in text for text in notes)
        anna = [a for a in await ticket_store.articles_of(conn, ids[1234], ["customer"])]
        assert all("Guten Tag Frau Schmidt" not in (a["text"] or "") for a in anna)
        assert any(a["channel"] == "email" and "Barcode" in a["text"] for a in anna)
        # acknowledgements wait in the outbox (no SMTP configured), automatic, to the sender of each new ticket
        acks = (await conn.execute(select(mail_outbox).where(mail_outbox.c.purpose == "acknowledgement"))).mappings().all()
        assert acks and all(row["status"] == "pending" and "Auto-Submitted: auto-generated" in row["raw"]
                            for row in acks)
        assert "service@schreinerei-vogel.de" not in {row["to_address"] for row in acks}   # X-Loop: no answer
        # refused attachment recorded as a note
        nina = (await conn.execute(select(tickets).where(tickets.c.email == "nina.hartmann@web.de"))).mappings().one()
        notes = [a["text"] for a in await ticket_store.articles_of(conn, nina["id"], ["note"])]
        assert any("karton.jpg" in text and "nicht übernommen" in text for text in notes)


def _reply(token: str, message_id: str) -> bytes:
    return (f"From: Anna Schmidt <anna.schmidt@gmail.com>\r\nTo: support+{token}@nordwind.example\r\n"
            f"Subject: Noch eine Frage\r\nMessage-ID: <{message_id}@mail.gmail.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nIst die Gutschrift schon unterwegs?\r\n").encode()


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_reply_reopens_a_solved_ticket_and_opens_a_follow_up_for_a_closed_one(mail_ctx):
    ctx = mail_ctx
    token = new_reply_token()
    solved = await make_ticket(ctx, 700000 + secrets.randbelow(100000), "anna.schmidt@gmx.de", token)
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, solved, status="solved", solved_at=ctx.now())
    result = await receive_mail(ctx, _reply(token, uuid.uuid4().hex), "smtp")
    assert (result.outcome, result.ticket_id, result.via) == ("threaded", solved, "token")
    async with ctx.db.begin() as conn:
        assert (await ticket_store.get_ticket(conn, solved))["status"] == "open"
        await ticket_store.update_ticket(conn, solved, status="closed", closed_at=ctx.now())
    again = await receive_mail(ctx, _reply(token, uuid.uuid4().hex), "smtp")
    assert again.outcome == "follow_up" and again.ticket_id != solved
    async with ctx.db.connect() as conn:
        follow_up = await ticket_store.get_ticket(conn, again.ticket_id)
    assert follow_up["follow_up_of_id"] == solved and follow_up["channel"] == "email"
