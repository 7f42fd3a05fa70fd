"""How much the suite measures: full (the reported run) or quick (< 3 minutes, for development)."""
from __future__ import annotations

from dataclasses import dataclass, replace

# "long" (bench/long_conversation.py, 500-turn conversations) runs only when named: `--only long`.
BENCHMARKS = ("reply", "handoff", "capacity", "startup", "training", "micro", "profile", "long")
# Start-up is sampled by every benchmark that starts a server; its own runs are only added on request.
# Training last: it is the longest, and the report is written after every benchmark.
DEFAULT_BENCHMARKS = ("reply", "handoff", "capacity", "profile", "micro", "training")


@dataclass(frozen=True)
class Options:
    benchmarks: tuple[str, ...] = DEFAULT_BENCHMARKS
    repeats: int = 3
    concurrencies: tuple[int, ...] = (1, 8, 32)
    duration_seconds: float = 5.0
    warmup_seconds: float = 1.5
    reply_targets: tuple[str, ...] = ("a", "b", "c", "d", "e")
    handoff_samples: int = 50
    idle_connections: int = 2000
    capacity_concurrency: int = 8
    # Each run is minutes of both cores; the reported run on a shared machine affords one (docs/performance.md).
    training_runs: int = 1
    startup_runs: int = 2
    micro_iterations: int = 300
    profile_turns: int = 200
    quick: bool = False


# Quick: one product and the rasa init baseline, short runs (each server start costs ~30-50 s of model loading);
# the other benchmarks take their quick sizes with `--quick --only handoff,capacity,...`.
QUICK = Options(benchmarks=("reply",), repeats=3, concurrencies=(1, 8), duration_seconds=2.0, warmup_seconds=1.0,
                reply_targets=("a", "c"), handoff_samples=10, idle_connections=300, training_runs=1, startup_runs=1,
                micro_iterations=50, profile_turns=40, quick=True)


def options_for(quick: bool, **overrides: object) -> Options:
    base = QUICK if quick else Options()
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(base, **given)
