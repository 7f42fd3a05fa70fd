"""Incident grouping where problem reports arrive, and the agents' side, on SQLite and PostgreSQL."""
import asyncio

import pytest
from sqlalchemy import text

from handoff.services import admin, conversations, customer, incidents
from handoff.services.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.services.incident_fixtures import (
    RECORDED, ReportingBot, bot_texts, insert_person, report, start_clean,
)

pytestmark = pytest.mark.integration
BOTH = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
CHECKOUT = ["Beim Checkout kommt immer ein Fehler", "Checkout geht nicht, Fehlermeldung 500",
            "Fehler im Checkout, ich kann nicht bestellen"]
KNOWN = "Dieses Problem ist uns bekannt"


@pytest.fixture(autouse=True)
async def clean(ctx):
    await start_clean(ctx)


async def _all(ctx):
    return (await incidents.list_incidents(ctx))["incidents"]


@BOTH
async def test_three_similar_reports_within_the_window_become_one_incident_and_the_fourth_is_told(ctx):
    reporters = []
    for text in CHECKOUT:
        reporters.append(await report(ctx, text))
        ctx.clock.advance(minutes=20)
    [incident] = await _all(ctx)
    assert incident["report_count"] == 3 and incident["status"] == "open" and incident["category"] == "report_outage"
    assert incident["first_reported_at"].startswith("2025-03-12T09:00")
    assert incident["last_reported_at"].startswith("2025-03-12T09:40")
    # The first three were not told of a known fault: it became one only with the third report.
    for conversation_id in reporters:
        assert not any(KNOWN in text for text in await bot_texts(ctx, conversation_id))

    ctx.clock.advance(minutes=30)   # an open incident stays known until an agent closes it
    fourth = await report(ctx, "Checkout zeigt wieder einen Fehler beim Bezahlen")
    texts = await bot_texts(ctx, fourth)
    assert texts[0] == RECORDED                                # the bot's confirmation first, then the incident
    assert KNOWN in texts[1] and "seit 10:00 Uhr" in texts[1]  # 09:00 UTC is 10:00 in Berlin
    last = (await conversations.transcript(ctx, fourth))[-1]
    assert last.payload["buttons"][0]["payload"] == "/request_human"
    detail = await incidents.incident_detail(ctx, incident["id"])
    assert detail["incident"]["report_count"] == 4
    joined = detail["reports"][-1]
    assert joined["conversation_id"] == fourth
    assert "Kategorie Technische Störung" in joined["reason"] and "checkout" in joined["shared_words"]
    assert joined["similarity"] >= detail["grouping"]["similarity"]
    # The customer's report was recorded as a ticket like every other.
    tickets = (await conversations.conversation_detail(ctx, fourth))["tickets"]
    assert len(tickets) == 1


@BOTH
async def test_reports_of_another_category_do_not_group(ctx):
    await report(ctx, CHECKOUT[0])
    await report(ctx, CHECKOUT[1])
    await report(ctx, "Fehler im Checkout, das ist eine Frechheit", category="complaint")
    assert await _all(ctx) == []


@BOTH
async def test_dissimilar_reports_do_not_group(ctx):
    await report(ctx, CHECKOUT[0])
    await report(ctx, "Die App stürzt beim Öffnen ab")
    await report(ctx, "Der Newsletter kommt doppelt an")
    assert await _all(ctx) == []
    fourth = await report(ctx, "Ich kann mich nicht einloggen, das Passwort wird abgelehnt")
    assert await _all(ctx) == []
    assert not any(KNOWN in text for text in await bot_texts(ctx, fourth))


@BOTH
async def test_reports_outside_the_window_do_not_group(ctx):
    await report(ctx, CHECKOUT[0])
    ctx.clock.advance(minutes=61)
    await report(ctx, CHECKOUT[1])
    ctx.clock.advance(minutes=61)
    await report(ctx, CHECKOUT[2])
    assert await _all(ctx) == []
    await incidents.set_grouping(ctx, {"min_reports": 3, "window_minutes": 180, "similarity": 0.35})
    await report(ctx, "Checkout: Fehler beim Bestellen")   # with a longer window the earlier ones count
    [incident] = await _all(ctx)
    assert incident["report_count"] == 4


@BOTH
async def test_a_closed_incident_is_not_mentioned_and_its_reporters_get_the_note(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    reporters = [await report(ctx, text) for text in CHECKOUT]
    [incident] = await _all(ctx)
    await incidents.assign(ctx, incident["id"], agent, agent)
    closed = await incidents.close(ctx, incident["id"], agent, "Der Checkout läuft wieder, danke für Ihre Geduld!")
    assert closed["incident"]["status"] == "closed" and closed["incident"]["owner_name"] == "Jana"
    for conversation_id in reporters:
        assert (await bot_texts(ctx, conversation_id))[-1].endswith("Der Checkout läuft wieder, danke für Ihre Geduld!")
    later = await report(ctx, "Checkout Fehler schon wieder")
    assert not any(KNOWN in text for text in await bot_texts(ctx, later))
    assert (await incidents.incident_detail(ctx, incident["id"]))["incident"]["report_count"] == 3
    for attempt in (incidents.close(ctx, incident["id"], agent, None), incidents.assign(ctx, incident["id"], agent, agent)):
        with pytest.raises(Conflict, match="Diese Störung ist geschlossen; das geht nicht mehr."):
            await attempt
    after = (await incidents.incident_detail(ctx, incident["id"]))["incident"]
    assert after["close_note"] == "Der Checkout läuft wieder, danke für Ihre Geduld!"   # unchanged


@BOTH
async def test_concurrent_reports_open_exactly_one_incident(ctx):
    texts = CHECKOUT + ["Checkout Fehler, Bestellung nicht möglich", "Checkout bricht mit Fehler ab"]
    await asyncio.gather(*(report(ctx, text) for text in texts))
    [incident] = await _all(ctx)
    assert incident["report_count"] == 5


@BOTH
async def test_bad_input_and_permissions(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    colleague = await insert_person(ctx, "agent", "Ole")
    supervisor = await insert_person(ctx, "supervisor", "Sabine")
    for text in CHECKOUT:
        await report(ctx, text)
    [incident] = await _all(ctx)
    with pytest.raises(NotFound):
        await incidents.close(ctx, "no-such-incident", agent, None)
    with pytest.raises(NotFound):
        await incidents.incident_detail(ctx, "no-such-incident")
    await incidents.assign(ctx, incident["id"], agent, agent)
    with pytest.raises(Forbidden):
        await incidents.close(ctx, incident["id"], colleague, "Behoben")       # someone else's incident
    with pytest.raises(Forbidden):
        await incidents.assign(ctx, incident["id"], agent, colleague)         # only supervisors hand over
    with pytest.raises(ValidationError):
        await incidents.close(ctx, incident["id"], agent, "x" * 2001)
    with pytest.raises(ValidationError):
        await incidents.set_grouping(ctx, {"min_reports": 1, "window_minutes": 60, "similarity": 0.3})
    with pytest.raises(ValidationError):
        await incidents.set_grouping(ctx, {"min_reports": 3, "window_minutes": 60, "similarity": 1.5})
    with pytest.raises(ValidationError):
        await incidents.list_incidents(ctx, "kaputt")
    detail = await incidents.incident_detail(ctx, incident["id"])
    assert detail["incident"]["status"] == "open" and detail["incident"]["owner_name"] == "Jana"   # unchanged
    trainer = await insert_person(ctx, "trainer", "Tim")
    with pytest.raises(ValidationError):
        await incidents.assign(ctx, incident["id"], supervisor, trainer)       # trainers do not work incidents
    with pytest.raises(ValidationError):
        await incidents.assign(ctx, incident["id"], supervisor, "no-such-agent")
    with pytest.raises(Forbidden):
        await incidents.close(ctx, incident["id"], trainer, None)             # trainers do not work incidents
    handed = await incidents.assign(ctx, incident["id"], supervisor, colleague)
    assert handed["incident"]["owner_name"] == "Ole"
    closed = await incidents.close(ctx, incident["id"], supervisor, None)   # supervisors may close anyone's
    assert closed["incident"]["status"] == "closed"


@BOTH
async def test_one_customer_reporting_the_same_fault_three_times_is_not_an_incident(ctx):
    ctx.bot = ReportingBot()
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    for number, text in enumerate(CHECKOUT):
        await customer.customer_writes(ctx, conversation.id, f"c{number}", text)
    assert await _all(ctx) == []
    await report(ctx, "Checkout Fehler, Bestellung nicht möglich")
    await report(ctx, "Checkout bricht mit Fehler ab")   # three customers now: one incident with all five reports
    [incident] = await _all(ctx)
    assert incident["report_count"] == 5


@BOTH
async def test_the_incident_keeps_no_customer_words_of_its_own(ctx):
    reporters = []
    for words in CHECKOUT:
        reporters.append(await report(ctx, words))
        ctx.clock.advance(minutes=1)
    [incident] = await _all(ctx)
    assert incident["title"] == CHECKOUT[0]
    await admin.delete_conversation(ctx, reporters[0])   # erasure: the words go with the report's ticket
    [incident] = await _all(ctx)
    assert incident["title"] == CHECKOUT[1] and incident["report_count"] == 2
    async with ctx.db.connect() as conn:
        stored = (await conn.execute(text("SELECT * FROM incidents"))).mappings().all()
    assert not any(CHECKOUT[0] in str(value) for row in stored for value in row.values())
