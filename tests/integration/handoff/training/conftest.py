"""A throw-away copy of the project with a fast training config, and its live model (trained for real, once).

Every model here is trained with the same reduced config (no contradiction replay), so the gate compares like
with like; the real data/ is never touched.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from handoff.training.evaluation import evaluate_model
from handoff.training.project import Project, copy_project
from handoff.training.retrain import SUCCEEDED, start_training
from tests.conftest import MODEL_CACHE, training_fingerprint

ROOT = Path(__file__).resolve().parents[4]
RULE_POLICY = "RulePolicy"
TIMINGS: dict[str, float] = {}
HELD_OUT = ("tests/nlu_holdout.yml", "tests/tone_holdout.yml", "tests/test_stories.yml")
# Model tests may train and evaluate several models on two shared cores.
MODEL_TEST_TIMEOUT_SECONDS = 3600


@functools.cache
def session_fingerprint() -> str:
    # Once per session: others may edit data/ while a model trains, and the live model and its figures must
    # be filed under the same key.
    return training_fingerprint(ROOT)


def cache_key(*extra: str) -> str:
    """Changes with everything that changes what the fixture models are or how they score."""
    digest = hashlib.sha256(session_fingerprint().encode())
    for name in HELD_OUT:
        digest.update((ROOT / name).read_bytes() if (ROOT / name).exists() else b"-")
    for part in extra:
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def cached_model(project: Project, name: str, build, *extra: str) -> Path:
    """Train once per change of the inputs (cached next to the suite's own model in tests/.model/)."""
    cached = MODEL_CACHE / f"trainer-{name}-{cache_key(*extra)}.tar.gz"
    if not cached.exists():
        MODEL_CACHE.mkdir(parents=True, exist_ok=True)
        for stale in MODEL_CACHE.glob(f"trainer-{name}-*.tar.gz"):
            stale.unlink()
        shutil.copy2(build(), cached)
    target = project.models_dir / cached.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached, target)
    return target


def fast_config(project: Project) -> None:
    config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    for component in config.get("policies", []):
        if component.get("name") == RULE_POLICY:
            # Replaying every story against the rules is a data check (`make train` and `rasa data validate`
            # run it); it changes nothing the model learns, and costs minutes here.
            component["check_for_contradictions"] = False
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
    return cached_model(project, "live", lambda: train(project, "live"))


@pytest.fixture(scope="module")
def live_metrics(project: Project, live_model: Path) -> dict:
    cached = MODEL_CACHE / f"trainer-live-metrics-{cache_key()}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    metrics = asyncio.run(evaluate_model(project, live_model))
    TIMINGS["evaluate live"] = metrics["seconds"]
    for stale in MODEL_CACHE.glob("trainer-live-metrics-*.json"):
        stale.unlink()
    cached.write_text(json.dumps(metrics), encoding="utf-8")
    return metrics


@pytest.fixture(scope="module", autouse=True)
def report_timings():
    yield
    for name, seconds in TIMINGS.items():
        print(f"\n[trainer loop timing] {name}: {seconds:.1f}s")
