"""action_handoff run with the tracker Rasa would send it, collected by CollectingDispatcher."""
from __future__ import annotations

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet
from rasa.shared.core.trackers import EventVerbosity
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from bot.escalation.decision import assess
from bot.escalation.config import EscalationConfig
from bot.escalation.from_tracker import turns_since_last_handoff
from tests.unit.bot.escalation.conversations import bot, domain, start, tracker, user

pytestmark = pytest.mark.unit


def sdk_tracker(rasa_tracker) -> Tracker:
    return Tracker.from_dict(rasa_tracker.current_state(EventVerbosity.ALL))


async def run(rasa_tracker) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, sdk_tracker(rasa_tracker), domain().as_dict())
    return dispatcher, events


def custom_payload(dispatcher: CollectingDispatcher) -> dict:
    (payload,) = [message["custom"] for message in dispatcher.messages if message["custom"]]
    return payload


async def test_handoff_after_the_policy_escalated_carries_its_reasons() -> None:
    events = [
        *start(),
        user("Mein Wasserkocher ist kaputt angekommen", "damaged_item", 0.3),
        *bot("utter_greet"),
        user(
            "Er hat 1.299,90 € gekostet!!",
            "inform",
            0.6,
            "frustrated",
            entities=[{"entity": "amount", "value": "1.299,90 €"}],
        ),
        SlotSet("amount", "1.299,90 €"),
    ]
    the_tracker = tracker(events)
    assessment = assess(turns_since_last_handoff(the_tracker), EscalationConfig())
    the_tracker.update(SlotSet("escalation", assessment.as_dict()))

    dispatcher, returned = await run(the_tracker)

    assert dispatcher.messages[0]["response"] == "utter_handoff"
    payload = custom_payload(dispatcher)
    assert payload["event"] == "handoff_requested"
    assert [reason["code"] for reason in payload["reasons"]] == ["damage_value"]
    summary = payload["summary"]
    assert summary["topics"] == ["Beschädigte Ware"]
    assert summary["slots"] == {"amount": "1.299,90 €"}
    assert summary["last_customer_messages"][-1] == "Er hat 1.299,90 € gekostet!!"
    assert "Schaden 1.299,90 €" in summary["escalation"]["summary_de"]
    kinds = [(event["event"], event.get("name"), event.get("value")) for event in returned]
    assert ("active_loop", None, None) in kinds
    assert ("slot", "escalation", None) in kinds
    assert ("followup", "action_listen", None) in kinds


async def test_handoff_from_a_rule_without_escalation_is_the_customers_request() -> None:
    events = [
        *start(),
        user("Wo ist meine Bestellung NW-123456?", "order_status"),
        SlotSet("order_number", "NW-123456"),
        *bot("utter_offer_human"),
        user("/affirm", "affirm"),
    ]

    dispatcher, _ = await run(tracker(events))

    payload = custom_payload(dispatcher)
    assert [reason["code"] for reason in payload["reasons"]] == ["customer_request"]
    assert payload["summary"]["slots"] == {"order_number": "NW-123456"}
    assert payload["summary"]["last_customer_messages"] == ["Wo ist meine Bestellung NW-123456?"]


async def test_an_active_form_is_ended() -> None:
    events = [
        *start(),
        user("Wo ist meine Bestellung?", "order_status"),
        ActionExecuted("order_status_form"),
        ActiveLoop("order_status_form"),
        SlotSet("requested_slot", "order_number"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("Mitarbeiter bitte", "request_human"),
    ]

    _, returned = await run(tracker(events))

    kinds = [(event["event"], event.get("name")) for event in returned]
    assert ("active_loop", None) in kinds
    assert ("slot", "requested_slot") in kinds


def test_action_name() -> None:
    assert ActionHandoff().name() == "action_handoff"
