"""The harness's handle on a load-generator process (bench/loadgen.py): job in, JSON lines out."""
from __future__ import annotations

import json
import subprocess
from typing import Any

from bench.paths import PYTHON_BIN, REPO_ROOT
from bench.processes import bench_environment

# Generous: a job is bounded by its own durations and timeouts; this only catches a hung process.
LOADGEN_TIMEOUT_SECONDS = 900


class LoadGeneratorFailed(RuntimeError):
    pass


class LoadGenerator:
    def __init__(self, job: dict[str, Any]) -> None:
        self.process = subprocess.Popen([str(PYTHON_BIN), "-m", "bench.loadgen"], cwd=REPO_ROOT,
                                        env=bench_environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        self.send(json.dumps(job))

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def next_event(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(10)
            raise LoadGeneratorFailed(f"load generator ended with {self.process.returncode} before answering")
        return json.loads(line)

    def expect(self, event: str) -> dict[str, Any]:
        data = self.next_event()
        if data.get("event") != event:
            raise LoadGeneratorFailed(f"expected {event}, got {data.get('event')}")
        return data

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()  # type: ignore[union-attr]
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """A one-shot job (reply, handoff): its result, without the event name."""
    generator = LoadGenerator(job)
    try:
        result = generator.expect("result")
        result.pop("event")
        return result
    finally:
        generator.close()
