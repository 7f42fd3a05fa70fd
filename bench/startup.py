"""Benchmark 4a: start-up to first answer (process start → first bot message over REST), fresh database each time."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bench import targets as servers
from bench.options import Options
from bench.stats import Spread

logger = logging.getLogger(__name__)

STARTERS = {
    "product": ("python -m handoff serve (migrations, admin, model, in-process actions)",
                lambda workdir: servers.start_product(workdir, name="startup-product")),
    "rasa_product_model": ("rasa run + rasa run actions, product model",
                           lambda workdir: servers.start_rasa_product_model(workdir)),
}


def run(options: Options, workdir: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, (label, start) in STARTERS.items():
        seconds = []
        for repeat in range(options.startup_runs):
            target = start(workdir / f"startup-{name}-{repeat}")
            target.stop()
            seconds.append(target.startup_seconds or 0.0)
            logger.info("start-up %s run %d: %.1fs", name, repeat + 1, seconds[-1])
        figures[name] = {"label": label, "seconds": Spread.of(seconds).to_dict()}
    return figures
