"""Every threshold of the escalation decision, validated once when the policy is built."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping


class EscalationConfigError(ValueError):
    """A policy parameter in config.yml is unknown or has an unusable value."""


@dataclass(frozen=True)
class EscalationConfig:
    # Rolling tone at or above this hands off (0..1).
    tone_handoff_threshold: float = 0.7
    # Rolling or latest tone at or above this puts the conversation on "watch" (de-escalate first).
    tone_watch_threshold: float = 0.45
    # Weight one message keeps per newer message in the rolling tone (0 = only the latest, 1 = plain mean).
    tone_decay: float = 0.6
    # Tone alone hands off only after this many customer messages: one outburst gets an acknowledgement first.
    tone_min_turns: int = 2
    # This many not-understood messages in a row hand off (fallbacks, clarifying questions, out of scope).
    max_consecutive_fallbacks: int = 3
    # This many messages saying the answer did not help ("geht immer noch nicht") hand off.
    max_not_helped: int = 2
    # Character-trigram similarity (0..1) from which a message counts as the same question asked again.
    repeat_text_similarity: float = 0.8
    # Shorter normalised messages ("ja", "ok?") are never compared as repeated questions.
    repeat_min_chars: int = 12
    # Same intent right after its answer counts as repeated when tone rose by at least this much.
    repeat_tone_rise: float = 0.15
    # Damaged goods worth more than this (EUR/CHF, amount or else order total) go to a person.
    damage_value_threshold: float = 200.0

    @classmethod
    def from_dict(cls, params: Mapping[str, Any]) -> "EscalationConfig":
        """Builds a config from policy parameters; unknown keys and bad values raise EscalationConfigError."""
        known = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise EscalationConfigError(
                f"Unknown escalation parameter(s) {unknown}; allowed: {sorted(known)}"
            )
        values = {name: _coerce(name, known[name].type, value) for name, value in params.items()}
        config = cls(**values)
        config.validate()
        return config

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def validate(self) -> None:
        for name in (
            "tone_handoff_threshold",
            "tone_watch_threshold",
            "tone_decay",
            "repeat_text_similarity",
            "repeat_tone_rise",
        ):
            _require(0.0 <= getattr(self, name) <= 1.0, name, "must be between 0 and 1")
        _require(
            self.tone_watch_threshold < self.tone_handoff_threshold,
            "tone_watch_threshold",
            f"must be below tone_handoff_threshold ({self.tone_handoff_threshold})",
        )
        for name in ("tone_min_turns", "max_consecutive_fallbacks", "max_not_helped"):
            _require(getattr(self, name) >= 1, name, "must be at least 1")
        _require(self.repeat_min_chars >= 0, "repeat_min_chars", "must not be negative")
        _require(self.damage_value_threshold >= 0, "damage_value_threshold", "must not be negative")


def _coerce(name: str, type_name: Any, value: Any) -> Any:
    # bool is an int subclass: "true" for a threshold is a typo, not 1.
    if isinstance(value, bool) or value is None:
        raise EscalationConfigError(f"Escalation parameter '{name}' must be a number, got {value!r}")
    if type_name in (int, "int"):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not isinstance(value, int):
            raise EscalationConfigError(f"Escalation parameter '{name}' must be an integer, got {value!r}")
        return value
    if not isinstance(value, (int, float)):
        raise EscalationConfigError(f"Escalation parameter '{name}' must be a number, got {value!r}")
    return float(value)


def _require(condition: bool, name: str, message: str) -> None:
    if not condition:
        raise EscalationConfigError(f"Escalation parameter '{name}' {message}")
