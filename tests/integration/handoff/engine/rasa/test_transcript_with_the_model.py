"""The transcript request with the real model: German requests for the chat by e-mail are understood, and what only
sounds like it (an invoice or confirmation by mail, a mail received, the account's address, newsletters) is not.
Whole conversations (confirm, correct, decline, switch topic) are in tests/conversations/transcript.yml."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.model]

# Written for this test, not copied from data/nlu/ (nor from tests/nlu_holdout.yml).
REQUESTS = (
    "Können Sie mir das Chatprotokoll an meine E-Mail senden?",
    "Schicken Sie mir den Verlauf bitte per Mail",
    "ich hätte gern den chat per email",
    "Kann ich unsere Unterhaltung als Mail bekommen?",
    "Bitte das Gespräch an meine Mailadresse schicken, danke",
    "Verlauf an k.wagner@gmx.de",
)
NOT_REQUESTS = (
    "Bitte schicken Sie mir die Rechnung per Mail",
    "Ich habe eine Mail von euch bekommen, ist die echt?",
    "Die Versandbestätigung per E-Mail ist nie angekommen",
    "Wie ändere ich die E-Mail-Adresse in meinem Kundenkonto?",
    "Ich bekomme zu viele Werbemails von Ihnen",
    "An welche E-Mail-Adresse kann ich euch schreiben?",
    "Meine E-Mail-Adresse ist k.wagner@gmx.de",
)


async def _intent(rasa_agent, text: str) -> str:
    parsed = await rasa_agent.parse_message(text)
    return parsed["intent"]["name"]


@pytest.mark.parametrize("text", REQUESTS)
async def test_a_request_for_the_transcript_is_understood(rasa_agent, text):
    assert await _intent(rasa_agent, text) == "request_transcript"


@pytest.mark.parametrize("text", NOT_REQUESTS)
async def test_what_only_sounds_like_it_is_not_taken_for_a_request(rasa_agent, text):
    assert await _intent(rasa_agent, text) != "request_transcript"


async def test_an_address_is_found_as_entity_email(rasa_agent):
    parsed = await rasa_agent.parse_message("Schicken Sie den Chat an Jana.Vogt@web.de, danke.")
    assert [(entity["entity"], entity["value"].lower()) for entity in parsed["entities"]
            if entity["entity"] == "email"] == [("email", "jana.vogt@web.de")]
