"""EscalationConfig.from_dict: the policy parameters from config.yml, validated with clear errors."""
from __future__ import annotations

import pytest

from bot.escalation.config import EscalationConfig, EscalationConfigError

pytestmark = pytest.mark.unit


def test_empty_params_give_the_documented_defaults() -> None:
    config = EscalationConfig.from_dict({})

    assert config == EscalationConfig()
    assert config.tone_handoff_threshold == 0.7
    assert config.max_consecutive_fallbacks == 3
    assert config.max_not_helped == 2
    assert config.damage_value_threshold == 200.0


def test_known_params_override_and_numbers_are_coerced() -> None:
    config = EscalationConfig.from_dict({"damage_value_threshold": 150, "max_consecutive_fallbacks": 4.0})

    assert config.damage_value_threshold == 150.0 and isinstance(config.damage_value_threshold, float)
    assert config.max_consecutive_fallbacks == 4 and isinstance(config.max_consecutive_fallbacks, int)


def test_round_trip_through_as_dict() -> None:
    config = EscalationConfig(tone_decay=0.5, repeat_min_chars=8)

    assert EscalationConfig.from_dict(config.as_dict()) == config


def test_unknown_keys_are_named_in_the_error() -> None:
    with pytest.raises(EscalationConfigError, match=r"tone_treshold.*allowed"):
        EscalationConfig.from_dict({"tone_treshold": 0.5})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tone_handoff_threshold": 1.5}, "between 0 and 1"),
        ({"tone_decay": -0.1}, "between 0 and 1"),
        ({"tone_watch_threshold": 0.8, "tone_handoff_threshold": 0.7}, "below tone_handoff_threshold"),
        ({"max_consecutive_fallbacks": 0}, "at least 1"),
        ({"max_consecutive_fallbacks": 2.5}, "integer"),
        ({"tone_min_turns": True}, "number"),
        ({"repeat_text_similarity": "hoch"}, "number"),
        ({"damage_value_threshold": None}, "number"),
        ({"damage_value_threshold": -1}, "not be negative"),
    ],
)
def test_bad_values_are_rejected(params: dict, message: str) -> None:
    with pytest.raises(EscalationConfigError, match=message):
        EscalationConfig.from_dict(params)
