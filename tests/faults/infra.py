"""Throwaway PostgreSQL and Redis instances for fault tests: these may be stopped and restarted at will.

The machine's shared PostgreSQL (5432) and Redis (6379) serve other test runs and are never touched here.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

POSTGRES_USER = "postgres"
START_TIMEOUT_SECONDS = 30.0
REDIS_SERVER = "redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def postgres_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"PostgreSQL binary {name} not found")
    return candidates[-1]


def _as_postgres(arguments: list[str]) -> list[str]:
    # initdb refuses to run as root; the data directory belongs to the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", POSTGRES_USER, "--", *arguments]
    return arguments


@dataclass
class OwnPostgres:
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{POSTGRES_USER}@127.0.0.1:{self.port}/postgres"

    @classmethod
    def create(cls) -> "OwnPostgres":
        directory = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, user=POSTGRES_USER)
        instance = cls(directory, free_port())
        subprocess.run(_as_postgres([postgres_bin("initdb"), "-D", str(instance.data), "-A", "trust",
                                     "-U", POSTGRES_USER, "--no-sync"]),
                       check=True, capture_output=True)
        instance.start()
        return instance

    def _pg_ctl(self, *arguments: str) -> None:
        subprocess.run(_as_postgres([postgres_bin("pg_ctl"), "-D", str(self.data), *arguments]),
                       check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-o", options, "-l", str(self.directory / "server.log"), "-w", "start")
        wait_for_port(self.port)

    def stop(self) -> None:
        # Immediate: open connections are cut like in a crash, which is the fault under test.
        self._pg_ctl("-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        except Exception:
            pass  # already stopped
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class OwnRedis:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def create(cls) -> "OwnRedis":
        instance = cls(free_port())
        instance.start()
        return instance

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def destroy(self) -> None:
        self.stop()
