"""A REST turn reads only the messages since the customer's previous one, not the whole transcript."""
import pytest

from handoff.services import conversations, customer
from tests.integration.handoff.conftest import BACKENDS

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("database_url", BACKENDS, indirect=True)]


async def test_only_the_messages_since_the_previous_customer_message(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "rest")
    seqs = []
    for number in range(4):
        message, _, _ = await customer.customer_writes(ctx, conversation.id, None, f"Frage {number}")
        seqs.append(message.seq)
    since = await conversations.since_previous_customer_message(ctx, conversation.id, seqs[-1])
    assert [m.text for m in since] == ["Antwort auf: Frage 2"]
    first = await conversations.since_previous_customer_message(ctx, conversation.id, seqs[0])
    assert first == []
    assert len(await conversations.transcript(ctx, conversation.id)) == 8, "the transcript stays complete"
