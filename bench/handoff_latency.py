"""Benchmark 2: handoff latency, one instance (SQLite, in-process bus) and two instances sharing PostgreSQL and
Redis (customer on one, agent on the other, so every event crosses Redis pub/sub)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bench import targets as servers
from bench.loadgen_process import run_job
from bench.options import Options
from bench.stats import spread_of_samples
from bench.throwaway import throwaway_postgres, throwaway_redis

logger = logging.getLogger(__name__)

WARMUP_HANDOFFS = 3
# Start-up seconds of the instances this benchmark started (collected by bench/startup.py).
STARTUPS: list[float] = []
SETUPS = {
    "single": "one instance: SQLite, in-process bus",
    "two_instances": "two instances: PostgreSQL + Redis, customer on A, agent on B",
}


def handoff_job(customer_url: str, agent_url: str, samples: int) -> dict[str, Any]:
    return {"job": "handoff", "customer_url": customer_url, "agent_url": agent_url,
            "email": servers.BENCH_ADMIN_EMAIL, "password": servers.BENCH_ADMIN_PASSWORD,
            "samples": samples, "warmup": WARMUP_HANDOFFS}


def measure(customer: servers.Target, agent: servers.Target, options: Options) -> list[dict[str, list[float]]]:
    for target in {id(customer): customer, id(agent): agent}.values():
        STARTUPS.append(target.startup_seconds or 0.0)
    runs = []
    for repeat in range(options.repeats):
        result = run_job(handoff_job(customer.base_url, agent.base_url, options.handoff_samples))
        logger.info("handoff run %d: %d samples", repeat + 1, len(result.get("escalation_ms", [])))
        runs.append(result)
    return runs


def single_instance(options: Options, workdir: Path) -> list[dict[str, list[float]]]:
    product = servers.start_product(workdir / "handoff-single", name="handoff-single")
    try:
        return measure(product, product, options)
    finally:
        product.stop()


def two_instances(options: Options, workdir: Path) -> list[dict[str, list[float]]]:
    with throwaway_postgres() as database_url, throwaway_redis() as redis_url:
        # One after the other: both would run the migrations at start-up.
        first = servers.start_product(workdir / "handoff-a", name="handoff-a", database_url=database_url,
                                      redis_url=redis_url)
        try:
            second = servers.start_product(workdir / "handoff-b", name="handoff-b", database_url=database_url,
                                           redis_url=redis_url)
            try:
                return measure(first, second, options)
            finally:
                second.stop()
        finally:
            first.stop()


def summarise(runs: list[dict[str, list[float]]]) -> dict[str, Any]:
    keys = runs[0].keys() if runs else ()
    return {key: {name: spread.to_dict() for name, spread in spread_of_samples([run[key] for run in runs]).items()}
            for key in keys}


def run(options: Options, workdir: Path) -> dict[str, Any]:
    STARTUPS.clear()
    figures: dict[str, Any] = {}
    for name, measure_setup in (("single", single_instance), ("two_instances", two_instances)):
        runs = measure_setup(options, workdir)
        figures[name] = {"label": SETUPS[name], "samples_per_run": options.handoff_samples, **summarise(runs)}
    return figures | {"startups": {"product": list(STARTUPS)}}
