"""Incidents with the real assistant: what customers really type reaches the grouping through the bot's own action
(`action_record_problem` → `problem_reported`), and the next customer hears that the fault is known."""
from __future__ import annotations

import pytest

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.engine.rasa.engine import RasaBotEngine
from handoff.services import conversations, customer, incidents
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async
from tests.unit.handoff.conftest import OPEN_TIME, FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.model]

REPORTS = ("Der Checkout funktioniert nicht, beim Bezahlen kommt eine Fehlermeldung.",
           "Ich kann nicht bestellen, der Checkout zeigt nur einen Fehler.",
           "Beim Checkout kommt immer ein Fehler, bezahlen geht nicht.")
NEXT = "Ihr Checkout hat einen Fehler, ich kann nicht bezahlen."


@pytest.fixture
async def ctx(tmp_path, rasa_agent):
    url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus = InProcessBus()
    context = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(),
                             bot=RasaBotEngine(rasa_agent, timeout_seconds=30), clock=FakeClock(OPEN_TIME))
    yield context
    await bus.close()
    await engine.dispose()


async def report(ctx, text: str) -> list[str]:
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", text)
    ctx.clock.advance(minutes=5)
    return [reply.text or "" for reply in replies]


async def test_checkout_failures_become_an_incident_and_the_next_customer_hears_it_is_known(ctx):
    for text in REPORTS:
        assert not any("bekannt" in reply for reply in await report(ctx, text))
    [incident] = (await incidents.list_incidents(ctx))["incidents"]
    assert incident["report_count"] == 3
    replies = await report(ctx, NEXT)
    known = [reply for reply in replies if reply.startswith("Dieses Problem ist uns bekannt")]
    assert known and "seit 10:00 Uhr" in known[0], replies
    assert replies.index(known[0]) == len(replies) - 1   # after the bot's own confirmation
    assert (await incidents.incident_detail(ctx, incident["id"]))["incident"]["report_count"] == 4
