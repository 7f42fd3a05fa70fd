"""Statistics of the suite: latency percentiles within a run, min/median/max spread across repeated runs."""
from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass
from typing import Iterable, Mapping, Sequence

PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in 0..100."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class LatencySummary:
    """One run's latencies in milliseconds."""
    count: int
    mean: float
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, latencies_ms: Sequence[float]) -> "LatencySummary":
        if not latencies_ms:
            raise ValueError("no latencies measured")
        return cls(count=len(latencies_ms), mean=statistics.fmean(latencies_ms),
                   p50=percentile(latencies_ms, 50), p95=percentile(latencies_ms, 95),
                   p99=percentile(latencies_ms, 99), max=max(latencies_ms))


@dataclass(frozen=True)
class Spread:
    """A figure over repeated runs: reported as median with its min and max."""
    min: float
    median: float
    max: float
    runs: int

    @classmethod
    def of(cls, values: Iterable[float]) -> "Spread":
        data = [float(v) for v in values]
        if not data:
            raise ValueError("no runs")
        return cls(min=min(data), median=statistics.median(data), max=max(data), runs=len(data))

    def ratio_to(self, other: "Spread") -> float | None:
        """Median over median; None when the reference is zero."""
        return self.median / other.median if other.median else None

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True)
class LoadRun:
    """What one closed-loop load run measured."""
    messages: int
    errors: int
    elapsed_seconds: float
    latencies_ms: tuple[float, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> "LoadRun":
        return cls(messages=int(data["messages"]), errors=int(data["errors"]),
                   elapsed_seconds=float(data["elapsed_seconds"]),
                   latencies_ms=tuple(float(v) for v in data["latencies_ms"]))

    @property
    def throughput(self) -> float:
        """Answered messages per second."""
        return self.messages / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0


def spread_of_runs(runs: Sequence[LoadRun]) -> dict[str, Spread]:
    """messages/s and latency percentiles, each as min/median/max over the runs."""
    if not runs:
        raise ValueError("no runs")
    summaries = [LatencySummary.of(run.latencies_ms) for run in runs]
    figures = {"messages_per_second": Spread.of(run.throughput for run in runs),
               "errors": Spread.of(run.errors for run in runs)}
    for q in PERCENTILES:
        figures[f"p{q}_ms"] = Spread.of(getattr(summary, f"p{q}") for summary in summaries)
    return figures


def spread_of_samples(samples_per_run: Sequence[Sequence[float]]) -> dict[str, Spread]:
    """Latency percentiles of several sample runs (handoff, micro benchmarks), each as a spread over runs."""
    summaries = [LatencySummary.of(samples) for samples in samples_per_run]
    figures = {f"p{q}_ms": Spread.of(getattr(s, f"p{q}") for s in summaries) for q in PERCENTILES}
    figures["mean_ms"] = Spread.of(s.mean for s in summaries)
    figures["max_ms"] = Spread.of(s.max for s in summaries)
    return figures
