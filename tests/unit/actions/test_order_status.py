import datetime as dt
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from ruamel.yaml import YAML

from actions.order_status import MAX_INVALID_ATTEMPTS, ActionOrderStatus, ValidateOrderStatusForm
from actions.orders import STATUS_DELIVERED, STATUS_SHIPPED, Order, OrderItem, OrderStore, demo_order_store

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


# Before every announced delivery date of the demo orders (all in November 2026).
BEFORE_DELIVERY = dt.date(2026, 11, 1)


async def _run_lookup(tracker, store=None, today=BEFORE_DELIVERY):
    dispatcher = CollectingDispatcher()
    events = await ActionOrderStatus(store, today=lambda: today).run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, events


async def test_shipped_order_reports_carrier_tracking_and_sets_the_total(tracker_factory):
    expected = demo_order_store().find("NW-482913")
    messages, events = await _run_lookup(tracker_factory(slots={"order_number": "NW-482913"}))
    [message] = messages
    assert message["response"] == "utter_order_shipped"
    assert message["carrier"] == expected.carrier and message["tracking_id"] == expected.tracking_id
    assert SlotSet("order_total", expected.total) in events
    assert SlotSet("order_number_attempts", 0) in events


def _shipped(expected: dt.date) -> OrderStore:
    return OrderStore([Order("NW-111111", STATUS_SHIPPED, "DE", dt.date(2026, 11, 2), (OrderItem("Föhn", 1, 59.0),),
                             59.0, carrier="DHL", tracking_id="0034", shipped_date=dt.date(2026, 11, 3),
                             expected_delivery_date=expected)])


async def test_a_shipment_past_its_announced_day_is_called_overdue_and_a_person_offered(tracker_factory):
    tracker = tracker_factory(slots={"order_number": "NW-111111"})
    messages, _ = await _run_lookup(tracker, _shipped(dt.date(2026, 11, 5)), today=dt.date(2026, 11, 6))
    [message] = messages
    assert message["response"] == "utter_order_shipped_overdue"
    assert message["expected_date"] == "05.11.2026" and message["tracking_id"] == "0034"


async def test_on_the_announced_day_a_shipment_is_not_overdue_yet(tracker_factory):
    tracker = tracker_factory(slots={"order_number": "NW-111111"})
    messages, _ = await _run_lookup(tracker, _shipped(dt.date(2026, 11, 5)), today=dt.date(2026, 11, 5))
    assert messages[0]["response"] == "utter_order_shipped"


def test_the_overdue_reply_offers_a_person():
    domain = YAML(typ="safe").load((Path(__file__).resolve().parents[3] / "domain.yml").read_text(encoding="utf-8"))
    [variation] = domain["responses"]["utter_order_shipped_overdue"]
    assert "überfällig" in variation["text"]
    assert {"title": "Ja, bitte nachforschen", "payload": "/request_human"} in variation["buttons"]


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


@pytest.mark.parametrize("category", ["damaged_item", "wrong_item"])
async def test_a_bare_number_after_a_damage_or_wrong_item_report_is_noted_on_the_report(tracker_factory, category):
    tracker = tracker_factory(slots={"order_number": "NW-482913", "problem_category": category}, text="NW-482913",
                              intent="inform")
    messages, events = await _run_lookup(tracker, today=dt.date(2026, 12, 2))
    noted, reply = messages
    assert noted["custom"] == {"event": "problem_order_noted", "order_number": "NW-482913"}
    assert reply["response"] == "utter_order_noted_for_problem" and "Wasserkocher" in reply["items"]
    assert SlotSet("order_number", "NW-482913") in events and SlotSet("order_total", 79.97) in events


@pytest.mark.parametrize("category, intent", [("parcel_not_received", "inform"), ("damaged_item", "order_status")])
async def test_a_missing_parcel_or_an_explicit_status_question_still_gets_the_status(tracker_factory, category, intent):
    tracker = tracker_factory(slots={"order_number": "NW-482913", "problem_category": category}, text="NW-482913",
                              intent=intent)
    messages, _ = await _run_lookup(tracker, today=dt.date(2026, 12, 2))
    assert [m["response"] for m in messages] == ["utter_order_shipped_overdue"]
