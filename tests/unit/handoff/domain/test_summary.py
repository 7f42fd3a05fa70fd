import pytest

from handoff.domain.summary import normalise_reasons, normalise_summary, priority_for, rolling_tone

pytestmark = pytest.mark.unit


def test_normalise_keeps_known_shape_and_drops_garbage():
    summary = normalise_summary({"topics": ["order_status"], "slots": {"order_id": "A1", "x": None},
                                 "last_customer_messages": [str(i) for i in range(9)],
                                 "escalation": {"rolling_tone": 0.8}})
    assert summary["slots"] == {"order_id": "A1"}
    assert summary["last_customer_messages"] == ["4", "5", "6", "7", "8"]
    assert rolling_tone(summary) == 0.8
    assert normalise_summary("nonsense") == {"topics": [], "slots": {}, "last_customer_messages": [],
                                             "escalation": {}}


def test_priority_from_reasons():
    assert priority_for(normalise_reasons([{"code": "legal_threat"}, {"code": "tone"}])) == 2
    assert priority_for(normalise_reasons(["abusive"])) == 1
    assert priority_for(normalise_reasons([{"code": "customer_request"}, 42])) == 0
