"""action_delivery_info: shipping costs and times, for the country the customer asks about.

"Was kostet der Versand nach Österreich?" gets the Austrian figures; a follow-up "und in die Schweiz?" the Swiss
ones; "Und wie lange dauert das?" right after keeps the country of the answer before (slot `country`). A
country Nordwind does not ship to gets an honest no and where it does ship. Without a country: all three.
"""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.dialogue.followup import asked_detail, is_elliptical_follow_up
from bot.dialogue.vocabulary import country_by_code, find_country

SLOT_COUNTRY = "country"
UTTER_DELIVERY_INFO = "utter_delivery_info"
UTTER_COUNTRY_NOT_SERVED = "utter_delivery_country_not_served"
# Countries Nordwind ships to, each with its own answer in domain.yml (utter_delivery_info_de, ...).
UTTER_FOR_COUNTRY = {"DE": "utter_delivery_info_de", "AT": "utter_delivery_info_at", "CH": "utter_delivery_info_ch"}
UTTER_DETAIL_FOR_COUNTRY = {
    ("cost", "DE"): "utter_delivery_cost_de", ("cost", "AT"): "utter_delivery_cost_at",
    ("cost", "CH"): "utter_delivery_cost_ch", ("time", "DE"): "utter_delivery_time_de",
    ("time", "AT"): "utter_delivery_time_at", ("time", "CH"): "utter_delivery_time_ch",
}


class ActionDeliveryInfo(Action):
    def name(self) -> str:
        return "action_delivery_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        country = find_country(text)
        if country is None and is_elliptical_follow_up(text):
            country = country_by_code(tracker.get_slot(SLOT_COUNTRY))
            detail = asked_detail(text)
            if country is not None and (detail, country.code) in UTTER_DETAIL_FOR_COUNTRY:
                dispatcher.utter_message(response=UTTER_DETAIL_FOR_COUNTRY[(detail, country.code)])
                return []
        if country is None:
            dispatcher.utter_message(response=UTTER_DELIVERY_INFO)
            return []
        if country.code in UTTER_FOR_COUNTRY:
            dispatcher.utter_message(response=UTTER_FOR_COUNTRY[country.code])
        else:
            dispatcher.utter_message(response=UTTER_COUNTRY_NOT_SERVED, country=country.name)
        return [SlotSet(SLOT_COUNTRY, country.code)]

