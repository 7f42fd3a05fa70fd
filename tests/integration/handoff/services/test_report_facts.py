"""The report facts stay current (handoff/services/report_facts.py): changes after a report show in the next one,
topics across a period's start are counted once, other opening hours measure again, retention takes the facts
along. On SQLite and PostgreSQL; every expected figure is worked out by hand from the rows written here."""
import uuid

import pytest
from sqlalchemy import func, select, update

from handoff.services import report_facts, reports
from handoff.services.business_hours import set_business_hours
from handoff.services.reports import ReportRequest
from handoff.services.retention import purge_expired
from handoff.store.migrate import upgrade
from handoff.store.tables import conversations, handoffs, messages, report_conversations, report_handoffs
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.services.reports_fixture import Writer, utc
from tests.unit.handoff.conftest import FakeClock

pytestmark = pytest.mark.integration
PARAMS = pytest.mark.parametrize("report_database_url", BACKENDS, indirect=True)
THURSDAY = ReportRequest(kind="day", anchor="2025-03-20")


@pytest.fixture
def report_database_url(request, tmp_path, postgres_databases):
    """A database of its own: the shared test database holds other tests' conversations."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'facts.db'}" if request.param == "sqlite" else postgres_databases.create()
    upgrade(url)
    return url


@pytest.fixture
def database_url(report_database_url):
    return report_database_url


async def add_message(ctx, conversation_id, seq, sender, at, *, intent=None, routed=True):
    """A message as the product stores it, stamped `at` (the clock of the moment)."""
    async with ctx.db.begin() as conn:
        await conn.execute(messages.insert().values(
            id=str(uuid.uuid4()), conversation_id=conversation_id, seq=seq, client_id=None,
            message_type="incoming" if sender == "customer" else "outgoing", sender_type=sender, sender_id=None,
            private=False, text="…", payload=None, intent=intent, confidence=0.9 if intent else None,
            tone_score=None, tone_label="calm" if sender == "customer" else None, created_at=at,
            routing_started_at=at if sender == "customer" and routed else None,
            routed_at=at if sender == "customer" and routed else None))


async def write(ctx, writer):
    await writer.write(ctx.db)


@PARAMS
async def test_a_change_after_a_report_shows_in_the_next_one(ctx):
    ctx.clock = FakeClock(utc(20, 11))   # Thursday 12:00 local, open
    empty = await reports.overview(ctx, THURSDAY)
    assert empty["volume"]["conversations"] == 0
    w = Writer()
    w.conversation("d1", "widget", utc(20, 11, 1), status="bot")
    await write(ctx, w)
    await add_message(ctx, "d1", 1, "customer", utc(20, 11, 1), intent="order_status")
    ctx.clock.advance(minutes=4)
    first = await reports.overview(ctx, THURSDAY)
    # One conversation, the bot answered it: contained; one customer message.
    assert (first["volume"]["conversations"], first["volume"]["customer_messages"]) == (1, 1)
    assert (first["outcome"]["bot_engaged"], first["outcome"]["contained"], first["outcome"]["handed_off"]) == (1, 1, 0)
    # Then a handoff at 11:10 UTC, claimed 11:12, an agent's reply 11:13, resolved 11:30, and a second question.
    async with ctx.db.begin() as conn:
        await conn.execute(handoffs.insert().values(
            id="h1", conversation_id="d1", requested_at=utc(20, 11, 10), reasons=[{"code": "customer_request"}],
            summary={}, rolling_tone=None, claimed_by=None, claimed_at=utc(20, 11, 12), ended_at=utc(20, 11, 30),
            outcome="resolved"))
    await add_message(ctx, "d1", 2, "agent", utc(20, 11, 13))
    await add_message(ctx, "d1", 3, "customer", utc(20, 11, 14), intent="returns")
    ctx.clock.advance(minutes=30)
    second = await reports.overview(ctx, THURSDAY)
    assert second["volume"]["customer_messages"] == 2
    assert (second["outcome"]["handed_off"], second["outcome"]["contained"], second["outcome"]["handoffs"]) == (1, 0, 1)
    waiting = second["waiting"]
    assert (waiting["time_in_queue"]["p50_seconds"], waiting["first_response"]["p50_seconds"],
            waiting["resolution"]["p50_seconds"]) == (120, 180, 1200)
    topics = {row["intent"]: row for row in (await reports.topics(ctx, THURSDAY, ["order_status", "returns"]))["topics"]}
    # order_status came up at 11:01, before the handoff (11:10): handed off after it; returns (11:14) after it: not.
    assert (topics["order_status"]["conversations"], topics["order_status"]["handed_off"]) == (1, 1)
    assert (topics["returns"]["conversations"], topics["returns"]["handed_off"]) == (1, 0)


@PARAMS
async def test_a_message_routed_later_is_read_again_though_no_stamp_shows_it(ctx):
    ctx.clock = FakeClock(utc(20, 11, 5))
    w = Writer()
    w.conversation("e1", "widget", utc(20, 11, 1), status="bot")
    await write(ctx, w)
    await add_message(ctx, "e1", 1, "customer", utc(20, 11, 1), intent="order_status", routed=False)
    assert (await reports.overview(ctx, THURSDAY))["outcome"]["bot_engaged"] == 0
    ctx.clock.advance(hours=1)
    await reports.overview(ctx, THURSDAY)    # the watermark moves past every stamp of e1
    # The routing ends without a new stamp after the watermark (a claim taken at 11:01 by a slow bot).
    async with ctx.db.begin() as conn:
        await conn.execute(update(messages).where(messages.c.conversation_id == "e1")
                           .values(routing_started_at=utc(20, 11, 1), routed_at=utc(20, 11, 2)))
    ctx.clock.advance(hours=1)
    outcome = (await reports.overview(ctx, THURSDAY))["outcome"]
    assert (outcome["bot_engaged"], outcome["contained"]) == (1, 1)
    async with ctx.db.connect() as conn:
        pending = (await conn.execute(select(report_conversations.c.pending))).scalar_one()
    assert pending == 0


@PARAMS
async def test_a_topic_raised_before_the_week_and_again_in_it_counts_once(ctx):
    w = Writer()
    # Created Sunday 9 March (the week before); order_status then, and again Tuesday with returns; handed off
    # Tuesday 08:10 UTC.
    w.conversation("s1", "widget", utc(9, 10))
    w.message("s1", "customer", utc(9, 10), intent="order_status", confidence=0.9, tone="calm")
    w.message("s1", "customer", utc(11, 8), intent="order_status", confidence=0.4, tone="frustrated")
    w.message("s1", "customer", utc(11, 8, 5), intent="returns", confidence=0.9, tone="calm")
    w.handoff("s1", utc(11, 8, 10), ["customer_request"], ended_at=utc(11, 8, 40), outcome="resolved")
    await write(ctx, w)
    ctx.clock = FakeClock(utc(20, 12))
    week = ReportRequest(kind="week", anchor="2025-03-12")
    topics = {row["intent"]: row for row in (await reports.topics(ctx, week, ["order_status", "returns"]))["topics"]}
    # In the week: order_status once (Tuesday, not understood), first in the week at 08:00, before the handoff.
    assert (topics["order_status"]["messages"], topics["order_status"]["not_understood"],
            topics["order_status"]["conversations"], topics["order_status"]["handed_off"]) == (1, 1, 1, 1)
    assert (topics["returns"]["conversations"], topics["returns"]["handed_off"]) == (1, 1)
    only = (await reports.topics(ctx, ReportRequest(kind="week", anchor="2025-03-12", topic="order_status"),
                                 ["order_status"]))["topics"]
    assert [(row["intent"], row["conversations"]) for row in only] == [("order_status", 1)]
    before = {row["intent"]: row for row in (await reports.topics(
        ctx, ReportRequest(kind="week", anchor="2025-03-05"), ["order_status"]))["topics"]}
    assert (before["order_status"]["messages"], before["order_status"]["conversations"],
            before["order_status"]["handed_off"]) == (1, 1, 1)
    overview = await reports.overview(ctx, week)
    # Its two messages of the week count, though it began the week before (and counts there as a contact).
    assert (overview["volume"]["conversations"], overview["volume"]["customer_messages"]) == (0, 2)
    assert overview["previous"]["conversations"] == 1


@PARAMS
async def test_other_opening_hours_measure_the_durations_again(ctx):
    w = Writer()
    # Friday 19:50 local, claimed Saturday 09:20 local: 600 s + 1,200 s open with the default hours.
    w.conversation("b1", "widget", utc(14, 18, 45))
    w.message("b1", "customer", utc(14, 18, 49), intent="order_status", confidence=0.9, tone="calm")
    w.handoff("b1", utc(14, 18, 50), ["tone"], claimed_at=utc(15, 8, 20), ended_at=utc(15, 9), outcome="resolved")
    await write(ctx, w)
    ctx.clock = FakeClock(utc(20, 12))
    week = ReportRequest(kind="week", anchor="2025-03-12")
    assert (await reports.overview(ctx, week))["waiting"]["time_in_queue"]["p50_business_seconds"] == 1800
    # Closed on Saturdays from now on: only Friday's 600 s count, also for the past week.
    hours = (await reports.overview(ctx, week))["business_hours"]
    hours["weekly"]["sat"] = []
    await set_business_hours(ctx, hours)
    assert (await reports.overview(ctx, week))["waiting"]["time_in_queue"]["p50_business_seconds"] == 600


@PARAMS
async def test_retention_deletes_the_facts_with_their_conversations(ctx):
    w = Writer()
    w.conversation("r1", "widget", utc(11, 9))
    w.message("r1", "customer", utc(11, 9), intent="order_status", confidence=0.9, tone="calm")
    w.handoff("r1", utc(11, 9, 1), ["tone"], ended_at=utc(11, 9, 30), outcome="resolved")
    w.conversation("r2", "widget", utc(11, 10))
    w.message("r2", "customer", utc(11, 10), intent="returns", confidence=0.9, tone="calm")
    await write(ctx, w)
    async with ctx.db.begin() as conn:   # r2 was active later: retention keeps it
        await conn.execute(update(conversations).where(conversations.c.id == "r2").values(updated_at=utc(28, 10)))
    # Read on the day of the purge: nothing of either is newer than the refresh's watermark afterwards, so only
    # the deletion can tell the day's totals to count again.
    ctx.clock = FakeClock(utc(31, 12))
    day = ReportRequest(kind="day", anchor="2025-03-11")
    before = await reports.overview(ctx, day)
    assert (before["volume"]["customer_messages"], before["outcome"]["handoffs"]) == (2, 1)
    result = await purge_expired(ctx, retention_days=14)   # cutoff 17 March: r1 goes, r2 stays
    assert result.deleted == 1
    async with ctx.db.connect() as conn:
        facts = [row[0] for row in await conn.execute(select(report_conversations.c.conversation_id))]
        handoff_facts = (await conn.execute(select(func.count()).select_from(report_handoffs))).scalar_one()
    assert (facts, handoff_facts) == (["r2"], 0)
    after = await reports.overview(ctx, day)
    assert (after["volume"]["conversations"], after["volume"]["customer_messages"], after["outcome"]["handoffs"]) \
        == (1, 1, 0)
    topics = (await reports.topics(ctx, day, ["order_status", "returns"]))["topics"]
    assert [row["intent"] for row in topics] == ["returns"]


@PARAMS
async def test_the_refresh_reports_what_it_did(ctx):
    w = Writer()
    w.conversation("f1", "widget", utc(11, 9))
    w.message("f1", "customer", utc(11, 9), intent="order_status", confidence=0.9, tone="calm")
    await write(ctx, w)
    ctx.clock = FakeClock(utc(20, 12))
    first = await report_facts.refresh(ctx)
    assert (first.rebuilt, first.conversations, first.days) == (True, 1, 1)
    again = await report_facts.refresh(ctx)
    assert (again.rebuilt, again.conversations, again.days) == (False, 0, 0)
