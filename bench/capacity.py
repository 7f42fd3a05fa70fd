"""Benchmark 3: idle widget connections one process holds, memory per connection, replies while they are open."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from bench import targets as servers
from bench.capacity_client import CLOSE, MEASURE
from bench.loadgen_process import LoadGenerator, run_job
from bench.options import Options
from bench.processes import children_rss_bytes, rss_bytes
from bench.reply_path import reply_job
from bench.stats import LoadRun, Spread, spread_of_runs

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0
MEBIBYTE = 1024 * 1024


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def run(options: Options, workdir: Path) -> dict[str, Any]:
    product = servers.start_product(workdir / "capacity", name="capacity")
    pid = product.server.pid
    try:
        job = reply_job("a", product.base_url, options.capacity_concurrency, options, options.warmup_seconds)
        without = [LoadRun.from_dict(run_job(job)) for _ in range(options.repeats)]
        time.sleep(SETTLE_SECONDS)
        rss_before, files_before = rss_bytes(pid), open_files(pid)
        generator = LoadGenerator(job | {"job": "idle", "connections": options.idle_connections})
        try:
            connected = generator.expect("connected")
            logger.info("capacity: %d idle connections open, %d failed", connected["count"], connected["failed"])
            time.sleep(SETTLE_SECONDS)
            rss_after, files_after = rss_bytes(pid), open_files(pid)
            bot_rss = children_rss_bytes(pid)
            during, alive = [], []
            for _ in range(options.repeats):
                generator.send(MEASURE)
                result = generator.expect("result")
                result.pop("event")
                during.append(LoadRun.from_dict(result))
                alive.append(result["alive_after"])
            generator.send(CLOSE)
            generator.expect("closed")
        finally:
            generator.close()
    finally:
        product.stop()
    held = connected["count"]
    return {
        "target_connections": options.idle_connections,
        "connected": held, "failed": connected["failed"], "open_seconds": connected["seconds"],
        "still_open_after_measuring": min(alive) if alive else held,
        "rss_before_mib": rss_before / MEBIBYTE, "rss_after_mib": rss_after / MEBIBYTE,
        "kib_per_connection": (rss_after - rss_before) / 1024 / held if held else None,
        "bot_process_rss_mib": bot_rss / MEBIBYTE,
        "server_open_files": {"before": files_before, "after": files_after},
        "reply_concurrency": options.capacity_concurrency,
        "reply_without_idle": _figures(without),
        "reply_with_idle": _figures(during),
        "startups": {"product": [product.startup_seconds or 0.0]},
    }


def _figures(runs: list[LoadRun]) -> dict[str, Any]:
    usable = [run for run in runs if run.messages]
    if not usable:
        return {"errors": Spread.of(run.errors for run in runs).to_dict()}
    return {name: spread.to_dict() for name, spread in spread_of_runs(usable).items()}
