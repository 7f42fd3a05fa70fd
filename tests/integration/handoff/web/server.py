"""Starting real servers on free loopback ports for the tests, and small HTTP helpers around aiohttp."""
from __future__ import annotations

import json as jsonlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[4]
START_TIMEOUT_SECONDS = 60.0
QUIET_ENVIRONMENT = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
                     "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# The app with the in-memory FakeBotEngine; ("-m", "handoff", "serve") runs the product itself (the real bot).
FAKE_BOT_APP = ("-m", "tests.integration.handoff.web.server_main")


def start_server(tmp_path: Path, environment: dict[str, str],
                 command: tuple[str, ...] = FAKE_BOT_APP) -> RunningServer:
    port = free_port()
    log_path = tmp_path / f"server-{port}.log"
    env = {**os.environ, **QUIET_ENVIRONMENT, "HOST": "127.0.0.1", "PORT": str(port),
           "LOG_LEVEL": "WARNING", **environment}
    if "REDIS_URL" not in environment:
        env.pop("REDIS_URL", None)  # the in-process bus unless a test asks for Redis
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, *command],
                                   cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = RunningServer(process, port, log_path)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.base}/health", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start in {START_TIMEOUT_SECONDS}s:\n{server.log()}")


class Api:
    """A tiny JSON client for one server; keeps cookies per instance like a browser tab would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.headers: dict[str, str] = {}

    async def request(self, method: str, path: str, json: Any = None, data: Any = None,
                      headers: dict[str, str] | None = None) -> tuple[int, Any, Any]:
        async with self.session.request(method, self.base + path, json=json, data=data,
                                        headers={**self.headers, **(headers or {})}) as response:
            text = await response.text()
            try:
                body = jsonlib.loads(text) if text else None
            except ValueError:
                body = text
            return response.status, body, response.headers

    async def close(self) -> None:
        await self.session.close()
