"""Benchmark 4b: `rasa train --force` wall time in a temporary copy of the project, and model sizes."""
from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.baseline import baseline_project_dir, cached_model
from bench.options import Options
from bench.paths import PRODUCT_MODEL, RASA_BIN, REPO_ROOT
from bench.processes import bench_environment
from bench.stats import Spread

logger = logging.getLogger(__name__)

# What `rasa train` reads: config, domain, data, and the custom components it imports (bot/).
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "bot")
TRAIN_TIMEOUT_SECONDS = 1800
MEBIBYTE = 1024 * 1024


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in TRAINING_INPUTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    return destination


def train_once(project: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with open(project / "train.log", "wb") as log:
        subprocess.run([str(RASA_BIN), "train", "--force", "--fixed-model-name", "bench", "--out", "models"],
                       cwd=project, env=bench_environment(), stdout=log, stderr=subprocess.STDOUT, check=True,
                       timeout=TRAIN_TIMEOUT_SECONDS)
    elapsed = time.perf_counter() - started
    return elapsed, (project / "models" / "bench.tar.gz").stat().st_size


def run(options: Options, workdir: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"product_model_mib": PRODUCT_MODEL.stat().st_size / MEBIBYTE}
    baseline = cached_model(baseline_project_dir())
    if baseline is not None:
        figures["rasa_init_model_mib"] = baseline.stat().st_size / MEBIBYTE
    seconds, sizes = [], []
    for repeat in range(options.training_runs):
        project = copy_project(workdir / f"train-{repeat}")
        elapsed, size = train_once(project)
        seconds.append(elapsed)
        sizes.append(size / MEBIBYTE)
        logger.info("training run %d: %.0fs, %.1f MiB", repeat + 1, elapsed, size / MEBIBYTE)
    if seconds:
        figures["train_seconds"] = Spread.of(seconds).to_dict()
        figures["trained_model_mib"] = Spread.of(sizes).to_dict()
    return figures
