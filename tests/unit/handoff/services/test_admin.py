import pytest

from handoff.bus.base import conversation_topic
from handoff.services import presence
from handoff.services import admin, auth, conversations, handoffs
from handoff.services.errors import Conflict, NotFound, ValidationError
from tests.unit.handoff.services.scenarios import conversation_in_every_table

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
    conversation_id = await conversation_in_every_table(ctx, rating=4)

    export = await admin.export_conversation(ctx, conversation_id)
    assert export["conversation"]["id"] == conversation_id and export["csat"]["rating"] == 4
    assert export["notes"][0]["text"] == "intern" and len(export["tickets"]) == 1 and export["handoffs"]
    assert "token_hash" not in export["conversation"]

    async with ctx.bus.subscribe(conversation_topic(conversation_id)) as events:
        await admin.delete_conversation(ctx, conversation_id)
        assert (await events.__anext__())[1]["type"] == "deleted"
    with pytest.raises(NotFound):
        await conversations.get_conversation(ctx, conversation_id)
    from sqlalchemy import func, select
    from handoff.store.tables import csat, handoffs as handoff_table, messages, tickets
    async with ctx.db.connect() as conn:
        for table in (messages, handoff_table, tickets, csat):
            count = await conn.scalar(select(func.count()).select_from(table))
            assert count == 0, table.name


class TrackerStore:
    """A bot engine with a tracker store (TrackerDeletion) whose deletion can fail."""

    def __init__(self, fails: bool = False) -> None:
        self.fails, self.deleted = fails, []

    async def delete_tracker(self, sender_id: str) -> None:
        if self.fails:
            raise ConnectionError("tracker store down")
        self.deleted.append(sender_id)


@pytest.mark.parametrize("fails", [False, True])
async def test_erasing_deletes_the_conversation_and_then_its_tracker_when_the_bot_can(ctx, fails):
    conversation_id = await conversation_in_every_table(ctx)
    ctx.bot = TrackerStore(fails=fails)

    assert await admin.erase_conversation(ctx, conversation_id) is (not fails)

    assert ctx.bot.deleted == ([] if fails else [conversation_id])
    with pytest.raises(NotFound):   # a tracker left behind is logged; the conversation is gone either way
        await conversations.get_conversation(ctx, conversation_id)
    with pytest.raises(NotFound):
        await admin.erase_conversation(ctx, conversation_id)


async def test_erasing_with_a_bot_without_trackers_deletes_the_conversation_only(ctx):
    conversation_id = await conversation_in_every_table(ctx)
    ctx.bot = object()   # no TrackerDeletion capability

    assert await admin.erase_conversation(ctx, conversation_id) is False
    with pytest.raises(NotFound):
        await conversations.get_conversation(ctx, conversation_id)
