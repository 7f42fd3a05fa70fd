"""A problem report and the order number given after it, on both databases (the note is extended in SQL)."""
import pytest

from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_PROBLEM_ORDER_NOTED, EVENT_PROBLEM_REPORTED
from handoff.engine.contract import BotMessage, BotReply
from handoff.services import conversations, customer
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration


class ScriptedBot:
    def __init__(self, *replies: BotReply) -> None:
        self.replies = list(replies)

    async def reply(self, sender_id, text, metadata=None):
        return self.replies.pop(0)

    async def close(self):
        return None


def _event(name: str, **values) -> BotMessage:
    return BotMessage(custom={CUSTOM_EVENT_KEY: name, **values})


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_order_number_lands_on_the_newest_report_of_the_conversation(ctx):
    ctx.bot = ScriptedBot(
        BotReply(messages=(_event(EVENT_PROBLEM_REPORTED, category="complaint", description="Bote unfreundlich"),)),
        BotReply(messages=(_event(EVENT_PROBLEM_REPORTED, category="damaged_item", description="Delle"),)),
        BotReply(messages=(_event(EVENT_PROBLEM_ORDER_NOTED, order_number="NW-482913"),
                           BotMessage(text="Notiert."))),
    )
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    for n, text in enumerate(["Der Bote war unfreundlich", "Und der Wasserkocher hat eine Delle", "NW-482913"]):
        await customer.customer_writes(ctx, conversation.id, f"c{n}", text)
        ctx.clock.advance(seconds=30)   # the fixture's clock stands still; "newest" needs time to pass
    notes = [t["note"] for t in (await conversations.conversation_detail(ctx, conversation.id))["tickets"]]
    assert notes == ["Bote unfreundlich", "Delle (Bestellnummer NW-482913)"]
