import pytest

from handoff.bus.base import conversation_topic
from handoff.services import presence
from handoff.services import admin, agent as agent_side, auth, conversations, customer, handoffs
from handoff.services.errors import Conflict, NotFound, ValidationError

pytestmark = pytest.mark.unit


async def test_canned_replies_crud(ctx):
    reply = await admin.create_canned_reply(ctx, "/Gruss", "Begrüßung", "Guten Tag, wie kann ich helfen?")
    assert reply.shortcut == "gruss"
    with pytest.raises(Conflict):
        await admin.create_canned_reply(ctx, "gruss", "Doppelt", "x")
    with pytest.raises(ValidationError):
        await admin.create_canned_reply(ctx, "mit leerzeichen", "t", "x")
    updated = await admin.update_canned_reply(ctx, reply.id, title="Hallo")
    assert updated.title == "Hallo" and updated.shortcut == "gruss"
    assert [r.shortcut for r in await admin.list_canned_replies(ctx)] == ["gruss"]
    await admin.delete_canned_reply(ctx, reply.id)
    with pytest.raises(NotFound):
        await admin.delete_canned_reply(ctx, reply.id)


async def test_business_hours_are_stored_validated_and_used(ctx):
    assert (await admin.get_business_hours(ctx)).to_dict()["weekly"]["sat"] == [["09:00", "16:00"]]
    with pytest.raises(ValidationError) as error:
        await admin.set_business_hours(ctx, {"weekly": {"mon": [["25:00", "26:00"]]}})
    assert error.value.field == "weekly.mon"
    # Closed all week: a handoff during "normal" hours now becomes a ticket.
    await admin.set_business_hours(ctx, {"weekly": {}})
    anna = await auth.create_agent(ctx, "a@nordwind.example", "Anna", "correct horse battery")
    await presence.choose_status(ctx, anna.id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    assert await handoffs.request_handoff(ctx, conversation.id, [], {}) == "ticket"


async def test_export_and_complete_delete(ctx):
    anna = await auth.create_agent(ctx, "a@nordwind.example", "Anna", "correct horse battery")
    await presence.choose_status(ctx, anna.id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Mitarbeiter bitte")
    await agent_side.claim(ctx, conversation.id, anna.id)
    await agent_side.add_note(ctx, conversation.id, anna.id, "intern")
    await agent_side.resolve(ctx, conversation.id, anna.id)
    await customer.rate(ctx, conversation.id, 4)
    await customer.leave_ticket(ctx, conversation.id, "k@example.de", "Bitte melden")

    export = await admin.export_conversation(ctx, conversation.id)
    assert export["conversation"]["id"] == conversation.id and export["csat"]["rating"] == 4
    assert export["notes"][0]["text"] == "intern" and len(export["tickets"]) == 1 and export["handoffs"]
    assert "token_hash" not in export["conversation"]

    async with ctx.bus.subscribe(conversation_topic(conversation.id)) as events:
        await admin.delete_conversation(ctx, conversation.id)
        assert (await events.__anext__())[1]["type"] == "deleted"
    with pytest.raises(NotFound):
        await conversations.get_conversation(ctx, conversation.id)
    from sqlalchemy import func, select
    from handoff.store.tables import csat, handoffs as handoff_table, messages, tickets
    async with ctx.db.connect() as conn:
        for table in (messages, handoff_table, tickets, csat):
            count = await conn.scalar(select(func.count()).select_from(table))
            assert count == 0, table.name
