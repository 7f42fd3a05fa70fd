"""The console's German labels cover every code the bot and the service send (labels.js; unknown codes would show raw)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.escalation import assessment
from bot.escalation.summary import SUMMARY_SLOTS, TOPIC_NAMES_DE
from handoff.services import bot_routing

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[4]
LABELS = ROOT / "handoff" / "static" / "console" / "labels.js"


def _table(name: str) -> dict[str, str]:
    body = re.search(rf"export const {name} = Object\.freeze\(\{{(.*?)\}}\);", LABELS.read_text(), re.S)
    assert body, f"{name} not found in labels.js"
    return dict(re.findall(r'^\s*(\w+): "([^"]*)",?$', body.group(1), re.M))


def test_every_intent_of_the_domain_has_a_label_and_the_bot_s_topic_names_agree():
    intents = YAML(typ="safe").load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]
    topics = _table("TOPICS")
    assert set(intents) | {"nlu_fallback"} <= set(topics)
    assert {code: topics[code] for code in TOPIC_NAMES_DE} == dict(TOPIC_NAMES_DE)


def test_every_reason_code_has_a_label():
    codes = {value for name, value in vars(assessment).items() if name.startswith("REASON_") and isinstance(value, str)}
    codes |= {bot_routing.BOT_UNAVAILABLE_REASON["code"], bot_routing.CUSTOMER_REQUEST_REASON["code"]}
    assert codes <= set(_table("REASONS"))


def test_every_summary_slot_has_a_label():
    assert set(SUMMARY_SLOTS) <= set(_table("SLOTS"))
