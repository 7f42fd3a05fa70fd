"""The anchor: a `rasa init --no-prompt` project with Rasa's default pipeline and policies, trained once and cached.

The cache key is the Rasa version, so an upgrade retrains; `bench/.cache/` is gitignored.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from bench.paths import CACHE_DIR, RASA_BIN
from bench.processes import bench_environment

logger = logging.getLogger(__name__)

INIT_TIMEOUT_SECONDS = 1800


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def baseline_project_dir() -> Path:
    return CACHE_DIR / f"rasa-init-{rasa_version()}"


def cached_model(project: Path) -> Path | None:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def ensure_baseline_project() -> tuple[Path, Path]:
    """(project dir, model): `rasa init --no-prompt` trains its model as part of initialising the project."""
    project = baseline_project_dir()
    model = cached_model(project)
    if model is not None:
        return project, model
    building = project.with_name(project.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    logger.info("creating and training the rasa init baseline in %s (once)", building)
    log_path = building.with_suffix(".log")
    with open(log_path, "wb") as log:
        subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(building)], cwd=building,
                       env=bench_environment(), stdout=log, stderr=subprocess.STDOUT, check=True,
                       timeout=INIT_TIMEOUT_SECONDS)
    if cached_model(building) is None:
        raise RuntimeError(f"rasa init produced no model, see {log_path}")
    shutil.rmtree(project, ignore_errors=True)
    building.rename(project)
    model = cached_model(project)
    assert model is not None
    return project, model
