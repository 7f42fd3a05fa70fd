"""The reply-path chart (PNG, matplotlib): messages/s and p99 latency per concurrency, bars at the median with
min–max whiskers over the repeated runs."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

TARGET_KEYS = ("a", "b", "c", "d", "e")
COLOURS = {"a": "#1f6f8b", "b": "#5aa9c9", "c": "#b0b0b0", "d": "#e0a040", "e": "#3a9a5b"}
BAR_WIDTH = 0.16


def _bars(axis: Any, reply: Mapping[str, Any], figure: str, concurrencies: list[str]) -> None:
    keys = [key for key in TARGET_KEYS if key in reply]
    for offset, key in enumerate(keys):
        medians, low, high = [], [], []
        for concurrency in concurrencies:
            spread = reply[key]["by_concurrency"].get(concurrency, {}).get(figure)
            median = spread["median"] if spread else 0.0
            medians.append(median)
            low.append(median - spread["min"] if spread else 0.0)
            high.append(spread["max"] - median if spread else 0.0)
        positions = [index + (offset - (len(keys) - 1) / 2) * BAR_WIDTH for index in range(len(concurrencies))]
        axis.bar(positions, medians, BAR_WIDTH, yerr=[low, high], capsize=3, color=COLOURS[key],
                 label=f"({key}) {reply[key]['label']}")
    axis.set_xticks(range(len(concurrencies)), [f"c={c}" for c in concurrencies])


def reply_chart(reply: Mapping[str, Any], path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    any_target = next(reply[key] for key in TARGET_KEYS if key in reply)
    concurrencies = list(any_target["by_concurrency"])
    fig, (rate_axis, latency_axis) = plt.subplots(1, 2, figsize=(12, 4.8))
    _bars(rate_axis, reply, "messages_per_second", concurrencies)
    rate_axis.set_ylabel("answered messages / s")
    rate_axis.set_title("Throughput (higher is better)")
    _bars(latency_axis, reply, "p99_ms", concurrencies)
    latency_axis.set_ylabel("p99 latency, ms (log)")
    latency_axis.set_yscale("log")
    latency_axis.set_title("p99 latency (lower is better)")
    handles, labels = rate_axis.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.12, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
