import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.problem_report import ActionRecordProblem

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("intent", "text", "response"),
    [
        ("damaged_item", "Der Toaster kam mit gesprungenem Gehäuse an", "utter_problem_recorded_damaged_item"),
        (
            "parcel_not_received",
            "Laut DHL zugestellt, aber bei mir ist nichts angekommen",
            "utter_problem_recorded_parcel_not_received",
        ),
        ("wrong_item", "Bestellt war die Jacke in M, gekommen ist sie in XL", "utter_problem_recorded_wrong_item"),
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
    assert events == [SlotSet("problem_description", text), SlotSet("problem_category", intent)]


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


def test_every_recorded_category_has_a_clarify_topic_and_a_summary_label():
    from actions.responses import UTTER_PROBLEM_RECORDED
    from actions.topics import topic_button_title, topic_phrase
    from bot.escalation.summary import TOPIC_NAMES_DE

    for intent in UTTER_PROBLEM_RECORDED:
        assert topic_button_title(intent) and topic_phrase(intent), intent
        assert TOPIC_NAMES_DE.get(intent), intent
