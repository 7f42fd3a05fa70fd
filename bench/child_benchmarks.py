"""Benchmarks that run inside one child process (micro, profile): started here, JSON read back."""
from __future__ import annotations

import json
import subprocess
from typing import Any, Mapping

from bench.options import Options
from bench.paths import PYTHON_BIN, REPO_ROOT
from bench.processes import bench_environment
from bench.stats import spread_of_samples

CHILD_TIMEOUT_SECONDS = 900
# TensorFlow reads these at start-up; "default" lets it use every core for both pools.
THREAD_VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "intra=1, inter=1": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"},
}


def run_child(module: str, arguments: list[str], environment: Mapping[str, str] | None = None) -> dict[str, Any]:
    completed = subprocess.run([str(PYTHON_BIN), "-m", module, *arguments], cwd=REPO_ROOT,
                               env=bench_environment(environment), capture_output=True, text=True,
                               timeout=CHILD_TIMEOUT_SECONDS)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_micro(options: Options) -> dict[str, Any]:
    figures = {}
    for variant, environment in THREAD_VARIANTS.items():
        raw = run_child("bench.micro", [str(options.micro_iterations), str(options.repeats)], environment)
        figures[variant] = {"parse": {k: v.to_dict() for k, v in spread_of_samples(raw["parse_ms"]).items()},
                            "tone": {k: v.to_dict() for k, v in spread_of_samples(raw["tone_ms"]).items()},
                            "tone_source": raw["tone_source"],
                            "action_validation": {
                                name: {k: v.to_dict() for k, v in spread_of_samples(samples).items()}
                                for name, samples in raw["action_validation_ms"].items()}}
    return figures


def run_profile(options: Options) -> dict[str, Any]:
    return run_child("bench.profile_reply", [str(options.profile_turns)])
