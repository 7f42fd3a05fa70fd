"""What the service does with special bot replies: watch level, problem reports, the bot being down."""
import pytest

from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_PROBLEM_ORDER_NOTED, EVENT_PROBLEM_REPORTED
from handoff.engine.contract import BotMessage, BotReply, Button
from handoff.services import presence
from handoff.services import conversations, customer, deescalation

pytestmark = pytest.mark.unit


class ScriptedBot:
    def __init__(self, reply: BotReply) -> None:
        self.reply_value = reply

    async def reply(self, sender_id, text, metadata=None):
        return self.reply_value

    async def close(self):
        return None


ACKNOWLEDGEMENTS = ["Das dauert wirklich zu lange, das verstehe ich.", "Ich sehe, dass Sie das ärgert."]


class ScriptedBotWithResponses(ScriptedBot):
    def responses(self, name):
        return ACKNOWLEDGEMENTS if name == deescalation.ACKNOWLEDGEMENT_RESPONSE else []


async def test_watch_level_prefixes_acknowledgement_and_offers_a_person(ctx):
    ctx.bot = ScriptedBotWithResponses(BotReply(
        messages=(BotMessage(text="Ihr Paket kommt morgen."),), intent="order_status",
        escalation={"level": "watch", "turns": 2, "cues": ["waiting_time"], "summary_de": "verärgert 0.6"}))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Wo bleibt das denn?!")
    acknowledgement, answer = replies[0].text.rsplit(" Ihr Paket", 1)
    assert acknowledgement in ACKNOWLEDGEMENTS and answer == " kommt morgen."
    assert replies[1].text == deescalation.OFFER_PERSON_TEXT
    assert replies[1].buttons == [{"title": "Mit einem Menschen sprechen", "payload": "/request_human"}]


async def test_watch_does_not_offer_a_person_twice_when_the_answer_already_does(ctx):
    offer = BotMessage(text="Möchten Sie mit einer Kollegin oder einem Kollegen sprechen?",
                       buttons=(Button(title="Ja, bitte", payload="/request_human"),))
    ctx.bot = ScriptedBotWithResponses(BotReply(
        messages=(BotMessage(text="Ich habe Ihre Beschwerde festgehalten."), offer), intent="complaint",
        escalation={"level": "watch", "turns": 2, "cues": ["repeat_contact"]}))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Schon wieder nichts!!!")
    assert [r.text for r in replies][1:] == [offer.text]
    assert sum(b["payload"] == "/request_human" for r in replies for b in (r.buttons or [])) == 1


async def test_watch_without_variations_uses_the_fallback_sentence(ctx):
    ctx.bot = ScriptedBot(BotReply(messages=(BotMessage(text="Gern."),), escalation={"level": "watch"}))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Na toll")
    assert replies[0].text == f"{deescalation.FALLBACK_ACKNOWLEDGEMENT} Gern."


async def test_no_prefix_without_watch(ctx):
    ctx.bot = ScriptedBot(BotReply(messages=(BotMessage(text="Gern."),), escalation={"level": "none"}))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Danke")
    assert [r.text for r in replies] == ["Gern."]


async def test_problem_report_becomes_a_ticket_and_is_not_shown_as_text(ctx):
    ctx.bot = ScriptedBot(BotReply(messages=(
        BotMessage(text="Danke, ich habe das Problem aufgenommen."),
        BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_PROBLEM_REPORTED, "category": "damaged",
                           "description": "Glas gesprungen"}),
    )))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Das Glas ist kaputt")
    assert [r.text for r in replies] == ["Danke, ich habe das Problem aufgenommen."]
    [ticket] = (await conversations.conversation_detail(ctx, conversation.id))["tickets"]
    assert (ticket["kind"], ticket["category"], ticket["note"]) == ("problem_report", "damaged", "Glas gesprungen")


async def test_an_order_number_given_after_a_report_is_added_to_that_ticket(ctx):
    report = BotReply(messages=(BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_PROBLEM_REPORTED, "category": "damaged_item",
                                                   "description": "Delle im Wasserkocher"}),))
    noted = BotReply(messages=(BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_PROBLEM_ORDER_NOTED,
                                                  "order_number": "NW-482913"}),
                               BotMessage(text="Danke, ich habe die Bestellnummer notiert.")))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    ctx.bot = ScriptedBot(report)
    await customer.customer_writes(ctx, conversation.id, "c1", "Der Wasserkocher hat eine Delle")
    ctx.bot = ScriptedBot(noted)
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "NW-482913")
    assert [r.text for r in replies] == ["Danke, ich habe die Bestellnummer notiert."]
    [ticket] = (await conversations.conversation_detail(ctx, conversation.id))["tickets"]
    assert ticket["note"] == "Delle im Wasserkocher (Bestellnummer NW-482913)"


async def test_an_order_number_without_a_report_changes_no_ticket(ctx):
    ctx.bot = ScriptedBot(BotReply(messages=(BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_PROBLEM_ORDER_NOTED,
                                                                "order_number": "NW-482913"}),)))
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "NW-482913")
    assert (await conversations.conversation_detail(ctx, conversation.id))["tickets"] == []


async def test_bot_unavailable_is_honest_and_still_offers_a_way_out(ctx, bot):
    bot.fail = True
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    message, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo?")
    assert message.seq == 1   # the customer's message is kept
    [answer] = replies
    assert answer.text.startswith("Ich kann gerade nicht zuverlässig antworten")
    assert answer.payload["offer"] == "ticket_form"
    assert answer.buttons[0]["payload"] == deescalation.HUMAN_REQUEST_PAYLOAD


async def test_bot_unavailable_person_button_still_reaches_people(ctx, bot):
    from handoff.services import auth
    agent = await auth.create_agent(ctx, "a@nordwind.example", "Anna", "correct horse battery")
    await presence.choose_status(ctx, agent.id, "online")
    bot.fail = True
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", deescalation.HUMAN_REQUEST_PAYLOAD)
    detail = await conversations.conversation_detail(ctx, conversation.id)
    assert detail["conversation"]["status"] == "queued"
    assert {r["code"] for r in detail["handoff"]["reasons"]} == {"customer_request", "bot_unavailable"}
