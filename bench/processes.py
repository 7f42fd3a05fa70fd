"""Server processes the harness starts and stops: own process group, log file, readiness by HTTP, RSS."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

QUIET_ENVIRONMENT = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}
STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.25
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def bench_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(QUIET_ENVIRONMENT)
    environment.update(extra or {})
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    """Resident set size from /proc (no psutil in the venv)."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES


def child_pids(pid: int) -> list[int]:
    """Direct children (the product's bot process), from /proc."""
    children: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listed:
            children += [int(child) for child in listed.read().split()]
    return children


def descendant_pids(pid: int) -> list[int]:
    """Children, grandchildren, ...: a multi-worker server's workers and their bot processes."""
    found, waiting = [], [pid]
    while waiting:
        try:
            children = child_pids(waiting.pop())
        except OSError:   # gone meanwhile
            continue
        found += children
        waiting += children
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system time of a process and all its descendants (process time: steadier than wall time when the
    machine is shared; PostgreSQL and Redis, shared with other clients, are not included)."""
    total = 0.0
    for process in (pid, *descendant_pids(pid)):
        try:
            with open(f"/proc/{process}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def children_rss_bytes(pid: int) -> int:
    return sum(rss_bytes(child) for child in child_pids(pid))


class ServerFailed(RuntimeError):
    """A server exited or never became ready; the message points at its log."""


@dataclass
class ServerProcess:
    name: str
    command: Sequence[str]
    cwd: Path
    log_path: Path
    environment: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    def start(self) -> "ServerProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        self.started_at = time.perf_counter()
        # A new session: stopping the group also stops whatever the server forked.
        self.process = subprocess.Popen(list(self.command), cwd=self.cwd, env=bench_environment(self.environment),
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_until(self, ready: Callable[[], bool], timeout: float) -> float:
        """Seconds from start until `ready()` holds; raises when the process dies or time runs out."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerFailed(f"{self.name} exited with {self.process.returncode}, see {self.log_path}")
            if ready():
                return time.perf_counter() - self.started_at
            time.sleep(POLL_SECONDS)
        raise ServerFailed(f"{self.name} not ready after {timeout:.0f}s, see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
