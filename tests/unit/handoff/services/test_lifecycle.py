"""The whole path of one conversation through the service, with the fake bot and the in-process bus."""
import pytest

from handoff.bus.base import QUEUE_TOPIC, conversation_topic
from handoff.services import presence
from handoff.services import agent as agent_side
from handoff.services import auth, conversations, customer, handoffs
from handoff.services.errors import AlreadyClaimed, Conflict, Forbidden, NotFound, ValidationError

pytestmark = pytest.mark.unit
PASSWORD = "correct horse battery"


async def online_agent(ctx, email="anna@nordwind.example", name="Anna"):
    agent = await auth.create_agent(ctx, email, name, PASSWORD)
    await presence.choose_status(ctx, agent.id, "online")
    return agent


async def test_full_lifecycle(ctx, bot, clock):
    conversation, token = await conversations.start_conversation(ctx, "widget")
    assert (await conversations.conversation_for_customer(ctx, conversation.id, token)).status == "bot"
    anna = await online_agent(ctx)

    message, duplicate, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo")
    assert not duplicate and message.seq == 1
    assert [r.text for r in replies] == ["Antwort auf: Hallo"]

    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "Ich will einen Mitarbeiter")
    assert replies[0].text == "Ich hole eine Kollegin oder einen Kollegen dazu."
    assert replies[-1].message_type == "activity" and "Nächstes an der Reihe" in replies[-1].text
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "queued"
    [item] = await handoffs.queue(ctx)
    assert item.first_customer_message == "Hallo"
    assert item.reasons[0]["code"] == "customer_request"
    assert item.summary["last_customer_messages"] == ["Ich will einen Mitarbeiter"]
    assert await handoffs.queue_position(ctx, conversation.id) == (1, 6)

    clock.advance(seconds=30)
    claimed = await agent_side.claim(ctx, conversation.id, anna.id)
    assert claimed.status == "agent" and claimed.assignee_id == anna.id

    received_before = len(bot.received)
    waiting, _, routed = await customer.customer_writes(ctx, conversation.id, "c3", "Sind Sie da?")
    assert routed == [] and len(bot.received) == received_before   # agents answer now, not the bot
    reply = await agent_side.agent_reply(ctx, conversation.id, anna.id, "Ja, ich bin da!")
    assert reply.sender_name == "Anna" and reply.to_public()["sender_type"] == "agent"
    await agent_side.add_note(ctx, conversation.id, anna.id, "Kunde wartet seit Montag")
    first_reply = (await conversations.get_conversation(ctx, conversation.id)).first_reply_at
    clock.advance(seconds=5)
    await agent_side.agent_reply(ctx, conversation.id, anna.id, "Noch etwas?")
    assert (await conversations.get_conversation(ctx, conversation.id)).first_reply_at == first_reply

    public = await conversations.transcript(ctx, conversation.id)
    assert all(not m.private for m in public)
    everything = await conversations.transcript(ctx, conversation.id, include_private=True)
    assert [m.seq for m in everything] == list(range(1, len(everything) + 1))   # gap-free
    assert any(m.private and m.text == "Kunde wartet seit Montag" for m in everything)

    back = await agent_side.hand_back(ctx, conversation.id, anna.id)
    assert back.status == "bot" and back.assignee_id is None
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c4", "Wo ist mein Paket?")
    assert replies[0].text == "Antwort auf: Wo ist mein Paket?"

    await agent_side.resolve(ctx, conversation.id, anna.id)
    await customer.rate(ctx, conversation.id, 5, "Super")
    with pytest.raises(Conflict):
        await customer.rate(ctx, conversation.id, 4)

    detail = await conversations.conversation_detail(ctx, conversation.id)
    assert detail["csat"]["rating"] == 5
    assert detail["handoff"]["outcome"] == "handed_back" and detail["handoff"]["claimed_by"] == anna.id
    assert [n["text"] for n in detail["notes"]] == ["Kunde wartet seit Montag"]
    first = next(m for m in detail["transcript"] if m["seq"] == 1)
    assert first["intent"] == "greet" and first["tone_label"] == "calm"

    # A message after resolution reopens the conversation with the bot (resolved -> bot).
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c5", "Noch eine Frage")
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "bot"
    assert replies[0].text == "Antwort auf: Noch eine Frage"


async def test_resend_with_same_client_id_is_stored_once(ctx, bot):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    first, duplicate_first = await customer.receive_customer_message(ctx, conversation.id, "same", "Hallo")
    again, duplicate_again = await customer.receive_customer_message(ctx, conversation.id, "same", "Hallo")
    assert (duplicate_first, duplicate_again) == (False, True)
    assert again.id == first.id and again.seq == first.seq
    assert bot.received == []
    # Stored but never routed (as after a crash before routing): the resend gets it answered, once.
    _, dup, replies = await customer.customer_writes(ctx, conversation.id, "same", "Hallo")
    assert dup and [r.text for r in replies] == ["Antwort auf: Hallo"]
    _, dup, replies = await customer.customer_writes(ctx, conversation.id, "same", "Hallo")
    assert dup and replies == [] and len(bot.received) == 1
    assert len(await conversations.transcript(ctx, conversation.id)) == 2


async def test_after_hours_handoff_becomes_ticket_with_honest_message(ctx, clock):
    from tests.unit.handoff.conftest import CLOSED_TIME
    clock.now = CLOSED_TIME
    await online_agent(ctx)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Bitte einen Menschen")
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "ticket"
    notice = replies[-1]
    assert notice.message_type == "activity" and "morgen ab 8:00 Uhr" in notice.text
    assert notice.payload == {"offer": "ticket_form"}
    ticket = await customer.leave_ticket(ctx, conversation.id, "kunde@example.de", "Bitte Rückruf")
    assert ticket.kind == "follow_up" and ticket.conversation_id == conversation.id
    detail = await conversations.conversation_detail(ctx, conversation.id)
    assert detail["conversation"]["customer_email"] == "kunde@example.de"
    assert detail["handoff"]["outcome"] == "ticket"
    # In `ticket` the bot keeps answering.
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "Danke")
    assert replies[0].text == "Antwort auf: Danke"


async def test_asking_again_after_hours_gets_a_short_honest_note_not_the_whole_text_again(ctx, clock):
    from tests.unit.handoff.conftest import CLOSED_TIME
    clock.now = CLOSED_TIME
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Bitte einen Menschen")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "Ich will einen Mitarbeiter")
    notice = replies[-1]
    assert notice.text.startswith("Auch das habe ich für unser Team festgehalten. Wir sind morgen ab 8:00 Uhr")
    assert "E-Mail-Adresse können wir uns" in notice.text and notice.payload == {"offer": "ticket_form"}
    await customer.leave_ticket(ctx, conversation.id, "kunde@example.de", "Bitte Rückruf")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c3", "Ich will einen Mitarbeiter")
    assert replies[-1].text.endswith("Wir melden uns unter der E-Mail-Adresse, die Sie uns gegeben haben.")
    assert replies[-1].payload is None   # no second form for an address we have
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "ticket"


async def test_open_but_nobody_online_also_offers_ticket(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    status = await handoffs.request_handoff(ctx, conversation.id, [{"code": "tone"}], {})
    assert status == "ticket"
    [notice] = await conversations.transcript(ctx, conversation.id)
    assert "niemand aus unserem Team" in notice.text


async def test_customer_leaves_ticket_while_queued(ctx):
    await online_agent(ctx)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, conversation.id, [], {})
    await customer.leave_ticket(ctx, conversation.id, "k@example.de", "Ich kann nicht warten")
    assert (await conversations.get_conversation(ctx, conversation.id)).status == "ticket"
    assert await handoffs.queue(ctx) == []


async def test_claim_rules(ctx):
    anna = await online_agent(ctx)
    ben = await online_agent(ctx, "ben@nordwind.example", "Ben")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    with pytest.raises(Exception) as not_queued:
        await agent_side.claim(ctx, conversation.id, anna.id)
    assert "claimed" in str(not_queued.value)
    await handoffs.request_handoff(ctx, conversation.id, [], {})
    await agent_side.claim(ctx, conversation.id, anna.id)
    with pytest.raises(AlreadyClaimed):
        await agent_side.claim(ctx, conversation.id, ben.id)
    with pytest.raises(Forbidden):
        await agent_side.agent_reply(ctx, conversation.id, ben.id, "Hallo")
    with pytest.raises(Forbidden):
        await agent_side.resolve(ctx, conversation.id, ben.id)
    transferred = await agent_side.transfer_to_queue(ctx, conversation.id, anna.id)
    assert transferred.status == "queued" and transferred.assignee_id is None
    assert (await agent_side.claim(ctx, conversation.id, ben.id)).assignee_id == ben.id
    assert [c.id for c in await agent_side.my_conversations(ctx, ben.id)] == [conversation.id]
    with pytest.raises(NotFound):
        await agent_side.claim(ctx, "no-such-id", ben.id)


async def test_queue_orders_by_priority_then_waiting_time(ctx, clock):
    await online_agent(ctx)
    calm, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, calm.id, [{"code": "customer_request"}], {})
    clock.advance(minutes=1)
    urgent, _ = await conversations.start_conversation(ctx, "widget")
    await handoffs.request_handoff(ctx, urgent.id, [{"code": "legal_threat"}],
                                   {"escalation": {"rolling_tone": 0.9}})
    clock.advance(minutes=2)
    queue = await handoffs.queue(ctx)
    assert [item.conversation_id for item in queue] == [urgent.id, calm.id]
    assert queue[0].rolling_tone == 0.9 and queue[1].waiting_seconds == 180


async def test_customer_token_and_input_validation(ctx):
    conversation, token = await conversations.start_conversation(ctx, "widget")
    with pytest.raises(Forbidden):
        await conversations.conversation_for_customer(ctx, conversation.id, token + "x")
    with pytest.raises(NotFound):
        await conversations.conversation_for_customer(ctx, "missing", token)
    with pytest.raises(ValidationError):
        await customer.receive_customer_message(ctx, conversation.id, "c1", " \x00\t ")
    with pytest.raises(ValidationError):
        await customer.receive_customer_message(ctx, conversation.id, "c1", "x" * 2001)
    stored, _ = await customer.receive_customer_message(ctx, conversation.id, "c1", "Hal\x07lo\r\nWelt\x1b")
    assert stored.text == "Hallo\nWelt"
    with pytest.raises(ValidationError):
        await customer.leave_ticket(ctx, conversation.id, "keine-mail", "x")
    with pytest.raises(Conflict):
        await customer.rate(ctx, conversation.id, 5)   # not resolved yet


async def test_external_conversations_are_found_again(ctx):
    first = await conversations.conversation_for_external(ctx, "rest", "sender-1")
    again = await conversations.conversation_for_external(ctx, "rest", "sender-1")
    other = await conversations.conversation_for_external(ctx, "socketio", "sender-1")
    assert first.id == again.id != other.id


async def test_events_are_published_after_commit(ctx):
    anna = await online_agent(ctx)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    async with ctx.bus.subscribe(conversation_topic(conversation.id), QUEUE_TOPIC) as events:
        await customer.customer_writes(ctx, conversation.id, "c1", "Mitarbeiter bitte")
        await agent_side.claim(ctx, conversation.id, anna.id)
        await agent_side.add_note(ctx, conversation.id, anna.id, "intern")
        received = []
        while len(received) < 10:
            received.append(await events.__anext__())
    kinds = [(topic.split(".")[0], payload["type"]) for topic, payload in received]
    assert ("conversation", "typing") in kinds
    assert ("queue", "message") not in kinds               # messages stay on their conversation's topic
    assert ("queue", "queue_changed") in kinds
    states = [p["status"] for t, p in received if p["type"] == "state"]
    assert states == ["queued", "agent"]
    note = next(p for t, p in received if p["type"] == "note")
    assert note["detail"]["private"] is True and "message" not in note
    message = next(p for t, p in received if p["type"] == "message" and t.startswith("conversation"))
    assert set(message["message"]) == {"seq", "message_type", "sender_type", "sender_name", "text", "buttons",
                                       "created_at"}


async def test_failed_use_case_publishes_nothing(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    async with ctx.bus.subscribe(conversation_topic(conversation.id)) as events:
        with pytest.raises(Forbidden):
            await agent_side.hand_back(ctx, conversation.id, "nobody")
        await ctx.bus.publish(conversation_topic(conversation.id), {"type": "marker"})
        assert (await events.__anext__())[1] == {"type": "marker"}


async def test_message_claimed_while_stored_is_answered_once_by_the_claim_holder(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    received = await customer.receive_and_claim(ctx, conversation.id, "m1", "Hallo")
    assert not received.duplicate and received.claim is not None
    # A resend while the claim is fresh neither asks the bot nor stores a second answer.
    _, dup, replies = await customer.customer_writes(ctx, conversation.id, "m1", "Hallo")
    assert dup and replies == [] and bot.received == []
    replies = await customer.route_customer_message(ctx, conversation.id, received.message, received.claim)
    assert [r.text for r in replies] == ["Antwort auf: Hallo"]
    # Once answered, a resend or the sweep (no claim) finds it routed.
    assert await customer.route_customer_message(ctx, conversation.id, received.message) == []
    assert len(bot.received) == 1


async def test_claim_taken_while_storing_goes_stale_then_a_resend_gets_the_answer(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    received = await customer.receive_and_claim(ctx, conversation.id, "m1", "Hallo")   # then the process dies
    clock.advance(seconds=ctx.config.routing_stale_after.total_seconds() + 1)
    _, dup, replies = await customer.customer_writes(ctx, conversation.id, "m1", "Hallo")
    assert dup and [r.text for r in replies] == ["Antwort auf: Hallo"]
    # The dead caller's claim no longer counts: its late answer would be dropped.
    assert await customer.route_customer_message(ctx, conversation.id, received.message, received.claim) == []
    assert len(await conversations.transcript(ctx, conversation.id)) == 2
