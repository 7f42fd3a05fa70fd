"""`python -m bench [--quick] [--only reply,handoff,...]`: run the benchmarks, write bench/results/<date>-<commit>.*"""
from __future__ import annotations

import argparse
import datetime
import logging
import os
import shlex
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

from bench import capacity, child_benchmarks, handoff_latency, long_conversation, reply_path, startup, training
from bench.chart import reply_chart
from bench.loadgen import raise_open_file_limit
from bench.options import BENCHMARKS, Options, options_for
from bench.paths import PRODUCT_MODEL, REPO_ROOT, RESULTS_DIR
from bench.report import write_reports

logger = logging.getLogger("bench")

RUNNERS: dict[str, Callable[[Options, Path], Any]] = {
    "reply": reply_path.run,
    "handoff": handoff_latency.run,
    "capacity": capacity.run,
    "startup": startup.run,
    "training": training.run,
    "micro": lambda options, _workdir: child_benchmarks.run_micro(options),
    "profile": lambda options, _workdir: child_benchmarks.run_profile(options),
    "long": long_conversation.run,
}


# "startup" in the results is the pooled figure (bench/startup.py); the dedicated start-ups are one source of it.
RESULT_KEYS = {"startup": "startup_runs"}


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs for development (< 3 minutes)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--repeats", type=int, help="runs per figure (min/median/max over them)")
    parser.add_argument("--duration", type=float, help="seconds per reply-path run")
    parser.add_argument("--warmup", type=float, help="warm-up seconds before each reply-path run")
    parser.add_argument("--concurrency", help="comma-separated, e.g. 1,8,32")
    parser.add_argument("--targets", help="reply-path targets, subset of a,b,c,d")
    parser.add_argument("--connections", type=int, help="idle widget connections for the capacity benchmark")
    parser.add_argument("--handoff-samples", type=int)
    parser.add_argument("--training-runs", type=int)
    parser.add_argument("--startup-runs", type=int)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="report directory")
    return parser.parse_args(argv)


def build_options(arguments: argparse.Namespace) -> Options:
    def split(text: str | None) -> tuple[str, ...] | None:
        return tuple(part.strip() for part in text.split(",") if part.strip()) if text else None

    benchmarks = split(arguments.only)
    unknown = set(benchmarks or ()) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    concurrencies = split(arguments.concurrency)
    return options_for(
        arguments.quick, benchmarks=benchmarks, repeats=arguments.repeats, duration_seconds=arguments.duration,
        warmup_seconds=arguments.warmup, concurrencies=tuple(int(c) for c in concurrencies) if concurrencies else None,
        reply_targets=split(arguments.targets), idle_connections=arguments.connections,
        handoff_samples=arguments.handoff_samples, training_runs=arguments.training_runs,
        startup_runs=arguments.startup_runs)


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "config.yml", "domain.yml", "data", "bot",
                            "actions", "handoff"], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    return result.stdout.strip() + ("-dirty" if dirty else "")


def model_fingerprint() -> str:
    """Which model was measured: others may retrain models/nordwind.tar.gz at any time."""
    import hashlib

    if not PRODUCT_MODEL.exists():
        return "missing"
    digest = hashlib.sha256(PRODUCT_MODEL.read_bytes()).hexdigest()[:12]
    changed = datetime.datetime.fromtimestamp(PRODUCT_MODEL.stat().st_mtime, datetime.timezone.utc)
    return f"sha256 {digest}, trained {changed:%Y-%m-%d %H:%M} UTC"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    options = build_options(arguments)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    raise_open_file_limit()  # servers inherit it: the capacity benchmark needs thousands of sockets
    started = time.time()
    meta = {"date": datetime.date.today().isoformat(), "commit": commit(), "cpus": os.cpu_count(),
            "load_before": load_average(), "options": options.__dict__, "model": model_fingerprint(),
            "command": "python -m " + " ".join(["bench", *map(shlex.quote, sys.argv[1:] if argv is None else argv)])}
    results: dict[str, Any] = {"meta": meta, "failures": {}}
    with tempfile.TemporaryDirectory(prefix="nordwind-bench-") as directory:
        for name in options.benchmarks:
            logger.info("benchmark %s", name)
            try:
                results[RESULT_KEYS.get(name, name)] = RUNNERS[name](options, Path(directory) / name)
            except Exception as error:  # one broken benchmark must not lose the others' figures
                logger.error("benchmark %s failed:\n%s", name, traceback.format_exc())
                results["failures"][name] = f"{type(error).__name__}: {error}"
            # After every benchmark: an interrupted run still leaves a report of what it measured.
            report = publish(results, arguments.out, started)
    print(f"report: {report.relative_to(REPO_ROOT) if report.is_relative_to(REPO_ROOT) else report}")
    return 1 if results["failures"] else 0


def publish(results: dict[str, Any], out: Path, started: float) -> Path:
    meta = results["meta"]
    results["startup"] = startup.collect(results)
    meta["load_after"] = load_average()
    meta["seconds"] = round(time.time() - started, 1)
    if results.get("reply"):
        chart = reply_chart(results["reply"], out / f"{meta['date']}-{meta['commit']}.png",
                            f"Reply path, commit {meta['commit']}")
        results["chart"] = chart.name
    return write_reports(results, out)


if __name__ == "__main__":
    sys.exit(main())
