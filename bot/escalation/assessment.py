"""The outcome of assessing a conversation: level, the reasons behind it and the numbers behind those."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVEL_NONE = "none"
LEVEL_WATCH = "watch"
LEVEL_HANDOFF = "handoff"

REASON_CUSTOMER_REQUEST = "customer_request"
REASON_TONE = "tone"
REASON_ABUSIVE = "abusive"
REASON_FALLBACKS = "fallbacks"
REASON_REPEATED_QUESTION = "repeated_question"
REASON_LEGAL_THREAT = "legal_threat"
REASON_DATA_PROTECTION = "data_protection"
REASON_DAMAGE_VALUE = "damage_value"
REASON_NOT_HELPED = "not_helped"


@dataclass(frozen=True)
class Reason:
    code: str
    # The number or name that triggered it (tone score, fallback count, euro value, intent, ...).
    value: Any
    # German, for the agent.
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "value": self.value, "detail": self.detail}


@dataclass(frozen=True)
class Assessment:
    level: str = LEVEL_NONE
    reasons: tuple[Reason, ...] = ()
    rolling_tone: float = 0.0
    # Not-understood messages in the window, and how many of them came last in a row.
    fallbacks: int = 0
    consecutive_fallbacks: int = 0
    # Not-understood messages in a row that hand off (config), so that action_clarify can hand off at the last one.
    fallback_limit: int = 0
    # Customer messages in the window (since the last handoff).
    turns: int = 0
    # Tone cues of the latest message, so the acknowledgement can be specific.
    cues: tuple[str, ...] = ()
    summary_de: str = ""
    reason_codes: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason_codes", tuple(reason.code for reason in self.reasons))

    @property
    def hands_off(self) -> bool:
        return self.level == LEVEL_HANDOFF

    def as_dict(self) -> dict[str, Any]:
        """The value of the `escalation` slot (docs/architecture.md): JSON-safe, stable keys."""
        return {
            "level": self.level,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "rolling_tone": round(self.rolling_tone, 3),
            "fallbacks": self.fallbacks,
            "consecutive_fallbacks": self.consecutive_fallbacks,
            "fallback_limit": self.fallback_limit,
            "turns": self.turns,
            "cues": list(self.cues),
            "summary_de": self.summary_de,
        }
