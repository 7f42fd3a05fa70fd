"""The real assistant behind the real service: the trained model, in-process actions, SQLite.

These are the product's promises end to end: routine answers in German, the order lookup through the form,
an insult goes to a person at once, a reported problem is recorded, and "Mitarbeiter bitte" always works.
"""
from __future__ import annotations

import pytest

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.engine.rasa.engine import RasaBotEngine
from handoff.services import auth, conversations, customer
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async
from tests.unit.handoff.conftest import OPEN_TIME, FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.model]

KNOWN_ORDER = "NW-482913"


@pytest.fixture
async def ctx(tmp_path, rasa_agent):
    url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus, presence = InProcessBus(), InProcessPresence()
    context = ServiceContext(db=engine, bus=bus, presence=presence,
                             bot=RasaBotEngine(rasa_agent, timeout_seconds=30), clock=FakeClock(OPEN_TIME))
    agent = await auth.create_agent(context, "anna@nordwind.test", "Anna", "ein-langes-passwort-1", role="agent")
    await presence.heartbeat(agent.id, "online")
    yield context
    await bus.close()
    await engine.dispose()


async def say(ctx, conversation_id: str, text: str, n: list[int] = [0]) -> list[str]:
    n[0] += 1
    _, _, replies = await customer.customer_writes(ctx, conversation_id, f"c{n[0]}", text)
    return [r.text or "" for r in replies]


async def test_greeting_is_answered_in_german(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    replies = await say(ctx, conversation.id, "Hallo!")
    assert replies and any(word in " ".join(replies) for word in ("Hallo", "Guten", "Willkommen", "Sie"))
    detail = await conversations.conversation_detail(ctx, conversation.id)
    first = detail["transcript"][0]
    assert first["intent"] == "greet" and first["tone_label"] == "calm"


async def test_order_status_form_looks_up_the_demo_order(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    asked = " ".join(await say(ctx, conversation.id, "Wo bleibt meine Bestellung?"))
    assert "Bestellnummer" in asked
    answer = " ".join(await say(ctx, conversation.id, KNOWN_ORDER))
    assert KNOWN_ORDER in answer and "DHL" in answer


async def test_an_insult_goes_to_a_person_at_once(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await say(ctx, conversation.id, "Ihr seid doch alle komplette Vollidioten, ihr Betrüger!")
    view = await conversations.get_conversation(ctx, conversation.id)
    assert view.status == "queued"
    detail = await conversations.conversation_detail(ctx, conversation.id)
    codes = {reason["code"] for reason in detail["handoff"]["reasons"]}
    assert "abusive" in codes


async def test_asking_for_a_person_is_always_handed_off(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await say(ctx, conversation.id, "Mitarbeiter bitte")
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "queued"


async def test_calm_problem_report_is_recorded_not_handed_off(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    replies = " ".join(await say(ctx, conversation.id, "Ihre Webseite lädt seit heute früh nicht, der Checkout bricht ab."))
    assert not any(denial in replies.lower() for denial in ("nicht bekannt", "kein problem bekannt", "keine störung bekannt"))
    detail = await conversations.conversation_detail(ctx, conversation.id)
    assert detail["conversation"]["status"] == "bot"
    assert [t["kind"] for t in detail["tickets"]] == ["problem_report"]


async def test_slow_building_frustration_is_acknowledged_then_handed_off_by_the_fourth_message(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    messages = [
        "Wo bleibt meine Bestellung NW-482913?",
        "Ich warte jetzt schon seit zwei Wochen darauf, das ist wirklich ärgerlich.",
        "Das ist jetzt schon das dritte Mal, dass ich nachfragen muss!! Niemand meldet sich!!",
        "Mir reicht es langsam, ich storniere alles und schreibe eine schlechte Bewertung!!!",
    ]
    statuses = []
    for text in messages:
        await say(ctx, conversation.id, text)
        statuses.append((await conversations.get_conversation(ctx, conversation.id)).status)
        if statuses[-1] != "bot":
            break
    assert statuses[0] == "bot"
    assert statuses[-1] == "queued" and 3 <= len(statuses) <= 4, statuses
    detail = await conversations.conversation_detail(ctx, conversation.id)
    assert "tone" in {reason["code"] for reason in detail["handoff"]["reasons"]} | {
        reason["code"] for reason in detail["handoff"]["reasons"] if reason["code"] == "repeated_question"}


async def test_a_calm_customer_with_a_real_problem_stays_with_the_bot(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    for text in (
        "Guten Tag, mein Toaster ist leider kaputt angekommen.",
        "Das Gehäuse hat einen Riss und er geht nicht an. Was kann ich da tun?",
        "Ok, und wie lange dauert es, bis ich das Geld zurück bekomme?",
        "Danke für die Hilfe!",
    ):
        await say(ctx, conversation.id, text)
        assert (await conversations.get_conversation(ctx, conversation.id)).status == "bot", text


CALM_QUESTIONS = ("Wie lange dauert der Versand nach Österreich?", "Kann ich auch per Rechnung zahlen?",
                  "Wie kann ich etwas zurückschicken?", "Gibt es Garantie auf Elektrogeräte?")


async def test_a_long_conversation_keeps_its_form_and_a_bounded_tracker(ctx):
    """The tracker is compacted (handoff/engine/rasa/compaction.py) right as the form starts: the form goes on,
    the Rasa tracker holds only the recent turns, and the transcript keeps every message."""
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    window = ctx.bot.window
    for number in range(window.compact_after):
        assert await say(ctx, conversation.id, CALM_QUESTIONS[number % len(CALM_QUESTIONS)])
    asked = " ".join(await say(ctx, conversation.id, "Wo bleibt meine Bestellung?"))
    assert "Bestellnummer" in asked
    answer = " ".join(await say(ctx, conversation.id, KNOWN_ORDER))
    assert KNOWN_ORDER in answer and "DHL" in answer
    tracker = await ctx.bot.rasa_agent.tracker_store.retrieve(conversation.id)
    customer_messages = [event for event in tracker.events if event.type_name == "user"]
    assert window.keep <= len(customer_messages) <= window.compact_after
    detail = await conversations.conversation_detail(ctx, conversation.id)
    incoming = [m for m in detail["transcript"] if m["sender_type"] == "customer"]
    assert len(incoming) == window.compact_after + 2


async def test_a_form_goes_on_after_its_tracker_had_to_leave_memory(ctx):
    """With room for one tracker, another customer's message pushes the first one's form out of memory into the
    database (bot_trackers); the first customer's order number still finishes the form."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    from handoff.engine.rasa.tracker_store import idle_evicting_tracker_store
    from handoff.engine.tracker_spill import DatabaseTrackerSpill
    from handoff.store import bot_trackers

    agent = ctx.bot.rasa_agent
    kept_store = agent.tracker_store
    small = idle_evicting_tracker_store(max_trackers=1, spill=DatabaseTrackerSpill(ctx.db))
    small.domain = agent.domain   # as Agent.load sets it, wrapped in Rasa's fail-safe store
    agent.tracker_store = agent.processor.tracker_store = FailSafeTrackerStore(small)
    try:
        first, _ = await conversations.start_conversation(ctx, "widget")
        second, _ = await conversations.start_conversation(ctx, "widget")
        assert "Bestellnummer" in " ".join(await say(ctx, first.id, "Wo bleibt meine Bestellung?"))
        assert await say(ctx, second.id, "Hallo!")
        assert first.id not in small.store
        answer = " ".join(await say(ctx, first.id, KNOWN_ORDER))
        assert KNOWN_ORDER in answer and "DHL" in answer
        # Erasure reaches the kept copy too: the second conversation's tracker is in the table now.
        async with ctx.db.connect() as conn:
            assert await bot_trackers.count(conn) == 1
        await ctx.bot.delete_tracker(second.id)
        async with ctx.db.connect() as conn:
            assert await bot_trackers.count(conn) == 0
    finally:
        agent.tracker_store = agent.processor.tracker_store = kept_store
