"""Order status: the form's validator (format check, never a dead end) and the lookup in the demo order store."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from zoneinfo import ZoneInfo

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.order_numbers import normalise_order_number
from actions.orders import (
    STATUS_CANCELLED,
    STATUS_DELIVERED,
    STATUS_PROCESSING,
    STATUS_RETURNED,
    STATUS_SHIPPED,
    Order,
    OrderStore,
    demo_order_store,
    describe_items,
    format_date_de,
    format_money_de,
)
from actions.responses import (
    SLOT_ORDER_NUMBER,
    SLOT_PROBLEM_CATEGORY,
    SLOT_ORDER_NUMBER_ATTEMPTS,
    SLOT_ORDER_TOTAL,
    UTTER_INVALID_ORDER_NUMBER,
    UTTER_ORDER_CANCELLED,
    UTTER_ORDER_DELIVERED,
    UTTER_ORDER_NOT_FOUND,
    UTTER_ORDER_NOTED_FOR_PROBLEM,
    UTTER_ORDER_NUMBER_NOT_RESOLVED,
    UTTER_ORDER_PROCESSING,
    UTTER_ORDER_RETURNED,
    UTTER_ORDER_SHIPPED,
    UTTER_ORDER_SHIPPED_OVERDUE,
)
from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_PROBLEM_ORDER_NOTED

# After this many unusable answers the form stops asking and a person is offered instead.
MAX_INVALID_ATTEMPTS = 2
# Echoing a whole paragraph back as "keine gültige Bestellnummer" reads like mockery; quote only the start.
MAX_QUOTED_CHARS = 40
# "Today" for an announced delivery date is the shop's calendar day, not the server's (UTC) one.
SHOP_TIME_ZONE = "Europe/Berlin"
# After "it arrived damaged / it is the wrong item" a bare order number belongs to that report: a shipping status
# ("versandt, überfällig") would contradict what the customer just said.
PROBLEMS_WITH_A_DELIVERED_PARCEL = ("damaged_item", "wrong_item")
INTENT_INFORM = "inform"

STATUS_RESPONSES = {
    STATUS_PROCESSING: UTTER_ORDER_PROCESSING,
    STATUS_SHIPPED: UTTER_ORDER_SHIPPED,
    STATUS_DELIVERED: UTTER_ORDER_DELIVERED,
    STATUS_CANCELLED: UTTER_ORDER_CANCELLED,
    STATUS_RETURNED: UTTER_ORDER_RETURNED,
}


def _as_text(slot_value: Any) -> str:
    # Two extracted entities arrive as a list; they are judged together (and rejected if they differ).
    if isinstance(slot_value, list):
        return " ".join(str(value) for value in slot_value)
    return "" if slot_value is None else str(slot_value)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTED_CHARS else text[: MAX_QUOTED_CHARS - 1] + "…"


def _invalid_attempts(tracker: Tracker) -> int:
    return int(tracker.get_slot(SLOT_ORDER_NUMBER_ATTEMPTS) or 0)


class ValidateOrderStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_order_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Ending the form here hands over to action_order_status, which offers a person instead of asking again.
        if _invalid_attempts(tracker) >= MAX_INVALID_ATTEMPTS:
            return []
        return domain_slots

    def validate_order_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        given = _as_text(slot_value)
        canonical = normalise_order_number(given)
        if canonical:
            return {SLOT_ORDER_NUMBER: canonical, SLOT_ORDER_NUMBER_ATTEMPTS: 0}
        attempts = _invalid_attempts(tracker) + 1
        if attempts < MAX_INVALID_ATTEMPTS:
            dispatcher.utter_message(response=UTTER_INVALID_ORDER_NUMBER, given_text=_quoted(given))
        return {SLOT_ORDER_NUMBER: None, SLOT_ORDER_NUMBER_ATTEMPTS: attempts}


def shop_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(SHOP_TIME_ZONE)).date()


def is_overdue(order: Order, today: dt.date) -> bool:
    """Shipped, and the announced delivery day is over: the customer is told so, never just the old date."""
    return (order.status == STATUS_SHIPPED and order.expected_delivery_date is not None
            and order.expected_delivery_date < today)


def order_status_response(order: Order, today: dt.date) -> tuple[str, dict[str, str]]:
    """The response name and its template values for one order."""
    values = {
        "order_number": order.order_number,
        "order_date": format_date_de(order.order_date),
        "items": describe_items(order),
        "total": format_money_de(order.total, order.currency),
        "carrier": order.carrier or "",
        "tracking_id": order.tracking_id or "",
        "shipped_date": format_date_de(order.shipped_date),
        "expected_date": format_date_de(order.expected_delivery_date),
        "delivered_date": format_date_de(order.delivered_date),
        "returned_date": format_date_de(order.returned_date),
    }
    response = UTTER_ORDER_SHIPPED_OVERDUE if is_overdue(order, today) else STATUS_RESPONSES[order.status]
    return response, values


def _completes_a_problem_report(tracker: Tracker) -> bool:
    latest_intent = (tracker.latest_message.get("intent") or {}).get("name")
    return latest_intent == INTENT_INFORM and tracker.get_slot(SLOT_PROBLEM_CATEGORY) in PROBLEMS_WITH_A_DELIVERED_PARCEL


class ActionOrderStatus(Action):
    def __init__(self, store: OrderStore | None = None, today: Callable[[], dt.date] = shop_today) -> None:
        self._store = store
        self._today = today

    def name(self) -> str:
        return "action_order_status"

    @property
    def store(self) -> OrderStore:
        return self._store or demo_order_store()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(SLOT_ORDER_NUMBER_ATTEMPTS, 0)]
        order_number = normalise_order_number(_as_text(tracker.get_slot(SLOT_ORDER_NUMBER)))
        if order_number is None:
            dispatcher.utter_message(response=UTTER_ORDER_NUMBER_NOT_RESOLVED)
            return events
        order = self.store.find(order_number)
        if order is None:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_number=order_number)
            # Forgotten so that "Andere Nummer eingeben" asks again instead of repeating the same miss.
            return events + [SlotSet(SLOT_ORDER_NUMBER, None)]
        events += [SlotSet(SLOT_ORDER_NUMBER, order_number), SlotSet(SLOT_ORDER_TOTAL, order.total)]
        if _completes_a_problem_report(tracker):
            dispatcher.utter_message(json_message={CUSTOM_EVENT_KEY: EVENT_PROBLEM_ORDER_NOTED, "order_number": order_number})
            dispatcher.utter_message(response=UTTER_ORDER_NOTED_FOR_PROBLEM, order_number=order_number,
                                     items=describe_items(order))
            return events
        response, values = order_status_response(order, self._today())
        dispatcher.utter_message(response=response, **values)
        return events
