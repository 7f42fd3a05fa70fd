"""Routing of customer messages to the bot: claimed once, answered once, found again after a crash."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from handoff.services import presence
from handoff.services import bot_routing, conversations, customer, routing_sweep
from handoff.services import agent as agent_side
from handoff.services import auth
from handoff.store.tables import messages
from tests.fakes import FakeBotEngine

pytestmark = pytest.mark.unit
STALE_SECONDS = 15   # ServiceConfig.routing_stale_after of the unit fixture (the default)


class GatedBot(FakeBotEngine):
    """The fake bot, but the first `gated` answers wait until the test opens the gate: calls overlap deterministically."""

    def __init__(self, gated: int = 1_000) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.asked = asyncio.Event()
        self.gated = gated

    async def reply(self, sender_id, text, metadata=None):
        self.asked.set()
        if self.gated > 0:
            self.gated -= 1
            await self.gate.wait()
        return await super().reply(sender_id, text, metadata)


async def bot_answers(ctx, conversation_id):
    return [m.text for m in await conversations.transcript(ctx, conversation_id) if m.sender_type == "bot"]


async def routing_facts(ctx, message_id):
    async with ctx.db.connect() as conn:
        row = (await conn.execute(select(messages.c.routing_started_at, messages.c.routed_at)
                                  .where(messages.c.id == message_id))).one()
    return row.routing_started_at, row.routed_at


async def test_concurrent_resends_make_the_bot_answer_once(ctx):
    ctx.bot = GatedBot()
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    stored, _ = await customer.receive_customer_message(ctx, conversation.id, "c1", "Hallo")
    resends = [asyncio.create_task(customer.customer_writes(ctx, conversation.id, "c1", "Hallo")) for _ in range(5)]
    await ctx.bot.asked.wait()
    ctx.bot.gate.set()
    results = await asyncio.gather(*resends)
    assert all(duplicate for _, duplicate, _ in results)
    assert sorted(len(replies) for _, _, replies in results) == [0, 0, 0, 0, 1]
    assert len(ctx.bot.received) == 1
    assert await bot_answers(ctx, conversation.id) == ["Antwort auf: Hallo"]
    started, routed = await routing_facts(ctx, stored.id)
    assert started is not None and routed is not None


async def test_resend_after_a_crash_mid_routing_is_answered_once_the_claim_is_stale(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    stored, _ = await customer.receive_customer_message(ctx, conversation.id, "c1", "Wo ist mein Paket?")
    # The process that claimed the message died before the bot answered.
    assert await bot_routing.claim_for_bot(ctx, conversation.id, stored.id) is not None

    clock.advance(seconds=STALE_SECONDS - 1)
    _, duplicate, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Wo ist mein Paket?")
    assert duplicate and replies == [] and bot.received == []   # the claim may still be a live bot call

    clock.advance(seconds=2)
    _, duplicate, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Wo ist mein Paket?")
    assert duplicate and [r.text for r in replies] == ["Antwort auf: Wo ist mein Paket?"]
    clock.advance(seconds=STALE_SECONDS * 3)
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Wo ist mein Paket?")
    assert replies == [] and len(bot.received) == 1
    assert await routing_sweep.route_unrouted_messages(ctx) == 0
    assert await bot_answers(ctx, conversation.id) == ["Antwort auf: Wo ist mein Paket?"]


async def test_reconnect_resend_after_a_completed_routing_is_not_answered_twice(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, duplicate, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo")
    assert not duplicate and len(replies) == 1
    for delay in (0, STALE_SECONDS * 10):
        clock.advance(seconds=delay)
        _, duplicate, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo")
        assert duplicate and replies == []
    assert len(bot.received) == 1 and len(await bot_answers(ctx, conversation.id)) == 1


async def test_sweep_answers_what_a_dead_process_left_and_only_that(ctx, bot, clock):
    crashed, _ = await conversations.start_conversation(ctx, "widget")
    never_claimed, _ = await conversations.start_conversation(ctx, "widget")
    answered, _ = await conversations.start_conversation(ctx, "widget")
    left, _ = await customer.receive_customer_message(ctx, crashed.id, "c1", "Erste Frage")
    await bot_routing.claim_for_bot(ctx, crashed.id, left.id)
    await customer.receive_customer_message(ctx, never_claimed.id, "c1", "Zweite Frage")
    await customer.customer_writes(ctx, answered.id, "c1", "Dritte Frage")

    assert await routing_sweep.route_unrouted_messages(ctx) == 0   # nothing is stale yet
    clock.advance(seconds=STALE_SECONDS + 1)
    assert await routing_sweep.route_unrouted_messages(ctx) == 2
    assert await routing_sweep.route_unrouted_messages(ctx) == 0
    assert sorted(text for _, text in bot.received) == ["Dritte Frage", "Erste Frage", "Zweite Frage"]
    for conversation in (crashed, never_claimed, answered):
        assert len(await bot_answers(ctx, conversation.id)) == 1


async def test_sweep_respects_its_batch_limit(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    for number in range(3):
        await customer.receive_customer_message(ctx, conversation.id, f"c{number}", f"Frage {number}")
    clock.advance(seconds=STALE_SECONDS + 1)
    assert await routing_sweep.route_unrouted_messages(ctx, limit=2) == 2
    assert [text for _, text in bot.received] == ["Frage 0", "Frage 1"]
    assert await routing_sweep.route_unrouted_messages(ctx) == 1


async def test_messages_for_agents_are_routed_on_arrival_and_never_swept(ctx, bot, clock):
    anna = await auth.create_agent(ctx, "anna@nordwind.example", "Anna", "correct horse battery")
    await presence.choose_status(ctx, anna.id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Ich will einen Mitarbeiter")
    queued, _ = await customer.receive_customer_message(ctx, conversation.id, "c2", "Hallo?")
    await agent_side.claim(ctx, conversation.id, anna.id)
    with_agent, _ = await customer.receive_customer_message(ctx, conversation.id, "c3", "Sind Sie da?")
    for message in (queued, with_agent):
        started, routed = await routing_facts(ctx, message.id)
        assert started is None and routed is not None
    clock.advance(seconds=STALE_SECONDS + 1)
    assert await routing_sweep.route_unrouted_messages(ctx) == 0
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c3", "Sind Sie da?")
    assert replies == [] and len(bot.received) == 1


async def test_a_claim_taken_over_after_going_stale_drops_the_late_answer(ctx, clock):
    ctx.bot = GatedBot(gated=1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    slow = asyncio.create_task(customer.customer_writes(ctx, conversation.id, "c1", "Hallo"))
    await ctx.bot.asked.wait()                    # the first call hangs in the bot beyond the stale threshold
    clock.advance(seconds=STALE_SECONDS + 1)
    _, _, takeover = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo")
    ctx.bot.gate.set()
    _, _, late = await slow
    assert len(takeover) == 1 and late == []
    assert await bot_answers(ctx, conversation.id) == ["Antwort auf: Hallo"]


async def test_honest_answer_without_bot_also_finishes_routing(ctx, clock):
    ctx.bot = FakeBotEngine(fail=True)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c1", "Hallo")
    assert [r.text for r in replies] == [customer.BOT_UNAVAILABLE_TEXT]
    clock.advance(seconds=STALE_SECONDS + 1)
    assert await routing_sweep.route_unrouted_messages(ctx) == 0


async def test_sweep_schedule_routes_at_start_and_stops_when_cancelled(ctx, bot, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.receive_customer_message(ctx, conversation.id, "c1", "Hallo")
    clock.advance(seconds=STALE_SECONDS + 1)
    schedule = asyncio.create_task(routing_sweep.run_routing_sweeps(ctx))
    for _ in range(100):
        if await bot_answers(ctx, conversation.id):
            break
        await asyncio.sleep(0.02)
    schedule.cancel()
    await asyncio.gather(schedule, return_exceptions=True)
    assert schedule.cancelled()
    assert await bot_answers(ctx, conversation.id) == ["Antwort auf: Hallo"]
