"""The invariants that only real databases can prove: one owner, nothing stored twice, no gaps."""
import asyncio

import pytest

from handoff.services import agent as agent_side, conversations, customer, handoffs
from handoff.services.errors import AlreadyClaimed
from tests.integration.handoff.conftest import BACKENDS, insert_agents

pytestmark = pytest.mark.integration
CLAIMERS = 50
RESENDS = 20
WRITERS = 5
MESSAGES_PER_WRITER = 8


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_fifty_concurrent_claims_have_exactly_one_winner(ctx):
    agent_ids = await insert_agents(ctx, CLAIMERS)
    for agent_id in agent_ids:
        await ctx.presence.heartbeat(agent_id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    assert await handoffs.request_handoff(ctx, conversation.id, [], {}) == "queued"

    results = await asyncio.gather(*(agent_side.claim(ctx, conversation.id, agent_id) for agent_id in agent_ids),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1
    assert all(isinstance(loser, AlreadyClaimed) for loser in losers), {type(l).__name__ for l in losers}
    stored = await conversations.get_conversation(ctx, conversation.id)
    assert stored.status == "agent" and stored.assignee_id == winners[0].assignee_id
    claim_notices = [m for m in await conversations.transcript(ctx, conversation.id) if "ist jetzt für Sie da" in (m.text or "")]
    assert len(claim_notices) == 1


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_concurrent_resends_of_one_client_id_are_stored_once(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    results = await asyncio.gather(*(customer.receive_customer_message(ctx, conversation.id, "resend-1", "Hallo")
                                     for _ in range(RESENDS)))
    assert len({message.id for message, _ in results}) == 1
    assert sum(1 for _, duplicate in results if not duplicate) == 1
    stored = await conversations.transcript(ctx, conversation.id)
    assert [(m.client_id, m.seq) for m in stored] == [("resend-1", 1)]
    assert (await conversations.get_conversation(ctx, conversation.id)).last_seq == 1   # no seq burnt


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_seq_numbers_are_gap_free_under_concurrent_writers(ctx):
    [agent_id] = await insert_agents(ctx, 1)
    conversation, _ = await conversations.start_conversation(ctx, "widget")

    async def customer_writer(writer: int) -> None:
        for number in range(MESSAGES_PER_WRITER):
            await customer.receive_customer_message(ctx, conversation.id, f"w{writer}-{number}", f"Nachricht {number}")

    async def note_writer() -> None:
        for number in range(MESSAGES_PER_WRITER):
            await agent_side.add_note(ctx, conversation.id, agent_id, f"Notiz {number}")

    await asyncio.gather(*(customer_writer(w) for w in range(WRITERS)), note_writer())
    stored = await conversations.transcript(ctx, conversation.id, include_private=True)
    expected = (WRITERS + 1) * MESSAGES_PER_WRITER
    assert [m.seq for m in stored] == list(range(1, expected + 1))
    assert (await conversations.get_conversation(ctx, conversation.id)).last_seq == expected
