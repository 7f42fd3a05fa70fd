"""The metric labels stay a small fixed set, and that set keeps up with the codes the bot and service send."""
import pytest

from bot.escalation import assessment
from handoff.metrics import record
from handoff.services import bot_routing

pytestmark = pytest.mark.unit


def test_every_handoff_reason_code_is_a_label_of_its_own():
    codes = {value for name, value in vars(assessment).items() if name.startswith("REASON_") and isinstance(value, str)}
    codes.add(bot_routing.BOT_UNAVAILABLE_REASON["code"])
    assert codes <= record.REASONS


def test_unknown_values_become_other():
    families = record.start()
    record.message_stored("carrier-pigeon", "customer")
    record.message_stored("widget", "a-conversation-id-1234")
    record.handoff_requested(["Kunde: Max Mustermann <max@example.org>"])
    labels = {tuple(sample.labels.values()) for metric in families.registry.collect() for sample in metric.samples}
    assert ("other", "customer") in labels and ("widget", "other") in labels and ("other",) in labels
    assert not any("@" in value or "Max" in value for values in labels for value in values)
