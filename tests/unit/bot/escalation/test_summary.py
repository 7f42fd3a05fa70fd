"""The handoff summary: topics, known slots, last messages, reasons — from plain dicts."""
from __future__ import annotations

import pytest

from bot.escalation.summary import build_handoff_summary, handoff_escalation, topics_de

pytestmark = pytest.mark.unit


def said(text: str, intent: str | None) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def test_topics_are_distinct_german_and_most_recent_first() -> None:
    intents = [
        "greet", "order_status", "damaged_item", "affirm", "order_status", "nlu_fallback", "new_intent"
    ]

    assert topics_de(intents) == ["new_intent", "Bestellstatus", "Beschädigte Ware"]


def test_summary_holds_only_set_slots_and_the_last_five_typed_messages() -> None:
    events = [
        said("Hallo", "greet"),
        {"event": "bot", "text": "Guten Tag!"},
        said("Mein Toaster ist kaputt", "damaged_item"),
        said("NW-123456", "inform"),
        said("/affirm", "affirm"),
        said("Er hat 89 € gekostet", "inform"),
        said("Was passiert jetzt?", "complaint"),
        said("Ich will jemanden sprechen", "request_human"),
    ]
    slots = {"order_number": "NW-123456", "order_total": 129.8, "amount": "89 €", "problem_description": None,
             "escalation": {"level": "handoff"}, "requested_slot": None}

    summary = build_handoff_summary(events, slots, None)

    assert set(summary) == {"topics", "slots", "last_customer_messages", "escalation"}
    assert summary["topics"] == ["Beschwerde", "Beschädigte Ware"]
    assert summary["slots"] == {"order_number": "NW-123456", "order_total": 129.8, "amount": "89 €"}
    assert summary["last_customer_messages"] == [
        "Mein Toaster ist kaputt",
        "NW-123456",
        "Er hat 89 € gekostet",
        "Was passiert jetzt?",
        "Ich will jemanden sprechen",
    ]


def test_a_restart_forgets_what_came_before() -> None:
    events = [
        said("Alte Frage zur Rechnung", "invoice_copy"), {"event": "restart"}, said("Neu", "order_status")
    ]

    summary = build_handoff_summary(events, {}, None)

    assert (summary["topics"], summary["last_customer_messages"]) == (["Bestellstatus"], ["Neu"])


def test_policy_escalation_is_passed_on_unchanged() -> None:
    slot = {
        "level": "handoff",
        "rolling_tone": 0.86,
        "fallbacks": 2,
        "summary_de": "verärgert 0.86 über 3 Nachrichten",
        "reasons": [{"code": "tone", "value": 0.86, "detail": "Verärgerung 0.86 über 3 Nachrichten"}],
    }

    assert handoff_escalation(slot) == slot


@pytest.mark.parametrize("slot", [None, {}, "kaputt", {"level": "handoff", "reasons": []}])
def test_without_a_policy_reason_the_customer_asked(slot: object) -> None:
    escalation = handoff_escalation(slot)

    assert escalation["level"] == "handoff"
    assert [reason["code"] for reason in escalation["reasons"]] == ["customer_request"]
    assert escalation["summary_de"] == "möchte einen Mitarbeiter"


def test_a_watched_conversation_keeps_its_numbers_when_the_customer_accepts_a_person() -> None:
    slot = {
        "level": "watch",
        "rolling_tone": 0.55,
        "reasons": [],
        "summary_de": "angespannt 0.55 über 2 Nachrichten",
    }

    escalation = handoff_escalation(slot)

    assert escalation["rolling_tone"] == 0.55
    assert escalation["summary_de"] == "angespannt 0.55 über 2 Nachrichten; möchte einen Mitarbeiter"
    assert escalation["reasons"][0]["code"] == "customer_request"
