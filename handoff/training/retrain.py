"""Retraining in the background: `python -m rasa train` in a low-priority child process, progress streamed.

The child is niced (os.nice in the child only) and its output is read by a worker thread, so the chat service's
event loop never waits on it; TensorFlow's memory goes away with the child. Plain `subprocess` in a thread
rather than asyncio's subprocess API: that one needs a child watcher, which uvloop's policy (installed when
Rasa or Sanic is imported) does not provide for ordinary asyncio loops.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from handoff.training.progress import ProgressParser, TrainingProgress
from handoff.training.project import Project, subprocess_environment

NICE_INCREMENT = 10
READ_CHUNK = 4096
CANDIDATE_PREFIX = "candidate-"
RUNNING, SUCCEEDED, FAILED, CANCELLED = "running", "succeeded", "failed", "cancelled"


class TrainingBusy(RuntimeError):
    """Only one training runs at a time: two would halve each other's speed and double the memory."""


def candidate_name(now: datetime | None = None) -> str:
    moment = now or datetime.now(timezone.utc)
    return CANDIDATE_PREFIX + moment.strftime("%Y%m%d-%H%M%S-%f")


def lower_priority() -> None:  # runs in the child between fork and exec
    os.nice(NICE_INCREMENT)


def train_command(project: Project, name: str) -> list[str]:
    return [sys.executable, "-m", "rasa", "train", "--config", str(project.config),
            "--domain", str(project.domain), "--data", str(project.data_dir),
            "--out", str(project.candidates_dir), "--fixed-model-name", name]


@dataclass
class TrainingJob:
    project: Project
    name: str
    state: str = RUNNING
    started_at: float = field(default_factory=time.monotonic)
    finished_at: float | None = None
    returncode: int | None = None
    parser: ProgressParser = field(default_factory=ProgressParser)
    process: subprocess.Popen[bytes] | None = None
    task: asyncio.Task[None] | None = None

    @property
    def model_path(self) -> Path:
        return self.project.candidates_dir / f"{self.name}.tar.gz"

    @property
    def progress(self) -> TrainingProgress:
        return self.parser.progress

    @property
    def seconds(self) -> float:
        return (self.finished_at or time.monotonic()) - self.started_at

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "state": self.state, "returncode": self.returncode,
                "seconds": round(self.seconds, 1), "model_path": str(self.model_path),
                "progress": self.progress.to_dict()}

    async def wait(self) -> "TrainingJob":
        if self.task is not None:
            await asyncio.shield(self.task)
        return self

    async def cancel(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.state = CANCELLED
            self.process.terminate()
        await self.wait()


async def start_training(project: Project, name: str | None = None) -> TrainingJob:
    """Start `rasa train` for a candidate; returns at once with a job whose progress updates as it runs."""
    project.candidates_dir.mkdir(parents=True, exist_ok=True)
    job = TrainingJob(project, name or candidate_name())
    job.process = subprocess.Popen(
        train_command(project, job.name), cwd=str(project.root), env=subprocess_environment(project),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=lower_priority)
    job.task = asyncio.get_running_loop().create_task(_follow(job), name=f"training {job.name}")
    return job


def _read_output(job: TrainingJob) -> int:
    """Runs in a worker thread: feeds the parser while the child writes, returns its exit code."""
    assert job.process is not None and job.process.stdout is not None
    while chunk := job.process.stdout.read1(READ_CHUNK):
        job.parser.feed(chunk.decode("utf-8", errors="replace"))
    job.parser.close()
    return job.process.wait()


async def _follow(job: TrainingJob) -> None:
    job.returncode = await asyncio.to_thread(_read_output, job)
    job.finished_at = time.monotonic()
    if job.state != CANCELLED:
        job.state = SUCCEEDED if job.returncode == 0 and job.model_path.exists() else FAILED
