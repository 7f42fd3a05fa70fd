"""Benchmark 1: the bot reply path through (a) the widget WebSocket, (b) the product's REST channel, (c) plain
`rasa run` with the `rasa init` project, (d) plain `rasa run` with the product's model and an action server.

All servers run at once and the repetitions are interleaved (rep → concurrency → target), so that the shared
machine's noise hits every target alike instead of whichever happened to run during a busy minute.
"""
from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import targets as servers
from bench.baseline import ensure_baseline_project
from bench.conversations import conversations, demo_order_numbers
from bench.loadgen_process import run_job
from bench.options import Options
from bench.processes import tree_cpu_seconds
from bench.server_counters import StoreCounters, per_message
from bench.stats import LoadRun, Spread, spread_of_runs, spread_of_samples
from bench.throwaway import throwaway_postgres, throwaway_redis

logger = logging.getLogger(__name__)

TARGET_LABELS = {
    "a": "product, widget WebSocket",
    "b": "product, REST channel",
    "c": "plain rasa run, rasa init default project (REST)",
    "d": "plain rasa run, product model + action server (REST)",
    "e": "product, 2 workers, PostgreSQL + Redis (bus, trackers, locks), widget WebSocket",
}
PROTOCOL = {"a": "widget", "b": "rest", "c": "rest", "d": "rest", "e": "widget"}
SCALED_WORKERS = 2
# Start-up samples are collected under these names from every benchmark (bench/startup.py).
STARTUP_NAMES = {"a": "product", "b": "product", "c": "rasa_init", "d": "rasa_product_model", "e": "product_2_workers"}
CONVERSATION_COUNT = 48
# Per answered message, counted during the window including its warm-up (bench/server_counters.py).
STORE_FIGURES = ("redis_commands_per_message", "pg_transactions_per_message", "pg_rows_fetched_per_message",
                 "pg_rows_written_per_message")


def start_targets(selected: tuple[str, ...], workdir: Path, stack: ExitStack) -> dict[str, servers.Target]:
    started: dict[str, servers.Target] = {}
    try:
        if "a" in selected or "b" in selected:
            product = servers.start_product(workdir / "product")
            started.update({key: product for key in ("a", "b") if key in selected})
        if "c" in selected:
            project, model = ensure_baseline_project()
            started["c"] = servers.start_rasa_init(workdir / "rasa-init", project, model)
        if "d" in selected:
            started["d"] = servers.start_rasa_product_model(workdir / "rasa-product")
        if "e" in selected:
            database_url = stack.enter_context(throwaway_postgres())
            redis_url = stack.enter_context(throwaway_redis())
            started["e"] = servers.start_product(workdir / "scaled", name="scaled", database_url=database_url,
                                                 redis_url=redis_url, workers=SCALED_WORKERS)
    except Exception:
        stop_targets(started)
        raise
    return started


def stop_targets(started: dict[str, servers.Target]) -> None:
    for target in {id(t): t for t in started.values()}.values():
        target.stop()


def reply_job(key: str, base_url: str, concurrency: int, options: Options, warmup: float) -> dict[str, Any]:
    return {"job": "reply", "protocol": PROTOCOL[key], "base_url": base_url, "concurrency": concurrency,
            "duration_seconds": options.duration_seconds, "warmup_seconds": warmup,
            "conversations": conversations(demo_order_numbers(), CONVERSATION_COUNT)}


def run(options: Options, workdir: Path) -> dict[str, Any]:
    selected = options.reply_targets
    with ExitStack() as stack:
        started = start_targets(selected, workdir, stack)
        startups: dict[str, list[float]] = {}
        for key, target in {STARTUP_NAMES[k]: t for k, t in started.items()}.items():
            startups.setdefault(key, []).append(target.startup_seconds or 0.0)
        raw = measure(started, selected, options)
    return summarise(raw) | {"startups": startups}


def measure(started: dict[str, servers.Target], selected: tuple[str, ...],
            options: Options) -> dict[str, dict[int, list[dict[str, Any]]]]:
    raw: dict[str, dict[int, list[dict[str, Any]]]] = {k: {c: [] for c in options.concurrencies} for k in selected}
    try:
        for repeat in range(options.repeats):
            for concurrency in options.concurrencies:
                for key in selected:
                    # The first run of each (target, concurrency) warms up longer: caches, JIT of TF graphs.
                    warmup = options.warmup_seconds * (2 if repeat == 0 else 1)
                    counters = StoreCounters(started[key].database_url, started[key].redis_url)
                    stores_before = counters.snapshot()
                    cpu_before = tree_cpu_seconds(started[key].server.pid)
                    result = run_job(reply_job(key, started[key].base_url, concurrency, options, warmup))
                    result |= per_message(stores_before, counters.snapshot(),
                                          result["messages"] + result.get("warmup_messages", 0))
                    # Server CPU (all its processes) per answered message, over the warm-up and the window
                    # (the CPU counters cannot tell them apart; until 2026-12-05 the warm-up's CPU was divided by
                    # the window's messages alone, which made every figure 1.3-1.6x too high).
                    cpu_ms = (tree_cpu_seconds(started[key].server.pid) - cpu_before) * 1000
                    answered = result["messages"] + result.get("warmup_messages", 0)
                    result["cpu_ms_per_message"] = cpu_ms / answered if result["messages"] else None
                    logger.info("reply %s c=%d run %d: %d msgs, %d errors", key, concurrency, repeat + 1,
                                result["messages"], result["errors"])
                    raw[key][concurrency].append(result)
    finally:
        stop_targets(started)
    return raw


def summarise(raw: dict[str, dict[int, list[dict[str, Any]]]]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for key, by_concurrency in raw.items():
        figures[key] = {"label": TARGET_LABELS[key], "by_concurrency": {}}
        for concurrency, results in by_concurrency.items():
            runs = [LoadRun.from_dict(r) for r in results if r["messages"]]
            entry: dict[str, Any] = {"runs": len(results),
                                     "error_kinds": merge_counts(r.get("error_kinds", {}) for r in results)}
            if runs:
                entry.update({name: spread.to_dict() for name, spread in spread_of_runs(runs).items()})
            cpu = [r["cpu_ms_per_message"] for r in results if r.get("cpu_ms_per_message")]
            if cpu:
                entry["cpu_ms_per_message"] = Spread.of(cpu).to_dict()
            for name in STORE_FIGURES:
                values = [r[name] for r in results if r.get(name) is not None]
                if values:
                    entry[name] = Spread.of(values).to_dict()
            acks = [r["ack_ms"] for r in results if r.get("ack_ms")]
            if acks:
                entry["ack_p99_ms"] = spread_of_samples(acks)["p99_ms"].to_dict()
            figures[key]["by_concurrency"][str(concurrency)] = entry
    figures["ratios"] = ratios(figures)
    return figures


def merge_counts(counts: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for count in counts:
        for kind, number in count.items():
            total[kind] = total.get(kind, 0) + number
    return total


def ratios(figures: dict[str, Any]) -> dict[str, Any]:
    """(a)/(c), (a)/(d) and (e)/(a) of messages/s and p50/p99 latency (medians over runs), per concurrency."""
    result: dict[str, Any] = {}
    for mine, reference in (("a", "c"), ("a", "d"), ("e", "a")):
        if mine not in figures or reference not in figures:
            continue
        per_concurrency = {}
        for concurrency, entry in figures[mine]["by_concurrency"].items():
            other = figures[reference]["by_concurrency"].get(concurrency, {})
            per_concurrency[concurrency] = {
                name: _ratio(entry.get(name), other.get(name))
                for name in ("messages_per_second", "p50_ms", "p99_ms")}
        result[f"{mine}/{reference}"] = per_concurrency
    return result


def _ratio(mine: dict[str, float] | None, theirs: dict[str, float] | None) -> float | None:
    if not mine or not theirs:
        return None
    return Spread(**mine).ratio_to(Spread(**theirs))
