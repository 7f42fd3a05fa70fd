"""action_payment_methods: yes or no for the method asked about, else the list."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.payment import ActionPaymentMethods

pytestmark = pytest.mark.unit


async def answer(text: str, tracker_factory) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = await ActionPaymentMethods().run(dispatcher, tracker_factory(text=text), {})
    return dispatcher.messages, events


@pytest.mark.parametrize("text, response, method", [
    ("Kann ich mit PayPal bezahlen?", "utter_payment_method_offered", "PayPal"),
    ("und auf Rechnung?", "utter_payment_method_invoice", None),
    ("Nehmt ihr Visa?", "utter_payment_method_credit_card", None),
    ("und mit Bitcoin?", "utter_payment_method_not_offered", "Zahlung mit Kryptowährungen wie Bitcoin"),
])
async def test_the_method_asked_about(text: str, response: str, method: str | None, tracker_factory):
    messages, events = await answer(text, tracker_factory)

    assert [m["response"] for m in messages] == [response]
    assert messages[0].get("method") == method
    assert len(events) == 1 and events[0]["event"] == "slot" and events[0]["name"] == "payment_method"


async def test_no_method_named_gets_the_whole_list(tracker_factory):
    messages, events = await answer("Welche Zahlungsarten gibt es?", tracker_factory)

    assert [m["response"] for m in messages] == ["utter_payment_methods"] and events == []
