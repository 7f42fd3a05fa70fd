"""action_delivery_info: the figures for the country asked about, carried over to a follow-up."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.shipping import ActionDeliveryInfo

pytestmark = pytest.mark.unit


async def answer(tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = await ActionDeliveryInfo().run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_a_named_country_gets_its_own_figures_and_is_kept(tracker_factory):
    messages, events = await answer(tracker_factory(text="Was kostet der Versand nach Österreich?"))

    assert [m["response"] for m in messages] == ["utter_delivery_info_at"]
    assert events == [SlotSet("country", "AT")]


async def test_a_country_not_served_gets_an_honest_no(tracker_factory):
    messages, events = await answer(tracker_factory(text="und nach Italien?"))

    assert messages[0]["response"] == "utter_delivery_country_not_served"
    assert messages[0]["country"] == "Italien"
    assert events == [SlotSet("country", "IT")]


async def test_an_elliptical_follow_up_keeps_the_country_of_the_answer_before(tracker_factory):
    messages, _ = await answer(tracker_factory(text="Und in welcher Zeit?", slots={"country": "CH"}))

    assert [m["response"] for m in messages] == ["utter_delivery_info_ch"]


async def test_a_new_question_without_a_country_gets_all_three(tracker_factory):
    messages, events = await answer(tracker_factory(text="Wie hoch sind die Versandkosten?", slots={"country": "CH"}))

    assert [m["response"] for m in messages] == ["utter_delivery_info"]
    assert events == []


@pytest.mark.parametrize("text, response", [
    ("Und wie teuer ist das?", "utter_delivery_cost_at"), ("und was kostet das?", "utter_delivery_cost_at"),
    ("Ok und wie lange braucht das Paket?", "utter_delivery_time_at"), ("Und wann ist es da?", "utter_delivery_time_at"),
    ("Und wie lange dauert das und was kostet es?", "utter_delivery_info_at"),
])
async def test_a_follow_up_asking_one_detail_gets_only_that_detail(text: str, response: str, tracker_factory):
    messages, events = await answer(tracker_factory(text=text, slots={"country": "AT"}))

    assert [m["response"] for m in messages] == [response]
