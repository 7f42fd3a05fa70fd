"""The promotion gate (pure): a candidate goes live only if it is not worse than live on held-out data.

Rules, all against the live model measured on the same held-out sets:
- intent macro-F1 not lower than live minus `macro_f1_tolerance`;
- no single intent's F1 drops by more than `max_intent_drop`;
- tone macro-F1 not lower than live minus `tone_tolerance` (skipped when a model has no tone scorer);
- not more failed test stories than live.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MACRO_F1_TOLERANCE = 0.01
# With ~10 held-out messages per intent one message flipping moves an intent's F1 by up to ~0.12 (measured:
# 0.889 -> 0.750 for one flip); 0.15 tolerates one flip, two flips are a regression.
MAX_INTENT_DROP = 0.15
TONE_TOLERANCE = 0.0
REGRESSION = "regression"
IMPROVEMENT = "improvement"
UNCHANGED = "unchanged"
# Per-intent changes smaller than this are noise in a held-out set of ~10 messages per intent.
CHANGE_EPSILON = 1e-9


@dataclass(frozen=True)
class GateRules:
    macro_f1_tolerance: float = MACRO_F1_TOLERANCE
    max_intent_drop: float = MAX_INTENT_DROP
    tone_tolerance: float = TONE_TOLERANCE

    def to_dict(self) -> dict[str, float]:
        return {"macro_f1_tolerance": self.macro_f1_tolerance, "max_intent_drop": self.max_intent_drop,
                "tone_tolerance": self.tone_tolerance}


def _f1(metrics: dict[str, Any], *keys: str) -> float | None:
    value: Any = metrics
    for key in keys:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return float(value)


def intent_changes(live: dict[str, Any], candidate: dict[str, Any], rules: GateRules) -> list[dict[str, Any]]:
    """Per-intent F1 live → candidate, worst change first; drops beyond the rule are marked as regressions."""
    live_f1 = (live.get("nlu") or {}).get("per_intent_f1", {})
    candidate_f1 = (candidate.get("nlu") or {}).get("per_intent_f1", {})
    changes = []
    for intent in sorted(set(live_f1) | set(candidate_f1)):
        before, after = float(live_f1.get(intent, 0.0)), float(candidate_f1.get(intent, 0.0))
        delta = after - before
        kind = UNCHANGED
        if delta < -rules.max_intent_drop:
            kind = REGRESSION
        elif delta > CHANGE_EPSILON:
            kind = IMPROVEMENT
        elif delta < -CHANGE_EPSILON:
            kind = "worse"
        changes.append({"intent": intent, "live": before, "candidate": after, "delta": delta, "kind": kind})
    return sorted(changes, key=lambda change: (change["delta"], change["intent"]))


def compare(live: dict[str, Any], candidate: dict[str, Any],
            rules: GateRules | None = None) -> dict[str, Any]:
    """The comparison a trainer sees, with the gate's verdict and every reason for a refusal."""
    rules = rules or GateRules()
    changes = intent_changes(live, candidate, rules)
    violations = []
    live_macro, candidate_macro = _f1(live, "nlu", "macro_f1"), _f1(candidate, "nlu", "macro_f1")
    if candidate_macro is None or live_macro is None:
        violations.append("intent macro-F1 missing")
    elif candidate_macro < live_macro - rules.macro_f1_tolerance:
        violations.append(f"intent macro-F1 {candidate_macro:.3f} < live {live_macro:.3f} - "
                          f"{rules.macro_f1_tolerance}")
    for change in changes:
        if change["kind"] == REGRESSION:
            violations.append(
                f"intent {change['intent']}: F1 {change['live']:.3f} -> {change['candidate']:.3f}")
    live_tone, candidate_tone = _f1(live, "tone", "macro_f1"), _f1(candidate, "tone", "macro_f1")
    tone_worse = candidate_tone is None or (live_tone is not None and
                                            candidate_tone < live_tone - rules.tone_tolerance)
    if live_tone is not None and tone_worse:
        violations.append(f"tone macro-F1 {candidate_tone if candidate_tone is not None else 'missing'} "
                          f"< live {live_tone:.3f}")
    live_failed = _f1(live, "stories", "failed")
    candidate_failed = _f1(candidate, "stories", "failed")
    if live_failed is not None and (candidate_failed is None or candidate_failed > live_failed):
        violations.append(f"test stories failed: {candidate_failed} > live {live_failed:.0f}")
    return {
        "passed": not violations,
        "violations": violations,
        "rules": rules.to_dict(),
        "nlu": {"live": live_macro, "candidate": candidate_macro},
        "tone": {"live": live_tone, "candidate": candidate_tone},
        "stories": {"live": live_failed, "candidate": candidate_failed},
        "intents": changes,
    }
