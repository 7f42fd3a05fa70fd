import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.problem_report import ActionRecordProblem

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("intent", "text", "response"),
    [
        ("damaged_item", "Der Toaster kam mit gesprungenem Gehäuse an", "utter_problem_recorded_damaged_item"),
        ("report_outage", "Der Checkout hängt seit einer Stunde", "utter_problem_recorded_report_outage"),
        ("complaint", "Der Bote hat das Paket in den Regen gestellt", "utter_problem_recorded_complaint"),
    ],
)
async def test_report_is_dispatched_as_ticket_event_and_confirmed(tracker_factory, intent, text, response):
    dispatcher = CollectingDispatcher()
    events = await ActionRecordProblem().run(dispatcher, tracker_factory(text=text, intent=intent), {})
    ticket, confirmation = dispatcher.messages
    assert ticket["custom"] == {"event": "problem_reported", "category": intent, "description": text}
    assert ticket["text"] is None
    assert confirmation["response"] == response
    assert events == [SlotSet("problem_description", text)]


async def test_button_payload_is_not_taken_as_the_description(tracker_factory):
    events = [
        {"event": "user", "text": "Die App stürzt beim Bezahlen ab"},
        {"event": "bot", "text": "Geht es um ...?"},
        {"event": "user", "text": "/report_outage"},
    ]
    tracker = tracker_factory(text="/report_outage", intent="report_outage", events=events)
    dispatcher = CollectingDispatcher()
    await ActionRecordProblem().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["description"] == "Die App stürzt beim Bezahlen ab"


async def test_other_intents_are_recorded_as_complaint(tracker_factory):
    dispatcher = CollectingDispatcher()
    await ActionRecordProblem().run(dispatcher, tracker_factory(text="Das geht so nicht", intent="nlu_fallback"), {})
    assert dispatcher.messages[0]["custom"]["category"] == "complaint"
