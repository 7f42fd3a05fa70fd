import datetime as dt

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_status import MAX_INVALID_ATTEMPTS, ActionOrderStatus, ValidateOrderStatusForm
from actions.orders import STATUS_DELIVERED, Order, OrderItem, OrderStore, demo_order_store

pytestmark = pytest.mark.unit

DOMAIN = {"forms": {"order_status_form": {"required_slots": ["order_number"]}}}


def test_valid_spelling_is_normalised_and_resets_the_attempts(tracker_factory):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(slots={"order_number_attempts": 1})
    result = ValidateOrderStatusForm().validate_order_number("nw 482913", dispatcher, tracker, DOMAIN)
    assert result == {"order_number": "NW-482913", "order_number_attempts": 0}
    assert dispatcher.messages == []


def test_first_invalid_answer_gets_one_precise_question_quoting_it(tracker_factory):
    dispatcher = CollectingDispatcher()
    result = ValidateOrderStatusForm().validate_order_number("48291", dispatcher, tracker_factory(), DOMAIN)
    assert result == {"order_number": None, "order_number_attempts": 1}
    [message] = dispatcher.messages
    assert message["response"] == "utter_invalid_order_number"
    assert message["given_text"] == "48291"


def test_long_invalid_answers_are_quoted_shortened(tracker_factory):
    dispatcher = CollectingDispatcher()
    ValidateOrderStatusForm().validate_order_number("x" * 200, dispatcher, tracker_factory(), DOMAIN)
    assert len(dispatcher.messages[0]["given_text"]) <= 40


async def test_second_invalid_answer_ends_the_form_instead_of_asking_again(tracker_factory):
    action = ValidateOrderStatusForm()
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(slots={"order_number_attempts": MAX_INVALID_ATTEMPTS - 1})
    result = action.validate_order_number("keine Ahnung", dispatcher, tracker, DOMAIN)
    assert result["order_number_attempts"] == MAX_INVALID_ATTEMPTS
    assert dispatcher.messages == []  # action_order_status offers the person next

    tracker.slots.update(result)
    assert await action.required_slots(["order_number"], dispatcher, tracker, DOMAIN) == []


async def test_form_keeps_asking_while_attempts_remain(tracker_factory):
    tracker = tracker_factory(slots={"order_number_attempts": 1})
    slots = await ValidateOrderStatusForm().required_slots(["order_number"], CollectingDispatcher(), tracker, DOMAIN)
    assert slots == ["order_number"]


async def _run_lookup(tracker, store=None):
    dispatcher = CollectingDispatcher()
    events = await ActionOrderStatus(store).run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, events


async def test_shipped_order_reports_carrier_tracking_and_sets_the_total(tracker_factory):
    expected = demo_order_store().find("NW-482913")
    messages, events = await _run_lookup(tracker_factory(slots={"order_number": "NW-482913"}))
    [message] = messages
    assert message["response"] == "utter_order_shipped"
    assert message["carrier"] == expected.carrier and message["tracking_id"] == expected.tracking_id
    assert SlotSet("order_total", expected.total) in events
    assert SlotSet("order_number_attempts", 0) in events


async def test_every_status_has_its_own_reply(tracker_factory):
    store = demo_order_store()
    seen = {}
    for number in store._by_number:
        messages, _ = await _run_lookup(tracker_factory(slots={"order_number": number}))
        seen[store.find(number).status] = messages[0]["response"]
    assert len(set(seen.values())) == 5


async def test_lookup_uses_an_injected_store(tracker_factory):
    order = Order("NW-123456", STATUS_DELIVERED, "AT", dt.date(2026, 11, 2), (OrderItem("Föhn", 1, 59.0),),
                  59.0, delivered_date=dt.date(2026, 11, 5))
    messages, events = await _run_lookup(tracker_factory(slots={"order_number": "123456"}), OrderStore([order]))
    assert messages[0]["response"] == "utter_order_delivered"
    assert messages[0]["delivered_date"] == "05.11.2026"
    assert SlotSet("order_total", 59.0) in events


async def test_unknown_number_is_admitted_and_forgotten_so_another_can_be_asked(tracker_factory):
    messages, events = await _run_lookup(tracker_factory(slots={"order_number": "NW-000001"}))
    assert [m["response"] for m in messages] == ["utter_order_not_found"]
    assert messages[0]["order_number"] == "NW-000001"
    assert SlotSet("order_number", None) in events
    assert not any(event["name"] == "order_total" for event in events)


async def test_no_usable_number_offers_a_person(tracker_factory):
    messages, events = await _run_lookup(tracker_factory(slots={"order_number": None, "order_number_attempts": 2}))
    assert [m["response"] for m in messages] == ["utter_order_number_not_resolved"]
    assert SlotSet("order_number_attempts", 0) in events
