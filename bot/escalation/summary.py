"""The handoff summary for the agent, built from plain event and slot dicts (rasa_sdk's tracker shape).

So the agent never asks the customer to repeat: what it was about, what is already known, what was said,
and why the bot handed over.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from bot.escalation import wording_de
from bot.escalation.assessment import LEVEL_HANDOFF, REASON_CUSTOMER_REQUEST, Reason
from bot.escalation.names import (
    CONVERSATIONAL_INTENTS,
    SLOT_AMOUNT,
    SLOT_ORDER_NUMBER,
    SLOT_ORDER_TOTAL,
    SLOT_PROBLEM_DESCRIPTION,
)

LAST_CUSTOMER_MESSAGES = 5
# The country and payment method a customer asked about (codes such as "AT", "paypal"; actions/shipping.py, payment.py).
SLOT_COUNTRY = "country"
SLOT_PAYMENT_METHOD = "payment_method"
SUMMARY_SLOTS = (SLOT_ORDER_NUMBER, SLOT_ORDER_TOTAL, SLOT_AMOUNT, SLOT_PROBLEM_DESCRIPTION, SLOT_COUNTRY,
                 SLOT_PAYMENT_METHOD)
# Button clicks arrive as "/intent" texts: the intent is a topic, the text means nothing to the agent.
PAYLOAD_PREFIX = "/"
EVENT_USER = "user"
EVENTS_STARTING_OVER = frozenset({"restart"})

TOPIC_NAMES_DE: Mapping[str, str] = {
    "order_status": "Bestellstatus",
    "delivery_info": "Versand und Lieferzeiten",
    "return_item": "Rücksendung",
    "refund_status": "Erstattung",
    "exchange_item": "Umtausch",
    "payment_methods": "Zahlungsarten",
    "invoice_copy": "Rechnungskopie",
    "cancel_order": "Stornierung",
    "change_order": "Bestelländerung",
    "change_address": "Adressänderung",
    "damaged_item": "Beschädigte Ware",
    "parcel_not_received": "Paket nicht erhalten",
    "wrong_item": "Falsche oder unvollständige Lieferung",
    "warranty": "Garantie",
    "login_problem": "Anmeldeproblem",
    "gdpr_request": "Datenschutzanfrage (DSGVO)",
    "newsletter_unsubscribe": "Newsletter-Abmeldung",
    "voucher_problem": "Gutscheinproblem",
    "contact_info": "Kontaktdaten",
    "report_outage": "Störungsmeldung",
    "goodwill_request": "Kulanzanfrage",
    "complaint": "Beschwerde",
    "privacy_info": "Datenschutzinformationen",
    "other_language": "Schreibt nicht auf Deutsch",
}


def build_handoff_summary(
    events: Sequence[Mapping[str, Any]], slots: Mapping[str, Any], escalation: Any
) -> dict[str, Any]:
    """{"topics", "slots", "last_customer_messages", "escalation"} as docs/architecture.md describes."""
    messages = _user_events(events)
    texts = [str(event.get("text") or "") for event in messages]
    return {
        "topics": topics_de([_intent_name(event) for event in messages]),
        "slots": {name: slots[name] for name in SUMMARY_SLOTS if slots.get(name) not in (None, "")},
        "last_customer_messages": [
            text for text in texts if text and not text.startswith(PAYLOAD_PREFIX)
        ][-LAST_CUSTOMER_MESSAGES:],
        "escalation": handoff_escalation(escalation),
    }


def topics_de(intents: Sequence[str | None]) -> list[str]:
    """Distinct topics, most recent first, in German; small talk and fallbacks are not topics."""
    topics: list[str] = []
    for intent in reversed(intents):
        if not intent or intent in CONVERSATIONAL_INTENTS:
            continue
        topic = TOPIC_NAMES_DE.get(intent, intent)
        if topic not in topics:
            topics.append(topic)
    return topics


def handoff_escalation(escalation: Any) -> dict[str, Any]:
    """The `escalation` slot, completed: without a reason of its own the handoff is the customer's wish.

    That is the case when a rule or the customer's "Ja" to the offer of a person triggered the handoff,
    not the escalation policy.
    """
    current = dict(escalation) if isinstance(escalation, Mapping) else {}
    reasons = [reason for reason in current.get("reasons") or [] if isinstance(reason, Mapping)]
    if current.get("level") == LEVEL_HANDOFF and reasons:
        return {**current, "reasons": reasons}
    wish = Reason(REASON_CUSTOMER_REQUEST, True, wording_de.DETAIL_CUSTOMER_REQUEST).as_dict()
    wish_phrase = wording_de.SUMMARY_CUSTOMER_REQUEST
    earlier_summary = str(current.get("summary_de") or "")
    return {
        **current,
        "level": LEVEL_HANDOFF,
        "reasons": [wish, *reasons],
        "summary_de": f"{earlier_summary}; {wish_phrase}" if earlier_summary else wish_phrase,
    }


def _user_events(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    messages: list[Mapping[str, Any]] = []
    for event in events:
        if event.get("event") in EVENTS_STARTING_OVER:
            messages = []
        elif event.get("event") == EVENT_USER:
            messages.append(event)
    return messages


def _intent_name(event: Mapping[str, Any]) -> str | None:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return intent.get("name") if isinstance(intent, Mapping) else None
