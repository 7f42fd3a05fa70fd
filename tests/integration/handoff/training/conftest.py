"""A throw-away copy of the project with a fast training config, and its live model (trained for real, once).

Every model here is trained with the same reduced config (fewer epochs), so the gate compares like with like;
the real data/ is never touched.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from handoff.training.evaluation import evaluate_model
from handoff.training.project import Project, copy_project
from handoff.training.retrain import SUCCEEDED, start_training

ROOT = Path(__file__).resolve().parents[4]
# Enough for DIET to learn every training example; kept low because two cores are shared.
FAST_EPOCHS = {"DIETClassifier": 12, "TEDPolicy": 2}
TIMINGS: dict[str, float] = {}


def fast_config(project: Project, epochs: dict[str, int] = FAST_EPOCHS) -> None:
    config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []) + config.get("policies", []):
        if component.get("name") in epochs:
            component["epochs"] = epochs[component["name"]]
    project.config.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def train(project: Project, name: str) -> Path:
    async def run() -> Path:
        job = await start_training(project, name)
        await job.wait()
        assert job.state == SUCCEEDED, "\n".join(job.progress.log_tail)
        TIMINGS[f"train {name}"] = job.seconds
        return job.model_path

    return asyncio.run(run())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    copied = copy_project(ROOT, tmp_path_factory.mktemp("project"))
    fast_config(copied)
    return copied


@pytest.fixture(scope="module")
def live_model(project: Project) -> Path:
    return train(project, "live")


@pytest.fixture(scope="module")
def live_metrics(project: Project, live_model: Path) -> dict:
    metrics = asyncio.run(evaluate_model(project, live_model))
    TIMINGS["evaluate live"] = metrics["seconds"]
    return metrics


@pytest.fixture(scope="module", autouse=True)
def report_timings():
    yield
    for name, seconds in TIMINGS.items():
        print(f"\n[trainer loop timing] {name}: {seconds:.1f}s")
