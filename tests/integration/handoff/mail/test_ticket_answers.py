"""E-mail plugged into the ticket use cases (issue 14's hooks), on SQLite and PostgreSQL, with a real SMTP server:
the widget's contact form gets the acknowledgement; an agent's answer goes out as a mail from the outbox written in
the answer's own transaction (and not at all when the answer is refused); the customer's reply comes back to the
ticket and reopens it once solved."""
from __future__ import annotations

import pytest

from handoff.mail.outbox import deliver_due
from handoff.services import conversations, customer, ticket_actions
from handoff.services.mail_intake import receive_mail
from handoff.services.ticket_lifecycle import TicketTransitionRefused
from handoff.store import mail as mail_store
from handoff.store import tickets as ticket_store
from tests.integration.handoff.conftest import BACKENDS, insert_agents
from tests.integration.handoff.mail.test_outbox import _sending

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_widget_ticket_acknowledged_answered_by_mail_and_the_reply_comes_back(ctx, smtp):
    transport = _sending(ctx, smtp.port)
    [agent_id] = await insert_agents(ctx, 1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    ticket = await customer.leave_ticket(ctx, conversation.id, "Anna.Schmidt@GMX.de", "Meine Jacke ist zu klein.")
    assert await deliver_due(ctx, transport) == 1
    acknowledgement = smtp.handler.received[0].message
    assert acknowledgement["Auto-Submitted"] == "auto-generated"
    assert "Vorgangsnummer NW#" in acknowledgement.get_body(("plain",)).get_content()
    assert smtp.handler.received[0].rcpt_tos == ["Anna.Schmidt@gmx.de"]

    view, article = await ticket_actions.answer(ctx, ticket.id, agent_id, "Gern tauschen wir sie um: Größe L ist "
                                                "unterwegs.")
    assert article.meta["delivered_via"] == ["widget", "email"]
    assert await deliver_due(ctx, transport) == 1
    answer = smtp.handler.received[1].message
    assert answer["Auto-Submitted"] is None
    assert answer["Subject"].startswith(f"[{view.reference}]")
    assert answer["References"].split()[0] == acknowledgement["Message-ID"]   # one thread for the customer
    assert "Größe L ist unterwegs" in answer.get_body(("plain",)).get_content()
    async with ctx.db.connect() as conn:
        [row] = [r for r in await mail_store.outbox_of_ticket(conn, ticket.id) if r["purpose"] == "answer"]
    assert row["article_id"] == article.id and row["status"] == "sent"

    await ticket_actions.solve(ctx, ticket.id, agent_id)
    token = answer["Reply-To"].addresses[0].addr_spec
    reply = (f"From: Anna Schmidt <anna.schmidt@gmx.de>\r\nTo: {token}\r\nSubject: Re: {answer['Subject']}\r\n"
             f"Message-ID: <danke.{ticket.id[:8]}@gmx.de>\r\nIn-Reply-To: {answer['Message-ID']}\r\n\r\n"
             "Passt jetzt, danke! Nur die Rechnung fehlt noch.\r\n").encode()
    result = await receive_mail(ctx, reply, "smtp")
    assert (result.outcome, result.ticket_id, result.via) == ("threaded", ticket.id, "token")
    async with ctx.db.connect() as conn:
        stored = await ticket_store.get_ticket(conn, ticket.id)
        texts = [a["text"] for a in await ticket_store.articles_of(conn, ticket.id, ["customer"])]
    assert stored["status"] == "open"
    assert "Passt jetzt, danke! Nur die Rechnung fehlt noch." in texts


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_refused_answer_leaves_no_mail_behind(ctx, smtp):
    _sending(ctx, smtp.port)
    [agent_id] = await insert_agents(ctx, 1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    ticket = await customer.leave_ticket(ctx, conversation.id, "kunde@example.de", "Bitte melden.")
    async with ctx.db.begin() as conn:
        await ticket_store.update_ticket(conn, ticket.id, status="closed")
    with pytest.raises(TicketTransitionRefused):
        await ticket_actions.answer(ctx, ticket.id, agent_id, "Zu spät.")
    async with ctx.db.connect() as conn:
        purposes = [r["purpose"] for r in await mail_store.outbox_of_ticket(conn, ticket.id)]
    assert purposes == ["acknowledgement"]
