"""action_payment_methods: whether the payment method the customer names is accepted, else the whole list.

"Kann ich mit PayPal zahlen?" gets a yes; the follow-up "und mit Bitcoin?" an honest no with what is possible.
The method asked about is kept in slot `payment_method` for the agent.
"""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.dialogue.vocabulary import find_payment_method

SLOT_PAYMENT_METHOD = "payment_method"
UTTER_PAYMENT_METHODS = "utter_payment_methods"
UTTER_OFFERED = "utter_payment_method_offered"
UTTER_NOT_OFFERED = "utter_payment_method_not_offered"
# Accepted methods with an answer of their own (the invoice has conditions worth saying).
UTTER_FOR_METHOD = {"invoice": "utter_payment_method_invoice", "credit_card": "utter_payment_method_credit_card"}


class ActionPaymentMethods(Action):
    def name(self) -> str:
        return "action_payment_methods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        method = find_payment_method(tracker.latest_message.get("text") or "")
        if method is None:
            dispatcher.utter_message(response=UTTER_PAYMENT_METHODS)
            return []
        if not method.offered:
            dispatcher.utter_message(response=UTTER_NOT_OFFERED, method=method.name)
        elif method.code in UTTER_FOR_METHOD:
            dispatcher.utter_message(response=UTTER_FOR_METHOD[method.code])
        else:
            dispatcher.utter_message(response=UTTER_OFFERED, method=method.name)
        return [SlotSet(SLOT_PAYMENT_METHOD, method.code)]
