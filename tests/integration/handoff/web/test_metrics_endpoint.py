"""`GET /metrics` on the real app: Prometheus text that the official parser reads, with every family operators
were promised, counting what customers and the bot really did."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from handoff.store.tables import metadata
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration

FAMILIES = {
    "nordwind_messages": "counter", "nordwind_bot_turn_duration_seconds": "histogram",
    "nordwind_handoffs": "counter", "nordwind_queue_conversations": "gauge",
    "nordwind_queue_oldest_wait_seconds": "gauge", "nordwind_tickets": "gauge",
    "nordwind_open_connections": "gauge", "nordwind_bus_publish_failures": "counter", "nordwind_database_up": "gauge",
    "nordwind_model_info": "gauge",   # an Info family: the text format has no info type
}


async def _scrape(base: str, headers: dict | None = None) -> tuple[int, str, dict]:
    api = Api(base)
    try:
        status, body, response_headers = await api.request("GET", "/metrics", headers=headers)
        return status, body, response_headers
    finally:
        await api.close()


def _families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


async def test_metrics_parse_and_contain_every_family(sqlite_server):
    customer = Api(sqlite_server.base)
    try:
        status, body, _ = await customer.request("POST", "/webhooks/rest/webhook",
                                                 json={"sender": "metrics-test", "message": "Hallo"})
        assert status == 200, body
    finally:
        await customer.close()
    status, text, headers = await _scrape(sqlite_server.base)
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=")
    families = _families(text)
    for name, kind in FAMILIES.items():
        assert name in families, name
        assert families[name].type == kind, name
    if "mail_outbox" in metadata.tables:   # e-mail (issue 16)
        assert families["nordwind_email_outbox_backlog_messages"].samples[0].value == 0
    assert all(name.startswith("nordwind_") for name in families)
    messages = {(s.labels["channel"], s.labels["sender_type"]): s.value
                for s in families["nordwind_messages"].samples if s.name == "nordwind_messages_total"}
    assert messages[("rest", "customer")] >= 1 and messages[("rest", "bot")] >= 1
    turns = [s for s in families["nordwind_bot_turn_duration_seconds"].samples
             if s.name.endswith("_count") and s.labels["outcome"] == "ok"]
    assert turns and turns[0].value >= 1
    assert families["nordwind_queue_oldest_wait_seconds"].samples[0].value >= 0
    # No label may carry an id, an address or a text: every label value is from a small fixed set.
    for family in families.values():
        for sample in family.samples:
            for key, value in sample.labels.items():
                assert len(value) <= 40 and "@" not in value and " " not in value, (family.name, key, value)


async def test_a_wrong_token_from_loopback_is_still_loopback(sqlite_server):
    status, _, _ = await _scrape(sqlite_server.base, {"Authorization": "Bearer falsch"})
    assert status == 200
