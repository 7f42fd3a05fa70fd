"""action_handoff: tells the customer a person takes over and hands the service everything the agent needs."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_HANDOFF_REQUESTED
from bot.escalation.names import (
    ACTION_HANDOFF,
    RESPONSE_HANDOFF,
    SLOT_ESCALATION,
)
from bot.escalation.summary import build_handoff_summary

REQUESTED_SLOT = "requested_slot"
ACTION_LISTEN = "action_listen"


class ActionHandoff(Action):
    def name(self) -> Text:
        return ACTION_HANDOFF

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        summary = build_handoff_summary(
            tracker.events, tracker.current_slot_values(), tracker.get_slot(SLOT_ESCALATION)
        )
        dispatcher.utter_message(response=RESPONSE_HANDOFF)
        dispatcher.utter_message(
            json_message={
                CUSTOM_EVENT_KEY: EVENT_HANDOFF_REQUESTED,
                "reasons": summary["escalation"]["reasons"],
                "summary": summary,
            }
        )
        # A form left active would ask for its slot again as soon as the conversation is handed back.
        events: List[EventType] = [ActiveLoop(None), SlotSet(SLOT_ESCALATION, None)]
        if tracker.active_loop.get("name"):
            events.append(SlotSet(REQUESTED_SLOT, None))
        # The policy hands off at any point of a conversation, where no rule or story says what comes next;
        # the bot's turn ends here, so that nothing (e.g. the core fallback) answers in the agent's place.
        events.append(FollowupAction(ACTION_LISTEN))
        return events
