"""The targets of issue 7, checked against the measured figures (reported, never asserted)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping

TARGET_CONCURRENCY = "8"
THROUGHPUT_FACTOR = 4.0
ADDED_LATENCY_LIMIT = 1.10
HANDOFF_P99_MS = 50.0
IDLE_CONNECTIONS = 2000
TRAINING_SECONDS = 300.0
STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class Check:
    name: str
    target: str
    measured: str
    met: bool | None  # None: not measured in this run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _median(figures: Mapping[str, Any] | None, *path: str) -> float | None:
    node: Any = figures
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node.get("median") if isinstance(node, Mapping) else None


def _missing(name: str, target: str) -> Check:
    return Check(name, target, "not measured", None)


def reply_checks(reply: Mapping[str, Any] | None) -> list[Check]:
    at = ("by_concurrency", TARGET_CONCURRENCY)
    a, c, d = ((reply or {}).get(key) for key in ("a", "c", "d"))
    checks = []
    a_rate, c_rate = _median(a, *at, "messages_per_second"), _median(c, *at, "messages_per_second")
    name, target = "(a) throughput vs (c), c=8", f">= {THROUGHPUT_FACTOR:g}x"
    checks.append(Check(name, target, f"{a_rate / c_rate:.2f}x ({a_rate:.1f} vs {c_rate:.1f} msg/s)",
                        a_rate >= THROUGHPUT_FACTOR * c_rate) if a_rate is not None and c_rate else _missing(name, target))
    a_p99, c_p50 = _median(a, *at, "p99_ms"), _median(c, *at, "p50_ms")
    name, target = "(a) p99 vs (c) p50, c=8", "below"
    checks.append(Check(name, target, f"{a_p99:.0f} ms vs {c_p50:.0f} ms", a_p99 < c_p50)
                  if a_p99 is not None and c_p50 is not None else _missing(name, target))
    a_p50, d_p50 = _median(a, *at, "p50_ms"), _median(d, *at, "p50_ms")
    name, target = "(a) added latency over (d), p50 c=8", f"<= +{(ADDED_LATENCY_LIMIT - 1) * 100:.0f}%"
    checks.append(Check(name, target, f"{(a_p50 / d_p50 - 1) * 100:+.0f}% ({a_p50:.0f} vs {d_p50:.0f} ms)",
                        a_p50 <= ADDED_LATENCY_LIMIT * d_p50) if a_p50 is not None and d_p50 else _missing(name, target))
    return checks


def handoff_checks(handoff: Mapping[str, Any] | None) -> list[Check]:
    checks = []
    for setup in ("single", "two_instances"):
        for key, what in (("escalation_ms", "escalation → agent queue event"),
                          ("agent_reply_ms", "agent reply → customer")):
            p99 = _median((handoff or {}).get(setup), key, "p99_ms")
            name, target = f"handoff {what} p99, {setup.replace('_', ' ')}", f"<= {HANDOFF_P99_MS:g} ms"
            checks.append(Check(name, target, f"{p99:.1f} ms", p99 <= HANDOFF_P99_MS) if p99 is not None
                          else _missing(name, target))
    return checks


def capacity_checks(capacity: Mapping[str, Any] | None, reply: Mapping[str, Any] | None) -> list[Check]:
    if not capacity:
        return [_missing("idle widget connections per process", f">= {IDLE_CONNECTIONS}")]
    held = min(capacity["connected"], capacity.get("still_open_after_measuring", capacity["connected"]))
    checks = [Check("idle widget connections per process", f">= {IDLE_CONNECTIONS}",
                    f"{held} of {capacity['target_connections']} tried", held >= IDLE_CONNECTIONS)]
    p99 = _median(capacity, "reply_with_idle", "p99_ms")
    c_p50 = _median((reply or {}).get("c"), "by_concurrency", TARGET_CONCURRENCY, "p50_ms")
    name, target = "reply p99 with idle connections open", "below (c) p50 at c=8"
    checks.append(Check(name, target, f"{p99:.0f} ms vs {c_p50:.0f} ms", p99 < c_p50)
                  if p99 is not None and c_p50 is not None else _missing(name, target))
    return checks


def training_checks(training: Mapping[str, Any] | None, startup: Mapping[str, Any] | None) -> list[Check]:
    checks = []
    seconds = _median(training, "train_seconds")
    name, target = "full training (rasa train --force)", f"<= {TRAINING_SECONDS:g} s"
    checks.append(Check(name, target, f"{seconds:.0f} s", seconds <= TRAINING_SECONDS) if seconds is not None
                  else _missing(name, target))
    seconds = _median((startup or {}).get("product"), "seconds")
    name, target = "start-up to first answer (product)", f"<= {STARTUP_SECONDS:g} s"
    checks.append(Check(name, target, f"{seconds:.1f} s", seconds <= STARTUP_SECONDS) if seconds is not None
                  else _missing(name, target))
    return checks


def all_checks(results: Mapping[str, Any]) -> list[Check]:
    return (reply_checks(results.get("reply")) + handoff_checks(results.get("handoff"))
            + capacity_checks(results.get("capacity"), results.get("reply"))
            + training_checks(results.get("training"), results.get("startup")))
