"""The app as a real subprocess (tests/faults/server_main.py) that fault tests can SIGKILL and restart."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.infra import free_port
from tests.integration.handoff.web.server import QUIET_ENVIRONMENT, REPO_ROOT

START_TIMEOUT_SECONDS = 60.0
SERVER_MODULE = "tests.faults.server_main"
REAL_SERVE = ("handoff", "serve")
ADMIN_EMAIL = "admin@nordwind.test"
ADMIN_PASSWORD = "admin-passwort-123"
# Every test client comes from 127.0.0.1: per-IP limits would otherwise throttle the simulated crowd.
HIGH_RATE_LIMIT = 100_000


def base_environment(database_url: str, **extra: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "RATE_LIMIT_PER_MINUTE": str(HIGH_RATE_LIMIT), **extra}


@dataclass
class AppProcess:
    log_dir: Path
    environment: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    starts: int = 0
    # The real entry point (`handoff serve`, Rasa engine) or the fake-bot one of tests/faults/server_main.py.
    module_arguments: tuple[str, ...] = (SERVER_MODULE,)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"app-{self.port}.log"

    def start(self) -> float:
        """Starts (again, on the same port) and returns the seconds until /health answered."""
        began = time.monotonic()
        env = {**os.environ, **QUIET_ENVIRONMENT, "HOST": "127.0.0.1", "PORT": str(self.port),
               "LOG_LEVEL": "WARNING", **self.environment}
        if "REDIS_URL" not in self.environment:
            env.pop("REDIS_URL", None)
        self.starts += 1
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", *self.module_arguments], cwd=REPO_ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = began + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - began
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"app did not start in {START_TIMEOUT_SECONDS}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, exactly like an OOM kill or a pulled plug."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
