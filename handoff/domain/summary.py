"""Normalising what the bot hands over, so the agent console can rely on its shape; and queue priority."""
from __future__ import annotations

from typing import Any

SUMMARY_KEYS = ("topics", "slots", "last_customer_messages", "escalation")
MAX_LAST_MESSAGES = 5
# Reasons that deserve a faster human answer: legal and data-protection risk first, then anger.
URGENT_REASONS = frozenset({"legal_threat", "data_protection", "damage_value"})
UPSET_REASONS = frozenset({"abusive", "tone"})
PRIORITY_URGENT = 2
PRIORITY_UPSET = 1
PRIORITY_NORMAL = 0


def normalise_reasons(reasons: Any) -> list[dict[str, Any]]:
    if not isinstance(reasons, list):
        return []
    normalised = []
    for reason in reasons:
        if isinstance(reason, dict) and isinstance(reason.get("code"), str):
            normalised.append({"code": reason["code"], "value": reason.get("value"),
                               "detail": str(reason.get("detail") or "")})
        elif isinstance(reason, str):
            normalised.append({"code": reason, "value": None, "detail": ""})
    return normalised


def normalise_summary(summary: Any) -> dict[str, Any]:
    summary = summary if isinstance(summary, dict) else {}
    topics = summary.get("topics")
    slots = summary.get("slots")
    last = summary.get("last_customer_messages")
    escalation = summary.get("escalation")
    return {
        "topics": [str(topic) for topic in topics] if isinstance(topics, list) else [],
        "slots": {str(k): v for k, v in slots.items() if v is not None} if isinstance(slots, dict) else {},
        "last_customer_messages": [str(m) for m in last][-MAX_LAST_MESSAGES:] if isinstance(last, list) else [],
        "escalation": escalation if isinstance(escalation, dict) else {},
    }


def rolling_tone(summary: dict[str, Any]) -> float | None:
    value = summary.get("escalation", {}).get("rolling_tone")
    return float(value) if isinstance(value, (int, float)) else None


def priority_for(reasons: list[dict[str, Any]]) -> int:
    codes = {reason["code"] for reason in reasons}
    if codes & URGENT_REASONS:
        return PRIORITY_URGENT
    if codes & UPSET_REASONS:
        return PRIORITY_UPSET
    return PRIORITY_NORMAL
