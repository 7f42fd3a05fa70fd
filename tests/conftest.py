"""Fixtures shared by the whole suite: the trained test model and the loaded Rasa agent."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL_CACHE = ROOT / "tests" / ".model"
# Everything that changes what `rasa train` produces.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "bot", "tests/tone_holdout.yml")  # the last: tone calibration split

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def training_fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in {".yml", ".yaml", ".py", ".json", ".txt"} and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def trained_model_path() -> Path:
    """The project's real model, trained once per change of its inputs (cached in tests/.model/)."""
    fingerprint = training_fingerprint()
    model = MODEL_CACHE / f"nordwind-{fingerprint}.tar.gz"
    if not model.exists():
        MODEL_CACHE.mkdir(parents=True, exist_ok=True)
        for stale in MODEL_CACHE.glob("nordwind-*.tar.gz"):
            stale.unlink()
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--fixed-model-name", model.name.removesuffix(".tar.gz"),
             "--out", str(MODEL_CACHE)],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )
    return model


@pytest.fixture(scope="session")
def rasa_agent(trained_model_path: Path):
    """A loaded Rasa Agent with in-process actions (load once: TensorFlow start-up costs ~half a minute)."""
    from handoff.engine.rasa.engine import _rasa_action_endpoint_class
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model_path), action_endpoint=_rasa_action_endpoint_class()())
