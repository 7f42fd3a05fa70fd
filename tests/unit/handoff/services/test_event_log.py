"""One INFO line per significant event, with ids and codes only."""
from __future__ import annotations

import logging

import pytest

from handoff.domain import events as ev
from handoff.services.event_log import event_name, log_event


def test_a_handoff_is_one_line_with_the_reason_codes_not_their_details(caplog: pytest.LogCaptureFixture) -> None:
    event = ev.HandoffRequested(conversation_id="c-1", handoff_id="h-1", reasons=(
        {"code": "customer_request", "detail": "Ich will sofort einen Menschen, max@example.com"},
        {"code": "tone", "value": 0.9}))
    with caplog.at_level(logging.INFO, logger="handoff.events"):
        log_event(event)
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.event == "handoff_requested" and record.conversation_id == "c-1"
    assert record.fields == {"handoff_id": "h-1", "reasons": "customer_request,tone"}
    assert "max@example.com" not in record.getMessage() and "Menschen" not in str(record.fields)


def test_a_stored_message_is_not_an_info_line_and_never_carries_its_text(caplog: pytest.LogCaptureFixture) -> None:
    event = ev.MessageStored(conversation_id="c-1", message={"text": "Mein Passwort ist geheim"})
    with caplog.at_level(logging.DEBUG, logger="handoff.events"):
        log_event(event)
    assert [record.levelno for record in caplog.records] == [logging.DEBUG]
    assert "geheim" not in caplog.text


def test_event_names_are_the_snake_case_class_names() -> None:
    assert event_name(ev.ConversationHandedBack(conversation_id="c")) == "conversation_handed_back"
    assert event_name(ev.CsatReceived(conversation_id="c", rating=5)) == "csat_received"
