"""The chat transcript by e-mail: only to an address the customer typed in that conversation (a message or the
contact form), automatic, at most three times per conversation."""
from __future__ import annotations

import pytest

from handoff.services import conversations, customer
from handoff.services.errors import ValidationError
from handoff.services.mail_outbox import MAX_TRANSCRIPTS, send_transcript
from handoff.store import mail as mail_store
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_transcript_only_to_a_typed_address_and_not_without_limit(mail_ctx):
    ctx = mail_ctx
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Wo ist mein Paket? Meine Mail: Jana.Vogt@web.de")
    with pytest.raises(ValidationError) as refused:
        await send_transcript(ctx, conversation.id, "chef@firma.example")
    assert "selbst geschrieben" in refused.value.message
    with pytest.raises(ValidationError):
        await send_transcript(ctx, conversation.id, "jana.vogt@web.de\r\nBcc: x@y.de")
    enqueued = await send_transcript(ctx, conversation.id, "jana.vogt@WEB.de")
    async with ctx.db.connect() as conn:
        row = await mail_store.get_outbox(conn, enqueued.outbox_id)
    assert row["purpose"] == "transcript" and row["conversation_id"] == conversation.id
    assert "Auto-Submitted: auto-generated" in row["raw"] and "Wo ist mein Paket?" in row["raw"].replace("=\n", "")

    await customer.leave_ticket(ctx, conversation.id, "j.vogt@posteo.de", "Bitte melden")   # the contact form
    await send_transcript(ctx, conversation.id, "j.vogt@posteo.de")
    for _ in range(MAX_TRANSCRIPTS - 2):
        await send_transcript(ctx, conversation.id, "jana.vogt@web.de")
    with pytest.raises(ValidationError) as limited:
        await send_transcript(ctx, conversation.id, "jana.vogt@web.de")
    assert "schon" in limited.value.message
