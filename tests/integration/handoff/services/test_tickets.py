"""The ticket lifecycle on both databases: creation, every agent action, refusals that change nothing, the claim
race, pending time not counting, reminders, auto-close, the customer's replies and follow-ups."""
import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from handoff.bus.base import TICKETS_TOPIC, agent_topic
from handoff.services import conversations, customer, handoffs, ticket_actions as actions, ticket_jobs, tickets
from handoff.services.errors import AlreadyClaimed, Conflict, Forbidden, NotFound, ValidationError
from handoff.services.ticket_lifecycle import TicketTransitionRefused
from handoff.services.ticket_queries import list_tickets, ticket_detail, tickets_for_customer
from handoff.services.ticket_sla import set_sla_settings
from handoff.services.transitions import load
from handoff.services.unit_of_work import unit_of_work
from handoff.store import accounts
from tests.integration.handoff.conftest import BACKENDS, insert_agents

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("database_url", BACKENDS, indirect=True)]
CLAIMERS = 20


async def insert_supervisor(ctx) -> str:
    agent_id = str(uuid.uuid4())
    async with ctx.db.begin() as conn:
        await accounts.insert_agent(conn, {
            "id": agent_id, "email": f"{agent_id}@nordwind.example", "display_name": "Sabine Supervisor",
            "password_hash": "unused", "role": "supervisor", "active": True, "capacity": 3, "failed_logins": 0,
            "created_at": datetime.now(timezone.utc)})
    return agent_id


async def after_hours_ticket(ctx, text="Meine Rechnung stimmt nicht"):
    """A customer asks for a person while nobody is online: the request becomes a ticket at once."""
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.receive_customer_message(ctx, conversation.id, "c1", text)
    summary = {"last_customer_messages": [text], "slots": {"order_number": "NW-482913", "amount": "49,90"}}
    assert await handoffs.request_handoff(ctx, conversation.id, [{"code": "customer_request"}], summary) == "ticket"
    found = (await list_tickets(ctx, "nobody"))["tickets"]
    return conversation, next(t for t in found if t["conversation_id"] == conversation.id)


async def articles(ctx, ticket_id):
    return (await ticket_detail(ctx, ticket_id))["articles"]


async def test_a_handoff_nobody_can_take_becomes_a_ticket_with_due_times_and_details(ctx):
    conversation, ticket = await after_hours_ticket(ctx)
    assert ticket["status"] == "new" and ticket["kind"] == "follow_up" and ticket["owner_id"] is None
    assert ticket["reference"] == f"NW#{ticket['number']}"
    assert ticket["first_response_due_at"] and ticket["solution_due_at"]
    assert ticket["summary"] == "Meine Rechnung stimmt nicht"
    detail = await ticket_detail(ctx, ticket["id"])
    assert detail["details"]["order_number"] == "NW-482913" and detail["details"]["amount"] == "49,90"
    assert [a["kind"] for a in detail["articles"]] == ["system", "customer"]
    # Asking again while it waits: the same ticket gets the words, no second ticket.
    await handoffs.request_handoff(ctx, conversation.id, [{"code": "customer_request"}],
                                   {"last_customer_messages": ["Bitte rufen Sie zurück"]})
    mine = [t for t in (await list_tickets(ctx, "x"))["tickets"] if t["conversation_id"] == conversation.id]
    assert len(mine) == 1
    # The contact form then adds the address to that ticket.
    await customer.leave_ticket(ctx, conversation.id, "kundin@example.org", "Bitte per Mail")
    detail = await ticket_detail(ctx, ticket["id"])
    assert detail["ticket"]["email"] == "kundin@example.org"
    assert detail["articles"][-1]["text"] == "Bitte per Mail"


async def test_data_protection_requests_get_their_kind_and_the_legal_month(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, conversation.id, [{"code": "data_protection"}],
                                   {"last_customer_messages": ["Löschen Sie alle meine Daten"]})
    ticket = next(t for t in (await list_tickets(ctx, "x"))["tickets"] if t["conversation_id"] == conversation.id)
    assert ticket["kind"] == "data_protection"
    created = datetime.fromisoformat(ticket["created_at"])
    due = datetime.fromisoformat(ticket["solution_due_at"])
    assert 28 <= (due - created).days <= 31


async def test_twenty_agents_claim_one_ticket_and_exactly_one_owns_it(ctx):
    agent_ids = await insert_agents(ctx, CLAIMERS)
    _, ticket = await after_hours_ticket(ctx)
    results = await asyncio.gather(*(actions.claim(ctx, ticket["id"], agent_id) for agent_id in agent_ids),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, losers
    assert all(isinstance(loser, AlreadyClaimed) for loser in losers), {type(l).__name__ for l in losers}
    stored = (await ticket_detail(ctx, ticket["id"]))
    assert stored["ticket"]["owner_id"] == winners[0].owner_id and stored["ticket"]["status"] == "open"
    assert sum(1 for a in stored["articles"] if "übernommen" in (a["text"] or "")) == 1


async def test_the_whole_lifecycle(ctx):
    anna, = await insert_agents(ctx, 1)
    conversation, ticket = await after_hours_ticket(ctx)
    tid = ticket["id"]
    claimed = await actions.claim(ctx, tid, anna)
    assert claimed.status == "open" and claimed.owner_id == anna and claimed.claimed_at

    view, article = await actions.answer(ctx, tid, anna, "Wir haben die Rechnung korrigiert.")
    assert view.first_response_at is not None and article.meta == {"delivered_via": ["widget"]}
    transcript = await conversations.transcript(ctx, conversation.id)
    assert transcript[-1].sender_type == "agent" and "Wir haben die Rechnung korrigiert." in transcript[-1].text
    assert transcript[-1].text.startswith(f"Antwort zu Ihrer Anfrage {view.reference}")

    until = ctx.now() + timedelta(days=2)
    pending = await actions.set_pending(ctx, tid, anna, until)
    assert pending.status == "pending" and pending.pending_until == until and pending.due_at is None

    reopened = await tickets.add_customer_reply(ctx, tid, "widget", "Danke, aber die Gutschrift fehlt noch.")
    assert reopened.status == "open" and reopened.pending_until is None and reopened.last_customer_at

    solved = await actions.solve(ctx, tid, anna)
    assert solved.status == "solved" and solved.solved_at
    again = await tickets.add_customer_reply(ctx, tid, "widget", "Jetzt ist sie da, danke!")
    assert again.status == "open" and again.solved_at is None
    assert (await actions.solve(ctx, tid, anna)).status == "solved"
    assert (await actions.reopen(ctx, tid, anna)).status == "open"
    await actions.solve(ctx, tid, anna)

    ctx.clock.advance(days=8)
    assert await ticket_jobs.close_solved(ctx) >= 1
    closed = (await ticket_detail(ctx, tid))["ticket"]
    assert closed["status"] == "closed" and closed["closed_at"]

    follow_up = await tickets.add_customer_reply(ctx, tid, "widget", "Noch eine Frage zur Rechnung")
    assert follow_up.id != tid and follow_up.follow_up_of_id == tid and follow_up.status == "new"
    assert (await ticket_detail(ctx, tid))["ticket"]["status"] == "closed"

    changes = [(a["meta"]["from"], a["meta"]["to"]) for a in await articles(ctx, tid) if a["kind"] == "state_change"]
    assert changes == [("new", "open"), ("open", "pending"), ("pending", "open"), ("open", "solved"),
                       ("solved", "open"), ("open", "solved"), ("solved", "open"), ("open", "solved"),
                       ("solved", "closed")]


async def test_the_customer_sees_their_request_and_our_answer(ctx):
    anna, = await insert_agents(ctx, 1)
    conversation, ticket = await after_hours_ticket(ctx)
    await actions.add_note(ctx, ticket["id"], anna, "Intern: Kundin ist Stammkundin")
    await actions.answer(ctx, ticket["id"], anna, "Die Rechnung ist korrigiert.")
    seen = await tickets_for_customer(ctx, conversation.id)
    assert seen == [{
        "notice": f"Zu Ihrer Anfrage {ticket['reference']} (offen) haben wir geantwortet – die Antwort steht im Verlauf.",
        "reference": ticket["reference"], "status": "open", "status_label": "offen",
        "kind_label": "Rückmeldung erbeten", "created_at": ticket["created_at"],
        "answers": [{"text": "Die Rechnung ist korrigiert.", "created_at": seen[0]["answers"][0]["created_at"],
                     "author_name": "Agent"}],
    }]
    assert "Intern" not in str(seen)
    # Writing in the widget after our answer is a reply to it.
    await actions.solve(ctx, ticket["id"], anna)
    await customer.receive_customer_message(ctx, conversation.id, "c2", "Passt, aber eine Frage noch")
    assert (await ticket_detail(ctx, ticket["id"]))["ticket"]["status"] == "open"


async def test_refused_transitions_change_nothing(ctx):
    anna, = await insert_agents(ctx, 1)
    _, ticket = await after_hours_ticket(ctx)
    tid = ticket["id"]
    with pytest.raises(TicketTransitionRefused, match="Im Status „neu“ ist „wieder öffnen“ nicht möglich"):
        await actions.reopen(ctx, tid, anna)
    await actions.solve(ctx, tid, anna)
    ctx.clock.advance(days=30)
    await ticket_jobs.close_solved(ctx)
    before = await ticket_detail(ctx, tid)
    for attempt in (actions.solve(ctx, tid, anna), actions.reopen(ctx, tid, anna),
                    actions.answer(ctx, tid, anna, "Hallo"), actions.claim(ctx, tid, anna),
                    actions.set_pending(ctx, tid, anna, ctx.now() + timedelta(days=1))):
        with pytest.raises(Conflict) as refused:
            await attempt
        assert "geschlossen" in str(refused.value)
    assert await ticket_detail(ctx, tid) == before


async def test_bad_input_gets_german_errors_and_changes_nothing(ctx):
    anna, bert = await insert_agents(ctx, 2)
    _, ticket = await after_hours_ticket(ctx)
    tid = ticket["id"]
    before = await ticket_detail(ctx, tid)
    with pytest.raises(NotFound, match="Ticket nicht gefunden"):
        await actions.claim(ctx, "no-such-ticket", anna)
    with pytest.raises(ValidationError, match="zu lang"):
        await actions.add_note(ctx, tid, anna, "x" * 10001)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        await actions.set_pending(ctx, tid, anna, ctx.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="Datum und Uhrzeit"):
        await actions.set_pending(ctx, tid, anna, datetime(2030, 1, 1))
    with pytest.raises(ValidationError, match="keine Tickets"):
        await actions.assign(ctx, tid, anna, "nobody")
    with pytest.raises(Forbidden):
        await actions.solve(ctx, tid, "not-an-agent")
    assert await ticket_detail(ctx, tid) == before
    # Someone else's ticket.
    await actions.claim(ctx, tid, anna)
    owned = await ticket_detail(ctx, tid)
    for attempt in (actions.solve(ctx, tid, bert), actions.answer(ctx, tid, bert, "Hallo"),
                    actions.assign(ctx, tid, bert, bert)):
        with pytest.raises(Forbidden, match="Dieses Ticket bearbeitet Agent"):
            await attempt
    with pytest.raises(AlreadyClaimed):
        await actions.claim(ctx, tid, bert)
    assert await ticket_detail(ctx, tid) == owned
    # A supervisor may step in and reassign.
    sabine = await insert_supervisor(ctx)
    assert (await actions.assign(ctx, tid, sabine, bert)).owner_id == bert


async def test_merge_duplicates_of_the_same_customer_only(ctx):
    anna, = await insert_agents(ctx, 1)
    first = await tickets.create_ticket(ctx, kind="email", channel="email", text="Paket fehlt",
                                        email="Kunde@Example.org")
    second = await tickets.create_ticket(ctx, kind="email", channel="email", text="Paket fehlt immer noch",
                                         email="kunde@example.org")
    stranger = await tickets.create_ticket(ctx, kind="email", channel="email", text="Anderes", email="x@example.org")
    with pytest.raises(ValidationError, match="derselben Kundin"):
        await actions.merge(ctx, second.id, anna, stranger.id)
    with pytest.raises(ValidationError, match="mit sich selbst"):
        await actions.merge(ctx, second.id, anna, second.id)
    merged = await actions.merge(ctx, second.id, anna, first.id)
    assert merged.status == "merged" and merged.merged_into_id == first.id
    texts = [a["text"] for a in await articles(ctx, first.id)]
    assert "Paket fehlt immer noch" in texts and f"{second.reference} wurde hierher zusammengeführt." in texts
    # A reply to the merged ticket lands on the one it went into.
    target = await tickets.add_customer_reply(ctx, second.id, "email", "Hallo?")
    assert target.id == first.id


async def test_pending_time_does_not_count_and_the_reminder_reopens(ctx):
    anna, = await insert_agents(ctx, 1)
    _, ticket = await after_hours_ticket(ctx)
    tid = ticket["id"]
    await actions.claim(ctx, tid, anna)
    first_due = datetime.fromisoformat(ticket["first_response_due_at"])
    await actions.set_pending(ctx, tid, anna, ctx.now() + timedelta(hours=2))
    async with ctx.bus.subscribe(TICKETS_TOPIC, agent_topic(anna)) as events:
        ctx.clock.advance(hours=2)   # Wednesday 12:00 Berlin: two business hours spent waiting
        assert await ticket_jobs.send_due_reminders(ctx) == 1
        received = [await asyncio.wait_for(events.__anext__(), 5) for _ in range(3)]
    assert {(topic, payload["type"]) for topic, payload in received} >= {
        (TICKETS_TOPIC, "ticket_changed"), (agent_topic(anna), "ticket_reminder")}
    after = (await ticket_detail(ctx, tid))["ticket"]
    assert after["status"] == "open" and after["pending_until"] is None
    assert datetime.fromisoformat(after["first_response_due_at"]) == first_due + timedelta(hours=2)


async def test_problem_reports_become_tickets_of_their_kind(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    from handoff.services.unit_of_work import unit_of_work
    from handoff.services.transitions import load
    async with unit_of_work(ctx) as uow:
        row = await load(uow, conversation.id)
        complaint = await tickets.record_problem_report_in(uow, ctx, row, "complaint", "Bote unfreundlich")
        damage = await tickets.record_problem_report_in(uow, ctx, row, "damaged_item", "Delle im Kessel")
        assert await tickets.note_order_number_in(uow, conversation.id, ("problem_report",), "NW-1")
    assert complaint["kind"] == "complaint" and damage["kind"] == "problem_report"
    assert (await ticket_detail(ctx, damage["id"]))["details"]["order_number"] == "NW-1"


async def test_sla_settings_apply_to_new_tickets(ctx):
    await set_sla_settings(ctx, {"close_after_days": 2, "policies": {
        "follow_up": {"first_response_minutes": 30, "solution_minutes": 60, "legal_month": False}}})
    _, ticket = await after_hours_ticket(ctx)
    created = datetime.fromisoformat(ticket["created_at"])
    assert datetime.fromisoformat(ticket["first_response_due_at"]) - created == timedelta(minutes=30)
    with pytest.raises(ValidationError):
        await set_sla_settings(ctx, {"policies": {"follow_up": {"first_response_minutes": 0}}})


async def test_the_inbox_filters_counts_and_sorts_by_due_time(ctx):
    anna, = await insert_agents(ctx, 1)
    _, older = await after_hours_ticket(ctx, "Erste Anfrage")
    ctx.clock.advance(minutes=5)
    _, newer = await after_hours_ticket(ctx, "Zweite Anfrage")
    await actions.claim(ctx, newer["id"], anna)
    inbox = await list_tickets(ctx, anna)
    ids = [t["id"] for t in inbox["tickets"]]
    assert ids.index(older["id"]) < ids.index(newer["id"])     # due earlier, listed first
    assert inbox["counts"]["owner"]["me"] == 1 and inbox["counts"]["status"]["open"] >= 1
    mine = await list_tickets(ctx, anna, owner="me")
    assert [t["id"] for t in mine["tickets"]] == [newer["id"]]
    assert all(t["status"] == "new" for t in (await list_tickets(ctx, anna, status="new"))["tickets"])
    with pytest.raises(ValidationError):
        await list_tickets(ctx, anna, status="archived")
    ctx.clock.advance(days=3)
    overdue = await list_tickets(ctx, anna)
    assert overdue["due"]["overdue"] >= 2 and overdue["due"]["overdue_mine"] == 1
    assert {t["due_state"] for t in overdue["tickets"] if t["id"] in (older["id"], newer["id"])} == {"overdue"}


async def test_deleting_the_conversation_deletes_its_tickets_and_history(ctx):
    from handoff.services.admin import delete_conversation, export_conversation
    anna, = await insert_agents(ctx, 1)
    conversation, ticket = await after_hours_ticket(ctx)
    await actions.add_note(ctx, ticket["id"], anna, "Notiz")
    exported = await export_conversation(ctx, conversation.id)
    assert exported["tickets"][0]["articles"][-1]["text"] == "Notiz"
    await delete_conversation(ctx, conversation.id)
    with pytest.raises(NotFound):
        await ticket_detail(ctx, ticket["id"])


async def test_in_a_bot_conversation_the_customers_words_after_we_acted_on_their_report_reach_it_as_a_mail_would(ctx):
    """The bot recorded a problem and the chat went on with the bot (status `bot`): once an agent answered, solved or
    set the report pending, what the customer writes in the widget is a reply on it, as a mail reply is."""
    anna, = await insert_agents(ctx, 1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Die Vase kam zerbrochen an")
    async with unit_of_work(ctx) as uow:
        report = await tickets.record_problem_report_in(uow, ctx, await load(uow, conversation.id), "damaged_item",
                                                        "Die Vase kam zerbrochen an")
    # Before anyone acted on it, the bot carries the chat and the report stays as it is.
    await customer.customer_writes(ctx, conversation.id, "c2", "Wie lange dauert eine Rücksendung?")
    assert [a["kind"] for a in await articles(ctx, report["id"])] == ["system", "customer"]
    assert (await ticket_detail(ctx, report["id"]))["ticket"]["status"] == "new"

    await actions.answer(ctx, report["id"], anna, "Wir schicken Ihnen eine neue Vase.")
    await actions.solve(ctx, report["id"], anna)
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "bot"
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c3", "Die neue Vase ist auch kaputt")
    assert replies, "the bot still answers in its conversation"
    detail = await ticket_detail(ctx, report["id"])
    assert detail["ticket"]["status"] == "open"
    last = detail["articles"][-2:]
    assert [(a["kind"], (a.get("meta") or {}).get("to")) for a in last] == [("customer", None),
                                                                          ("state_change", "open")]
    assert last[0]["channel"] == "widget" and last[0]["text"] == "Die neue Vase ist auch kaputt"
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "bot"

    # Pending, then the customer writes: open again, as with a mail (tickets.add_customer_reply, channel email).
    await actions.set_pending(ctx, report["id"], anna, ctx.now() + timedelta(days=2))
    await customer.customer_writes(ctx, conversation.id, "c4", "Soll ich die Scherben zurückschicken?")
    assert (await ticket_detail(ctx, report["id"]))["ticket"]["status"] == "open"
    await actions.solve(ctx, report["id"], anna)
    by_mail = await tickets.add_customer_reply(ctx, report["id"], "email", "Noch eine Frage per Mail")
    assert by_mail.status == "open"


async def test_a_report_solved_without_an_answer_is_reopened_by_the_customers_next_chat_message(ctx):
    anna, = await insert_agents(ctx, 1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    async with unit_of_work(ctx) as uow:
        report = await tickets.record_problem_report_in(uow, ctx, await load(uow, conversation.id), "report_outage",
                                                        "Der Checkout geht nicht")
    await actions.solve(ctx, report["id"], anna)
    await customer.customer_writes(ctx, conversation.id, "c1", "Der Checkout geht immer noch nicht")
    detail = await ticket_detail(ctx, report["id"])
    assert detail["ticket"]["status"] == "open"
    said = [a["text"] for a in detail["articles"] if a["kind"] == "customer"]
    assert said[-1] == "Der Checkout geht immer noch nicht"
