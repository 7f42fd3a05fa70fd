"""Runs `handoff.training.evaluate_model` in a low-priority child process and reads its JSON figures."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from handoff.training.project import Project, subprocess_environment
from handoff.training.retrain import lower_priority

EVALUATION_MODULE = "handoff.training.evaluate_model"
OUTPUT_TAIL_CHARS = 4000


class EvaluationFailed(RuntimeError):
    """The evaluation child exited with an error; the message carries the end of its output."""


async def evaluate_model(project: Project, model_path: Path) -> dict[str, Any]:
    """Held-out figures of one model: NLU per intent, tone (when the model scores it), test stories."""
    with tempfile.TemporaryDirectory(prefix="nordwind-eval-") as directory:
        out = Path(directory) / "metrics.json"
        # A worker thread waits for the child (see retrain.py for why not asyncio's subprocess API).
        process = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", EVALUATION_MODULE, "--model", str(model_path), "--project", str(project.root),
             "--out", str(out)],
            cwd=str(project.root), env=subprocess_environment(project), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=lower_priority)
        if process.returncode != 0 or not out.exists():
            tail = process.stdout.decode("utf-8", errors="replace")[-OUTPUT_TAIL_CHARS:]
            raise EvaluationFailed(f"evaluation of {model_path} exited with {process.returncode}:\n{tail}")
        return json.loads(out.read_text(encoding="utf-8"))
