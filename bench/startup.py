"""Benchmark 4a: start-up to first answer (process start → first bot message over REST, fresh database).

Every benchmark starts its servers fresh, so start-up is sampled wherever a server starts (reply path, handoff,
capacity) and collected here; `--only startup` adds dedicated start-ups of the product and plain `rasa run`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Mapping

from bench import targets as servers
from bench.options import Options
from bench.stats import Spread

logger = logging.getLogger(__name__)

LABELS = {
    "product": "python -m handoff serve (migrations, admin, model, in-process actions)",
    "product_2_workers": "python -m handoff serve --workers 2 (PostgreSQL, Redis)",
    "rasa_product_model": "rasa run + rasa run actions, product model",
    "rasa_init": "rasa run, rasa init project",
}
STARTERS = {
    "product": lambda workdir: servers.start_product(workdir, name="startup-product"),
    "rasa_product_model": servers.start_rasa_product_model,
}


def run(options: Options, workdir: Path) -> dict[str, Any]:
    """Dedicated start-ups: {"startups": {name: [seconds]}}."""
    samples: dict[str, list[float]] = {}
    for name, start in STARTERS.items():
        for repeat in range(options.startup_runs):
            target = start(workdir / f"startup-{name}-{repeat}")
            target.stop()
            samples.setdefault(name, []).append(target.startup_seconds or 0.0)
            logger.info("start-up %s run %d: %.1fs", name, repeat + 1, samples[name][-1])
    return {"startups": samples}


def collect(results: Mapping[str, Any]) -> dict[str, Any]:
    """Every start-up sample of the run, per kind of server, as a spread over the samples."""
    samples: dict[str, list[float]] = {}
    for figures in results.values():
        if isinstance(figures, Mapping):
            for name, seconds in (figures.get("startups") or {}).items():
                samples.setdefault(name, []).extend(seconds)
    return {name: {"label": LABELS.get(name, name), "seconds": Spread.of(seconds).to_dict()}
            for name, seconds in samples.items() if seconds}
