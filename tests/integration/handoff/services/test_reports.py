"""Every report definition (docs/reports.md) against the hand-made week of reports_fixture.py, on both databases.

Each expected figure is worked out by hand in the comments from the rows of the fixture, never by the code under test.
"""
import pytest

from handoff.services import reports
from handoff.services.errors import ValidationError
from handoff.services.reports import ReportRequest
from handoff.store.migrate import upgrade
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.services.reports_fixture import REPORT_TIME, WEEK, the_week
from tests.unit.handoff.conftest import FakeClock

pytestmark = pytest.mark.integration


@pytest.fixture
def report_database_url(request, tmp_path, postgres_databases):
    """A database of its own: the shared test database holds other tests' conversations."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'reports.db'}"
    else:
        url = postgres_databases.create()
    upgrade(url)
    return url


@pytest.fixture
def database_url(report_database_url):
    return report_database_url   # the ctx fixture's engine opens this database


@pytest.fixture
async def week_ctx(ctx):
    await the_week().write(ctx.db)
    ctx.clock = FakeClock(REPORT_TIME)
    return ctx


@pytest.fixture
async def week(week_ctx):
    return await reports.overview(week_ctx, ReportRequest(kind=WEEK["kind"], anchor=WEEK["anchor"]))


PARAMS = pytest.mark.parametrize("report_database_url", BACKENDS, indirect=True)


@PARAMS
async def test_the_period_is_the_local_week_and_volume_counts_by_channel(week):
    assert week["period"]["from"] == "2025-03-10" and week["period"]["to"] == "2025-03-16"
    assert week["period"]["start"] == "2025-03-10T00:00:00+01:00"
    volume = week["volume"]
    # c1..c9: c1 (Sunday 23:30 UTC = Monday 00:30 local) is in, c10 (next Monday 00:30 local) and c0 are out;
    # plus the two tickets opened by e-mail (t3, t4): 11 contacts.
    assert volume["conversations"] == 11
    # customer messages: c1 1, c2 2, c3 2, c4 1, c5 1, c6 1, c8 1, c9 1 = 10, and the e-mails of t3 and t4 in
    # the week (t4's second one came on the 17th): 12
    assert volume["customer_messages"] == 12
    channels = {row["channel"]: row for row in volume["channels"]}
    assert [row["channel"] for row in volume["channels"]] == ["widget", "rest", "socketio", "email"]
    assert channels["widget"]["conversations"] == 6             # c1 c2 c5 c6 c7 c9
    assert channels["widget"]["share"] == pytest.approx(6 / 11)
    assert channels["widget"]["customer_messages"] == 6         # c1 1 + c2 2 + c5 + c6 + c9
    assert (channels["rest"]["conversations"], channels["socketio"]["conversations"]) == (1, 1)
    assert (channels["email"]["conversations"], channels["email"]["customer_messages"]) == (3, 3)   # c8, t3, t4


@PARAMS
async def test_containment_and_handoff_rate_count_only_conversations_the_bot_could_hand_off(week):
    outcome = week["outcome"]
    # Bot-engaged: c1 c2 c3 c4 c5 c6 c9 = 7 (c7 wrote nothing, c8's e-mail never reached the bot).
    assert outcome["bot_engaged"] == 7
    # Contained: no handoff, no ticket, no agent message: c1 and c2 (c9 has a problem-report ticket).
    assert outcome["contained"] == 2
    assert outcome["containment_rate"] == pytest.approx(2 / 7)
    # Handed off: c3 c4 c5 c6.
    assert outcome["handed_off"] == 4
    assert outcome["handoff_rate"] == pytest.approx(4 / 7)
    # Chatwoot's denominator (all 9 conversations) would report 4/9.
    assert outcome["handoff_rate_all_conversations"] == pytest.approx(4 / 9)
    # c5 on Sunday (closed) became a ticket at once.
    assert (outcome["handoffs"], outcome["after_hours_tickets"], outcome["no_agent_tickets"]) == (4, 1, 0)


@PARAMS
async def test_handoff_reasons_per_day(week):
    reasons = week["handoff_reasons"]
    assert reasons["granularity"] == "day"
    assert reasons["buckets"][0] == "2025-03-10" and len(reasons["buckets"]) == 7
    # customer_request: c3 (Wed) and c5 (Sun); tone: c4 (Fri), c6 (Thu); fallbacks: c4 (Fri).
    assert reasons["totals"] == [{"reason": "customer_request", "count": 2}, {"reason": "tone", "count": 2},
                                 {"reason": "fallbacks", "count": 1}]
    series = {row["reason"]: row["counts"] for row in reasons["series"]}
    assert series["customer_request"] == [0, 0, 1, 0, 0, 0, 1]
    assert series["tone"] == [0, 0, 0, 1, 1, 0, 0]
    assert series["fallbacks"] == [0, 0, 0, 0, 1, 0, 0]


@PARAMS
async def test_waiting_times_in_wall_clock_and_business_hours(week):
    waiting = week["waiting"]
    # In queue: c3 3 min = 180 s; c4 Fri 19:50 local → Sat 09:20 local = 13 h 30 min = 48,600 s wall-clock,
    # but open only Fri 19:50–20:00 (600 s) + Sat 09:00–09:20 (1,200 s) = 1,800 s of business hours.
    # Nearest rank over two values: p50 is the first, p90 the second.
    assert waiting["time_in_queue"] == {"count": 2, "p50_seconds": 180, "p90_seconds": 48600,
                                        "p50_business_seconds": 180, "p90_business_seconds": 1800}
    # First response: c3 5 min = 300 s; c4 Fri 19:50 → Sat 09:30 local = 49,200 s wall, 600 + 1,800 = 2,400 s open.
    assert waiting["first_response"] == {"count": 2, "p50_seconds": 300, "p90_seconds": 49200,
                                         "p50_business_seconds": 300, "p90_business_seconds": 2400}
    # Resolution: c3 20 min = 1,200 s; c4 Fri 19:50 → Sat 10:00 = 51,000 s wall, 600 + 3,600 = 4,200 s open.
    # c6 ended unclaimed and unanswered: abandoned, not resolved.
    assert waiting["resolution"] == {"count": 2, "p50_seconds": 1200, "p90_seconds": 51000,
                                     "p50_business_seconds": 1200, "p90_business_seconds": 4200}
    # Reached the live queue: c3 c4 c6 (c5 became a ticket at once); abandoned: c6.
    assert (waiting["abandoned"], waiting["queued"]) == (1, 3)
    assert waiting["abandoned_rate"] == pytest.approx(1 / 3)


@PARAMS
async def test_first_response_distribution(week):
    counts = {row["bucket"]: row["count"] for row in week["frt_distribution"]}
    # 300 s falls in [5, 15) minutes, 49,200 s in ≥ 4 hours.
    assert counts == {"< 1 Min.": 0, "1–5 Min.": 0, "5–15 Min.": 1, "15–30 Min.": 0, "30–60 Min.": 0,
                      "1–4 Std.": 0, "≥ 4 Std.": 1}


@PARAMS
async def test_csat_score_and_response_rate(week):
    csat = week["csat"]
    # Ratings given in the week: 5 (c3), 2 (c4), 4 (c9); c0's 1 was the week before.
    assert csat["ratings"] == 3
    assert csat["average"] == pytest.approx(11 / 3)
    assert csat["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert csat["satisfaction_score"] == pytest.approx(2 / 3)
    # Surveys sent in the week: c3 c4 c6 c9 = 4, answered 3 (c6 never rated).
    assert (csat["surveys_sent"], csat["surveys_answered"]) == (4, 3)
    assert csat["response_rate"] == pytest.approx(3 / 4)


@PARAMS
async def test_tickets_created_solved_overdue_and_the_share_of_slas_met(week):
    tickets = week["tickets"]
    # Created in the week: c5's, c9's, t3, t4. Solved in the week: c5's, t3, t5 (created the week before).
    # Overdue on the 20th: c9's (open, solution due on the 12th). t4 is pending: its due times are paused.
    assert (tickets["created"], tickets["solved"], tickets["overdue"]) == (4, 3, 1)
    # SLA: c5's met; c9's missed (late first answer); t3 missed (solved late); t4 not decided: 1 of 3.
    assert (tickets["sla_met"], tickets["sla_decided"]) == (1, 3)
    assert tickets["sla_met_rate"] == pytest.approx(1 / 3)
    kinds = {row["name"]: row for row in tickets["by_kind"]}
    assert (kinds["follow_up"]["sla_met_rate"], kinds["problem_report"]["sla_met_rate"]) == (1.0, 0.0)
    assert kinds["email"]["created"] == 2 and kinds["email"]["sla_decided"] == 1
    assert kinds["email"]["sla_met_rate"] == 0.0
    assert (kinds["complaint"]["created"], kinds["complaint"]["solved"]) == (0, 1)
    assert kinds["follow_up"]["label"] == "Rückmeldung erbeten"
    owners = {row["name"]: row for row in tickets["by_agent"]}
    # Alex owns c5's (met), t3 (missed) and t4 (open): 1 of 2. Nobody owns c9's (missed) and t5.
    assert (owners["Alex Agent"]["created"], owners["Alex Agent"]["solved"]) == (3, 2)
    assert owners["Alex Agent"]["sla_met_rate"] == pytest.approx(1 / 2)
    assert (owners["nicht zugewiesen"]["created"], owners["nicht zugewiesen"]["overdue"]) == (1, 1)
    assert owners["nicht zugewiesen"]["sla_met_rate"] == 0.0


@PARAMS
async def test_comparison_with_the_week_before(week):
    assert week["previous_period"]["from"] == "2025-03-03"
    previous = week["previous"]
    # c0: one conversation, bot-engaged, handed off, rated 1, one survey answered.
    assert previous["conversations"] == 1
    assert previous["handoff_rate"] == 1.0 and previous["containment_rate"] == 0.0
    assert previous["csat_average"] == 1.0 and previous["response_rate"] == 1.0
    changes = week["changes"]
    assert changes["conversations"] == pytest.approx(10.0)         # 11 against 1: +1000 %
    assert changes["handoff_rate"] == pytest.approx(4 / 7 - 1)     # 4/7 against 1
    assert changes["containment_rate"] is None                     # nothing to compare with 0


@PARAMS
async def test_topics_volume_not_understood_handoff_rate_and_tone(week_ctx):
    result = await reports.topics(week_ctx, ReportRequest(kind="week", anchor="2025-03-12"),
                                  ["order_status", "returns", "complaint", "greet"])
    topics = {row["intent"]: row for row in result["topics"]}
    # Ordered by messages: order_status 3 (c1 c2 c4), then the 2s by name, then the 1s by name.
    assert [row["intent"] for row in result["topics"]] == ["order_status", "complaint", "returns", "greet",
                                                           "nlu_fallback"]
    order = topics["order_status"]
    # not understood: c2's 0.5 < 0.6; tones: calm c1, frustrated c2, abusive c4; handed off after it: c4 only.
    assert (order["messages"], order["not_understood"], order["conversations"], order["handed_off"]) == (3, 1, 3, 1)
    assert order["not_understood_rate"] == pytest.approx(1 / 3)
    assert order["handoff_rate"] == pytest.approx(1 / 3)
    assert order["tones"] == {"calm": 1, "frustrated": 1, "abusive": 1}
    # complaint: c6 (handed off after) and c9 (no handoff).
    assert (topics["complaint"]["conversations"], topics["complaint"]["handed_off"]) == (2, 1)
    # greet: c3's message came after its handoff, so it did not lead to one.
    assert (topics["greet"]["messages"], topics["greet"]["handed_off"]) == (1, 0)
    assert topics["nlu_fallback"]["not_understood_rate"] == 1.0 and topics["nlu_fallback"]["handoff_rate"] == 1.0
    only = await reports.topics(week_ctx, ReportRequest(kind="week", anchor="2025-03-12", topic="returns"),
                                ["returns"])
    assert [row["intent"] for row in only["topics"]] == ["returns"]


@PARAMS
async def test_bad_periods_and_unknown_topics_are_refused(week_ctx):
    with pytest.raises(ValidationError) as ended_before:
        await reports.overview(week_ctx, ReportRequest(kind="custom", first="2025-03-10", last="2025-03-01"))
    assert ended_before.value.field == "to" and "vor seinem Beginn" in ended_before.value.message
    with pytest.raises(ValidationError) as too_long:
        await reports.overview(week_ctx, ReportRequest(kind="custom", first="2024-01-01", last="2025-01-02"))
    assert "höchstens 366 Tage" in too_long.value.message
    with pytest.raises(ValidationError) as unknown:
        await reports.topics(week_ctx, ReportRequest(topic="wetter"), ["order_status"])
    assert unknown.value.field == "topic"
