"""Goodwill within set limits, exactly, on SQLite and PostgreSQL: at the limit, one cent above, the monthly total,
concurrent grants that together exceed a limit, requests and decisions, bad input and permissions."""
import asyncio
from datetime import timedelta

import pytest

from handoff.services import (
    admin, conversations, goodwill, goodwill_summary, handoffs, incidents, ticket_actions, ticket_queries, tickets,
)
from handoff.services import agent as agent_side
from handoff.services.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.integration.handoff.conftest import BACKENDS
from tests.integration.handoff.services.incident_fixtures import bot_texts, insert_person, report, start_clean

pytestmark = pytest.mark.integration
BOTH = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
LIMITS = {"voucher": {"per_case_cents": 2_000, "per_agent_month_cents": 5_000},
          "partial_refund": {"per_case_cents": 3_000, "per_agent_month_cents": 30_000}}
REASON = "Paket zwei Wochen verspätet, Kundin wartet auf Geschenk"


@pytest.fixture(autouse=True)
async def clean(ctx):
    await start_clean(ctx)
    await goodwill.set_limits(ctx, LIMITS)


async def own_conversation(ctx, agent_id: str) -> str:
    """A conversation the agent has claimed (their case)."""
    await ctx.presence.heartbeat(agent_id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, conversation.id, [], {})
    await agent_side.claim(ctx, conversation.id, agent_id)
    return conversation.id


async def voucher(ctx, agent_id, conversation_id, cents):
    return await goodwill.grant(ctx, agent_id, kind="voucher", amount_cents=cents, reason=REASON,
                                conversation_id=conversation_id)


@BOTH
async def test_at_the_limit_is_granted_and_one_cent_above_is_a_request(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    case = await own_conversation(ctx, agent)
    at_limit = await voucher(ctx, agent, case, 2_000)
    assert at_limit["status"] == "granted" and at_limit["amount_label"] == "20,00 €"
    assert (await bot_texts(ctx, case))[-1].startswith("Als Entgegenkommen erhalten Sie von uns einen Gutschein "
                                                       "über 20,00 €.")
    one_cent = await voucher(ctx, agent, case, 1)
    assert one_cent["status"] == "requested"
    assert "über dem Limit pro Fall von 20,00 € (in diesem Fall bisher 20,00 €)" in one_cent["limit_reasons"][0]
    other_case = await own_conversation(ctx, agent)
    above = await voucher(ctx, agent, other_case, 2_001)
    assert above["status"] == "requested"
    texts = await bot_texts(ctx, other_case)
    assert not any("Gutschein über" in text for text in texts)   # the customer is told only once it is theirs
    detail = await conversations.conversation_detail(ctx, other_case)
    assert "zur Freigabe" in detail["notes"][-1]["text"]
    # Other kinds have their own limits.
    refund = await goodwill.grant(ctx, agent, kind="partial_refund", amount_cents=3_000, reason=REASON,
                                  conversation_id=other_case)
    assert refund["status"] == "granted"


@BOTH
async def test_the_monthly_total_per_agent(ctx):
    agent = await insert_person(ctx, "agent")
    colleague = await insert_person(ctx, "agent")
    granted = [await voucher(ctx, agent, await own_conversation(ctx, agent), 2_000) for _ in range(2)]
    assert [g["status"] for g in granted] == ["granted", "granted"]
    exactly = await voucher(ctx, agent, await own_conversation(ctx, agent), 1_000)   # 50,00 € reached exactly
    assert exactly["status"] == "granted"
    over = await voucher(ctx, agent, await own_conversation(ctx, agent), 1)
    assert over["status"] == "requested" and "Monatslimit von 50,00 € (diesen Monat bisher 50,00 €)" in \
        over["limit_reasons"][0]
    assert (await voucher(ctx, colleague, await own_conversation(ctx, colleague), 2_000))["status"] == "granted"
    allowance = {k["kind"]: k for k in (await goodwill.allowance(ctx, agent))["kinds"]}
    assert allowance["voucher"]["used_cents"] == 5_000 and allowance["voucher"]["left_cents"] == 0
    # A new calendar month (in Berlin) starts a new allowance.
    ctx.clock.advance(days=20)
    assert (await voucher(ctx, agent, await own_conversation(ctx, agent), 2_000))["status"] == "granted"


@BOTH
async def test_concurrent_grants_on_one_case_never_exceed_its_limit(ctx):
    agent = await insert_person(ctx, "agent")
    case = await own_conversation(ctx, agent)
    results = await asyncio.gather(*(voucher(ctx, agent, case, 500) for _ in range(10)))
    statuses = sorted(r["status"] for r in results)
    assert statuses.count("granted") == 4 and statuses.count("requested") == 6   # 4 x 5,00 € = 20,00 €


@BOTH
async def test_concurrent_grants_by_one_agent_never_exceed_the_monthly_limit(ctx):
    agent = await insert_person(ctx, "agent")
    cases = [await own_conversation(ctx, agent) for _ in range(8)]
    results = await asyncio.gather(*(voucher(ctx, agent, case, 1_500) for case in cases))
    granted = [r for r in results if r["status"] == "granted"]
    assert len(granted) == 3                                                     # 45,00 € of 50,00 €
    assert sum(r["amount_cents"] for r in granted) <= LIMITS["voucher"]["per_agent_month_cents"]


@BOTH
async def test_a_supervisor_approves_or_declines_a_request(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    supervisor = await insert_person(ctx, "supervisor", "Sabine")
    case = await own_conversation(ctx, agent)
    request = await voucher(ctx, agent, case, 5_000)
    assert request["status"] == "requested"
    with pytest.raises(Forbidden):
        await goodwill.decide(ctx, request["id"], agent, approve=True)            # not her own request
    pending = (await goodwill.list_grants(ctx, supervisor, status="requested"))["grants"]
    assert [g["id"] for g in pending] == [request["id"]]
    approved = await goodwill.decide(ctx, request["id"], supervisor, approve=True, note="Stammkundin")
    assert approved["status"] == "approved" and approved["decided_by_name"] == "Sabine"
    assert "Gutschein über 50,00 €" in (await bot_texts(ctx, case))[-1]
    with pytest.raises(Conflict):
        await goodwill.decide(ctx, request["id"], supervisor, approve=False)      # decided once
    # An approved request was the supervisor's decision: the agent's own allowance is untouched.
    assert (await voucher(ctx, agent, await own_conversation(ctx, agent), 2_000))["status"] == "granted"
    second = await voucher(ctx, agent, case, 9_000)
    declined = await goodwill.decide(ctx, second["id"], supervisor, approve=False, note="Zu hoch")
    assert declined["status"] == "declined"
    assert "Gutschein über 90,00 €" not in " ".join(await bot_texts(ctx, case))
    assert "abgelehnt: Zu hoch" in (await conversations.conversation_detail(ctx, case))["notes"][-1]["text"]


@BOTH
async def test_bad_input_changes_nothing(ctx):
    agent = await insert_person(ctx, "agent")
    colleague = await insert_person(ctx, "agent")
    trainer = await insert_person(ctx, "trainer")
    admin = await insert_person(ctx, "admin")
    case = await own_conversation(ctx, agent)
    bad = [
        dict(kind="voucher", amount_cents=-100, reason=REASON, conversation_id=case),
        dict(kind="voucher", amount_cents=0, reason=REASON, conversation_id=case),
        dict(kind="voucher", amount_cents=12.5, reason=REASON, conversation_id=case),   # never floats
        dict(kind="voucher", amount_cents="1250", reason=REASON, conversation_id=case),
        dict(kind="voucher", amount_cents=1_000_001, reason=REASON, conversation_id=case),
        dict(kind="bargeld", amount_cents=100, reason=REASON, conversation_id=case),
        dict(kind="voucher", amount_cents=100, reason="", conversation_id=case),
        dict(kind="voucher", amount_cents=100, reason="x" * 1001, conversation_id=case),
        dict(kind="voucher", amount_cents=100, reason=REASON),
    ]
    for arguments in bad:
        with pytest.raises(ValidationError):
            await goodwill.grant(ctx, agent, **arguments)
    with pytest.raises(NotFound):
        await goodwill.grant(ctx, agent, kind="voucher", amount_cents=100, reason=REASON, conversation_id="nope")
    with pytest.raises(NotFound):
        await goodwill.grant(ctx, agent, kind="voucher", amount_cents=100, reason=REASON, ticket_id="nope")
    with pytest.raises(Forbidden):   # someone else's case
        await goodwill.grant(ctx, colleague, kind="voucher", amount_cents=100, reason=REASON, conversation_id=case)
    with pytest.raises(Forbidden):   # trainers do not grant goodwill
        await goodwill.grant(ctx, trainer, kind="voucher", amount_cents=100, reason=REASON, conversation_id=case)
    with pytest.raises(NotFound):
        await goodwill.decide(ctx, "nope", admin, approve=True)
    for limits in ({"voucher": {"per_case_cents": -1, "per_agent_month_cents": 100}},
                   {"voucher": {"per_case_cents": 500, "per_agent_month_cents": 100}},
                   {"voucher": {"per_case_cents": 5.5, "per_agent_month_cents": 100}},
                   {"gold": {"per_case_cents": 1, "per_agent_month_cents": 1}}, ["voucher"]):
        with pytest.raises(ValidationError):
            await goodwill.set_limits(ctx, limits)
    assert (await goodwill.get_limits(ctx)).for_kind("voucher").per_case_cents == 2_000
    assert (await goodwill.list_grants(ctx, admin))["grants"] == []
    assert await bot_texts(ctx, case) == [t for t in await bot_texts(ctx, case) if "Gutschein" not in t]
    # An admin may grant on any case; above the limits it is still a request, and another person decides it.
    assert (await goodwill.grant(ctx, admin, kind="voucher", amount_cents=100, reason=REASON,
                                 conversation_id=case))["status"] == "granted"
    own = await goodwill.grant(ctx, admin, kind="voucher", amount_cents=5_000, reason=REASON, conversation_id=case)
    assert own["status"] == "requested"
    with pytest.raises(Forbidden):
        await goodwill.decide(ctx, own["id"], admin, approve=True)
    second_admin = await insert_person(ctx, "admin")
    assert (await goodwill.decide(ctx, own["id"], second_admin, approve=True))["status"] == "approved"


@BOTH
async def test_a_grant_on_a_ticket_is_in_its_history_and_a_ticket_without_chat_gets_the_confirmation(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    colleague = await insert_person(ctx, "agent", "Ole")
    ticket = await tickets.create_ticket(ctx, kind="email", channel="email", email="kundin@example.org",
                                         text="Meine Bestellung kam eine Woche zu spät.")
    with pytest.raises(Forbidden):   # nobody's ticket yet: take it first
        await goodwill.grant(ctx, agent, kind="voucher", amount_cents=500, reason=REASON, ticket_id=ticket.id)
    await ticket_actions.claim(ctx, ticket.id, agent)
    with pytest.raises(Forbidden):   # Jana's ticket
        await goodwill.grant(ctx, colleague, kind="voucher", amount_cents=500, reason=REASON, ticket_id=ticket.id)
    granted = await goodwill.grant(ctx, agent, kind="voucher", amount_cents=500, reason=REASON, ticket_id=ticket.id)
    assert granted["status"] == "granted" and granted["ticket_reference"].startswith("NW#")
    articles = (await ticket_queries.ticket_detail(ctx, ticket.id))["articles"]
    history = [a for a in articles if (a.get("meta") or {}).get("goodwill_grant_id") == granted["id"]]
    assert sorted(a["kind"] for a in history) == ["reply", "system"]
    assert any("Kulanz: Gutschein über 5,00 € – gewährt. Grund: " + REASON in (a["text"] or "") for a in history)
    assert any("Gutschein über 5,00 €" in (a["text"] or "") and a["kind"] == "reply" for a in history)
    case = (await goodwill.list_grants(ctx, colleague, ticket_id=ticket.id))["grants"]
    assert [g["id"] for g in case] == [granted["id"]]


@BOTH
async def test_deleting_a_conversation_keeps_its_grants_anonymous_and_drops_its_incident_reports(ctx):
    agent = await insert_person(ctx, "agent")
    case = await own_conversation(ctx, agent)
    granted = await voucher(ctx, agent, case, 1_000)
    reporters = [await report(ctx, text) for text in ("Checkout Fehler 500", "Fehler im Checkout",
                                                      "Checkout zeigt Fehler")]
    [incident] = (await incidents.list_incidents(ctx))["incidents"]
    assert (await admin.export_conversation(ctx, case))["goodwill"][0]["id"] == granted["id"]
    await admin.delete_conversation(ctx, case)
    await admin.delete_conversation(ctx, reporters[0])
    [kept] = (await goodwill.list_grants(ctx, agent))["grants"]
    assert kept["id"] == granted["id"] and kept["conversation_id"] is None and kept["amount_cents"] == 1_000
    assert (await incidents.incident_detail(ctx, incident["id"]))["incident"]["report_count"] == 2


@BOTH
async def test_the_summary_for_supervisors_counts_cents_per_kind_and_agent(ctx):
    agent = await insert_person(ctx, "agent", "Jana")
    supervisor = await insert_person(ctx, "supervisor", "Sabine")
    case = await own_conversation(ctx, agent)
    await voucher(ctx, agent, case, 1_250)
    request = await voucher(ctx, agent, case, 5_000)
    await goodwill.decide(ctx, request["id"], supervisor, approve=True)
    await voucher(ctx, agent, case, 9_999)                                   # stays a request
    await goodwill.grant(ctx, agent, kind="free_return_shipping", amount_cents=695, reason=REASON,
                         conversation_id=case)
    day = ctx.now().date().isoformat()
    report = await goodwill_summary.summary(ctx, supervisor, day, day)
    kinds = {k["kind"]: k for k in report["kinds"]}
    assert (kinds["voucher"]["given_count"], kinds["voucher"]["given_cents"]) == (2, 6_250)
    assert (kinds["voucher"]["approved_count"], kinds["voucher"]["requested_count"]) == (1, 1)
    assert kinds["free_return_shipping"]["given_cents"] == 695 and kinds["partial_refund"]["given_count"] == 0
    assert report["given_cents"] == 6_945 and report["agents"] == [
        {"agent_id": agent, "agent_name": "Jana", "given_count": 3, "given_cents": 6_945}]
    yesterday = (ctx.now() - timedelta(days=1)).date().isoformat()
    assert (await goodwill_summary.summary(ctx, supervisor, yesterday, yesterday))["given_cents"] == 0
    with pytest.raises(Forbidden):
        await goodwill_summary.summary(ctx, agent, day, day)
    for first, last in (("gestern", day), (day, "2020-01-01"), (day, None)):
        with pytest.raises(ValidationError):
            await goodwill_summary.summary(ctx, supervisor, first, last)
