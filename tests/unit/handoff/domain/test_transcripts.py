from dataclasses import replace

import pytest
from sqlalchemy import select

from handoff.domain.redaction import text_to_store
from handoff.services import conversations, customer
from handoff.services.context import ServiceConfig
from handoff.store.tables import messages

pytestmark = pytest.mark.unit

# (what the customer wrote, the personal data in it, the placeholder that must replace it)
GERMAN_PERSONAL_DATA = [
    ("Meine Mail ist anna.schmidt@beispiel.de, bitte dorthin.", "anna.schmidt@beispiel.de", "[EMAIL]"),
    ("Rufen Sie mich an: +49 171 2345678", "2345678", "[PHONE]"),
    ("Handy 0171 9876543 ab 18 Uhr", "9876543", "[PHONE]"),
    ("Festnetz 040-3345678", "3345678", "[PHONE]"),
    ("Erstattung bitte auf DE89 3704 0044 0532 0130 00", "0532 0130", "[IBAN]"),
    ("Bezahlt mit Karte 4111 1111 1111 1111", "1111 1111 1111", "[CARD]"),
    ("Lieferung an Hauptstraße 12, 10115 Berlin", "Hauptstraße 12", "[ADDRESS]"),
    ("Lieferung an Hauptstraße 12, 10115 Berlin", "10115", "[PLZ_CITY]"),
]


def test_without_the_setting_the_text_is_stored_as_written():
    text = GERMAN_PERSONAL_DATA[0][0]
    assert text_to_store(text, redact_transcripts=False) == text


@pytest.mark.parametrize("text, personal, placeholder", GERMAN_PERSONAL_DATA)
def test_with_the_setting_german_personal_data_is_replaced(text, personal, placeholder):
    stored = text_to_store(text, redact_transcripts=True)
    assert personal not in stored and placeholder in stored


async def _stored_texts(ctx, conversation_id: str) -> list[str]:
    async with ctx.db.connect() as conn:
        rows = await conn.execute(select(messages.c.text).where(messages.c.conversation_id == conversation_id,
                                                                messages.c.sender_type == "customer"))
        return [row.text for row in rows]


async def test_redacting_service_stores_placeholders_but_the_bot_reads_the_original(ctx, bot):
    redacting = replace(ctx, config=ServiceConfig(redact_transcripts=True))
    conversation, _ = await conversations.start_conversation(redacting, "widget")
    original = "Ich bin anna.schmidt@beispiel.de, IBAN DE89 3704 0044 0532 0130 00"
    message, duplicate, replies = await customer.customer_writes(redacting, conversation.id, "c1", original)

    assert not duplicate and message.text == original
    assert bot.received == [(conversation.id, original)]
    stored = await _stored_texts(ctx, conversation.id)
    assert stored == ["Ich bin [EMAIL], IBAN [IBAN]"]
    # A resend is recognised by its client id, not by its (now different) stored text.
    again, duplicate, _ = await customer.customer_writes(redacting, conversation.id, "c1", original)
    assert duplicate and again.seq == message.seq
    assert await _stored_texts(ctx, conversation.id) == stored


async def test_default_service_stores_the_text_unchanged(ctx):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    text = "Meine Mail ist anna.schmidt@beispiel.de"
    await customer.customer_writes(ctx, conversation.id, "c1", text)
    assert await _stored_texts(ctx, conversation.id) == [text]
