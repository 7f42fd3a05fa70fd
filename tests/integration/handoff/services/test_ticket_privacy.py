"""Tickets under retention, export and erasure, on both databases."""

import pytest

from handoff.services import conversations, handoffs, ticket_actions as actions, tickets
from handoff.services.errors import NotFound, ValidationError
from handoff.services.retention import purge_expired
from handoff.services.ticket_privacy import delete_contact, export_contact
from handoff.services.ticket_queries import ticket_detail
from tests.integration.handoff.conftest import BACKENDS, insert_agents

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("database_url", BACKENDS, indirect=True)]
RETENTION_DAYS = 90


async def test_export_and_erase_everything_of_one_contact(ctx):
    anna, = await insert_agents(ctx, 1)
    mine = await tickets.create_ticket(ctx, kind="email", channel="email", text="Wo ist mein Paket?",
                                       email="Erika@Example.org")
    await actions.add_note(ctx, mine.id, anna, "Intern: Paket liegt im Depot")
    other = await tickets.create_ticket(ctx, kind="email", channel="email", text="Andere Frage",
                                        email="max@example.org")
    exported = await export_contact(ctx, "erika@example.org")
    assert [t["id"] for t in exported["tickets"]] == [mine.id]
    assert [a["text"] for a in exported["tickets"][0]["articles"]][-2:] == [
        "Wo ist mein Paket?", "Intern: Paket liegt im Depot"]
    with pytest.raises(ValidationError):
        await export_contact(ctx, "keine adresse")
    assert await delete_contact(ctx, "erika@example.org") == 1
    with pytest.raises(NotFound):
        await ticket_detail(ctx, mine.id)
    assert (await ticket_detail(ctx, other.id))["ticket"]["email"] == "max@example.org"


async def test_retention_deletes_idle_tickets_and_keeps_conversations_whose_ticket_is_worked(ctx):
    anna, = await insert_agents(ctx, 1)
    mail = await tickets.create_ticket(ctx, kind="email", channel="email", text="Rechnung?", email="a@example.org")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, conversation.id, [{"code": "customer_request"}],
                                   {"last_customer_messages": ["Bitte melden"]})
    chat_ticket = next(t for t in (await conversations.conversation_detail(ctx, conversation.id))["tickets"])
    ctx.clock.advance(days=RETENTION_DAYS - 1)
    await actions.add_note(ctx, chat_ticket["id"], anna, "Noch in Klärung")   # worked on: keeps the chat
    ctx.clock.advance(days=2)
    await purge_expired(ctx, RETENTION_DAYS)
    with pytest.raises(NotFound):
        await ticket_detail(ctx, mail.id)                                      # idle e-mail ticket: gone
    assert (await ticket_detail(ctx, chat_ticket["id"]))["transcript"]        # conversation kept
    ctx.clock.advance(days=RETENTION_DAYS + 1)
    await purge_expired(ctx, RETENTION_DAYS)
    with pytest.raises(NotFound):
        await ticket_detail(ctx, chat_ticket["id"])
    with pytest.raises(NotFound):
        await conversations.conversation_detail(ctx, conversation.id)
