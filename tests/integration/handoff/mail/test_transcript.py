"""The chat transcript by e-mail: only to an address the customer typed in that conversation (a message or the
contact form), automatic, at most three times per conversation; asked for through the API or in the chat (the bot's
`transcript_requested`, handoff/services/mail_transcript.py), the same use case decides."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.custom_messages import (
    CUSTOM_EVENT_KEY, EVENT_TRANSCRIPT_REQUESTED, HUMAN_REQUEST_PAYLOAD, HUMAN_REQUEST_TITLE,
)
from handoff.engine.contract import BotMessage, BotReply
from handoff.services import conversations, customer, mail_privacy
from handoff.services.errors import ValidationError
from handoff.services.mail_outbox import MAX_TRANSCRIPTS, send_transcript
from handoff.services.mail_transcript import SENT_TEXT, WAITING_TEXT
from handoff.store import mail as mail_store
from handoff.store.tables import mail_outbox
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


class TranscriptBot:
    """Asks the service for the transcript as actions/transcript.py does: a `transcript_requested` event with the
    address after "Verlauf an"; anything else gets a plain answer (the real bot: tests/conversations/transcript.yml).
    "Verlauf an den Chef" plays a bot gone wrong: an address the customer never typed."""

    NOT_TYPED = "chef@firma.example"

    async def reply(self, sender_id: str, text: str, metadata: dict | None = None) -> BotReply:
        if text.startswith("Verlauf an "):
            address = self.NOT_TYPED if text == "Verlauf an den Chef" else text.removeprefix("Verlauf an ")
            return BotReply(messages=(BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_TRANSCRIPT_REQUESTED,
                                                         "email": address}),),
                            intent="request_transcript", confidence=0.9)
        return BotReply(messages=(BotMessage(text="Gern."),), intent="greet", confidence=0.9)

    async def close(self) -> None:
        return None


async def _outbox(ctx, conversation_id: str) -> list:
    async with ctx.db.connect() as conn:
        result = await conn.execute(select(mail_outbox.c.id).where(mail_outbox.c.conversation_id == conversation_id))
        return [await mail_store.get_outbox(conn, row.id) for row in result]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_asked_in_the_chat_the_transcript_goes_through_the_same_use_case_and_the_customer_hears_how(mail_ctx):
    ctx = mail_ctx
    ctx.bot = TranscriptBot()
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Meine Adresse ist jana.vogt@web.de")
    # Without SMTP settings the mail waits in the outbox, and the customer is told so, not "geschickt".
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "Verlauf an jana.vogt@web.de")
    assert [reply.text for reply in replies] == [WAITING_TEXT.format(address="j…@web.de")]
    [row] = await _outbox(ctx, conversation.id)
    assert row["purpose"] == "transcript" and row["to_address"] == "jana.vogt@web.de" and row["ticket_id"] is None
    assert "Meine Adresse ist jana.vogt@web.de" in row["raw"].replace("=\n", "")

    ctx.config = dataclasses.replace(ctx.config, mail=dataclasses.replace(ctx.config.mail, smtp_host="127.0.0.1"))
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c3", "Verlauf an jana.vogt@web.de")
    assert [reply.text for reply in replies] == [SENT_TEXT.format(address="j…@web.de")]
    assert replies[0].text.startswith("Ich habe den Verlauf an j…@web.de geschickt.")

    # An address nobody typed here: refused by the use case, said so, a person offered; nothing enqueued.
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c4", "Verlauf an den Chef")
    [refusal] = replies
    assert refusal.text.startswith("Den Verlauf habe ich nicht verschickt. Das Protokoll senden wir nur an eine "
                                   "Adresse, die Sie in diesem Chat selbst geschrieben haben.")
    assert refusal.buttons == [{"title": HUMAN_REQUEST_TITLE, "payload": HUMAN_REQUEST_PAYLOAD}]
    assert len(await _outbox(ctx, conversation.id)) == 2

    # What was sent is part of the conversation's export (data subject access request), like its tickets' mails.
    [exported] = await mail_privacy.export_conversation_mail(ctx, conversation.id)
    assert exported["ticket_id"] is None and [mail["to"] for mail in exported["sent"]] == ["jana.vogt@web.de"] * 2
    assert all(mail["purpose"] == "transcript" and "Ihr Chatprotokoll" in mail["raw"] for mail in exported["sent"])
    assert await mail_privacy.export_address_mail(ctx, "Jana.Vogt@web.de") == [exported]

    # The limit of the API holds in the chat too.
    await customer.customer_writes(ctx, conversation.id, "c5", "Verlauf an jana.vogt@web.de")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c6", "Verlauf an jana.vogt@web.de")
    assert f"schon {MAX_TRANSCRIPTS}-mal versandt" in replies[0].text and replies[0].buttons
    assert len(await _outbox(ctx, conversation.id)) == MAX_TRANSCRIPTS


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_with_redacted_transcripts_the_address_in_the_message_the_bot_answers_still_counts(mail_ctx):
    """REDACT_TRANSCRIPTS stores "[EMAIL]" instead of the address; the message the bot answers is the customer's
    own words all the same, so "Verlauf an …" works, and an address only stored redacted is refused."""
    ctx = mail_ctx
    ctx.bot = TranscriptBot()
    ctx.config = dataclasses.replace(ctx.config, redact_transcripts=True)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Meine Adresse ist jana.vogt@web.de")
    _, _, replies = await customer.customer_writes(ctx, conversation.id, "c2", "Verlauf an jana.vogt@web.de")
    assert replies[0].text == WAITING_TEXT.format(address="j…@web.de")
    [row] = await _outbox(ctx, conversation.id)
    assert "jana.vogt@web.de" not in row["raw"].replace("=\n", "").split("Protokoll Ihres Chats")[1]
    with pytest.raises(ValidationError):
        await send_transcript(ctx, conversation.id, "jana.vogt@web.de")   # the API has only the stored text
