"""Records what a customer reports (damage, a parcel not received, a wrong or incomplete delivery, outage, complaint)
as a ticket, believing them, and confirms it."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.responses import SLOT_PROBLEM_CATEGORY, SLOT_PROBLEM_DESCRIPTION, UTTER_PROBLEM_RECORDED
from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_PROBLEM_REPORTED
DEFAULT_CATEGORY = "complaint"
# Button clicks arrive as "/intent" payloads; they say nothing about the problem itself.
PAYLOAD_PREFIX = "/"


def latest_customer_words(tracker: Tracker) -> str:
    """The customer's latest typed text, skipping button payloads."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if text and not text.startswith(PAYLOAD_PREFIX):
            return text
    return ""


def problem_category(tracker: Tracker) -> str:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent if intent in UTTER_PROBLEM_RECORDED else DEFAULT_CATEGORY


class ActionRecordProblem(Action):
    def name(self) -> str:
        return "action_record_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        category = problem_category(tracker)
        description = latest_customer_words(tracker)
        dispatcher.utter_message(
            json_message={CUSTOM_EVENT_KEY: EVENT_PROBLEM_REPORTED, "category": category, "description": description}
        )
        dispatcher.utter_message(response=UTTER_PROBLEM_RECORDED[category])
        return [SlotSet(SLOT_PROBLEM_DESCRIPTION, description or None), SlotSet(SLOT_PROBLEM_CATEGORY, category)]
