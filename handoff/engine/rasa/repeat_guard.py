"""Never the same answer twice as if new: when the bot would repeat its last reply word for word, it says so and
offers a person.

A customer who writes again about the same topic right after an answer either asks something the answer already
covers ("Kann ich mit PayPal zahlen?" after the list of payment methods) or was not helped by it ("Der Code ist
WINTER20" after the voucher checklist). The answer is kept for the first, marked as repeated ("Wie eben
geschrieben: …"), and the offer of a person is added for the second. Small talk ("Hallo" twice) may repeat.
Works on the Rasa tracker's events, so it costs no storage round trip.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from bot.escalation.names import CONVERSATIONAL_INTENTS
from bot.custom_messages import HUMAN_REQUEST_PAYLOAD, HUMAN_REQUEST_TITLE
from handoff.engine.contract import BotMessage, Button

USER_EVENT, BOT_EVENT = "user", "bot"
REPEATED_PREFIX = "Wie eben geschrieben: "
NOT_HELPING_TEXT = "Wenn Ihnen das nicht weiterhilft, kann sich eine Kollegin oder ein Kollege Ihr Anliegen genauer ansehen."
PERSON_BUTTON = Button(title=HUMAN_REQUEST_TITLE, payload=HUMAN_REQUEST_PAYLOAD)


def previous_reply_texts(events: Sequence[Any]) -> list[str]:
    """The bot's texts between the last two customer messages (the answer before the current message's)."""
    user_messages_seen = 0
    texts: list[str] = []
    for event in reversed(events):
        kind = getattr(event, "type_name", None)
        if kind == USER_EVENT:
            user_messages_seen += 1
            if user_messages_seen == 2:
                break
        elif kind == BOT_EVENT and user_messages_seen == 1 and getattr(event, "text", None):
            texts.append(event.text)
    return texts[::-1]


def without_repetition(messages: tuple[BotMessage, ...], previous_texts: Sequence[str],
                       intent: str | None) -> tuple[BotMessage, ...]:
    texts = [message.text for message in messages if message.text]
    if not texts or texts != list(previous_texts) or intent in CONVERSATIONAL_INTENTS:
        return messages
    marked, first = [], True
    for message in messages:
        if message.text and first:
            message, first = replace(message, text=REPEATED_PREFIX + message.text), False
        marked.append(message)
    if not any(message.offers_a_person for message in messages):
        marked.append(BotMessage(text=NOT_HELPING_TEXT, buttons=(PERSON_BUTTON,)))
    return tuple(marked)
