"""The servers under test, each started by the harness as its own process on a free loopback port.

(a)/(b) the product (`python -m handoff serve`: widget WebSocket and REST channel, every message persisted),
(c) plain `rasa run --enable-api` with the `rasa init` default project, (d) plain `rasa run` with the product's
model and `rasa run actions` as its action server.
"""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from bench.paths import PRODUCT_MODEL, PYTHON_BIN, RASA_BIN, REPO_ROOT
from bench.processes import ServerProcess, free_port, http_status

LOOPBACK = "127.0.0.1"
BENCH_ADMIN_EMAIL = "admin@nordwind.local"
# Only for the throwaway databases the harness creates and deletes again.
BENCH_ADMIN_PASSWORD = "bench-admin-password-1"
# The product's per-conversation and per-address limits protect a public site; a load generator on one address
# is not abuse, so they are lifted for the benchmark (documented in docs/performance.md).
UNLIMITED_RATE = "10000000"
READY_TIMEOUT_SECONDS = 300.0
WEBHOOK = "/webhooks/rest/webhook"
NO_ENDPOINTS = "# bench: in-memory tracker and lock store, custom actions in-process\n{}\n"


@dataclass
class Target:
    """A started server (and its helpers) with the URL the load generator talks to."""
    name: str
    base_url: str
    server: ServerProcess
    helpers: list[ServerProcess] = field(default_factory=list)
    startup_seconds: float | None = None
    # The shared stores of the production topology, for counting their work per message (bench/server_counters.py).
    database_url: str | None = None
    redis_url: str | None = None

    def stop(self) -> None:
        self.server.stop()
        for helper in self.helpers:
            helper.stop()


def first_answer(base_url: str, text: str = "Hallo", timeout: float = 5.0) -> bool:
    """True once the REST channel answers with at least one bot message (model loaded, actions reachable)."""
    request = urllib.request.Request(base_url + WEBHOOK, method="POST",
                                     data=json.dumps({"sender": "bench-readiness", "message": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status == 200 and bool(json.loads(response.read()))
    except OSError:
        return False


def shared_rasa_stores(redis_url: str) -> str:
    """endpoints.yml sharing Rasa's trackers and locks between worker processes through Redis."""
    parts = urlsplit(redis_url)
    database = parts.path.lstrip("/") or "0"
    store = f"  url: {parts.hostname}\n  port: {parts.port or 6379}\n  db: {database}\n"
    return f"tracker_store:\n  type: redis\n{store}lock_store:\n  type: redis\n{store}"


def product_environment(workdir: Path, port: int, database_url: str | None = None,
                        redis_url: str | None = None, endpoints_text: str = NO_ENDPOINTS) -> dict[str, str]:
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(endpoints_text)
    environment = {
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
        "MODEL_PATH": str(PRODUCT_MODEL), "ENDPOINTS": str(endpoints), "HOST": LOOPBACK, "PORT": str(port),
        "ADMIN_EMAIL": BENCH_ADMIN_EMAIL, "ADMIN_PASSWORD": BENCH_ADMIN_PASSWORD,
        "RATE_LIMIT_PER_MINUTE": UNLIMITED_RATE, "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


def start_product(workdir: Path, name: str = "product", database_url: str | None = None,
                  redis_url: str | None = None, extra_environment: Mapping[str, str] | None = None,
                  wait: bool = True, workers: int = 1) -> Target:
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints_text = shared_rasa_stores(redis_url) if redis_url and workers > 1 else NO_ENDPOINTS
    environment = (product_environment(workdir, port, database_url, redis_url, endpoints_text)
                   | dict(extra_environment or {}))
    server = ServerProcess(name, [str(PYTHON_BIN), "-m", "handoff", "serve", "--host", LOOPBACK, "--port", str(port),
                                  "--workers", str(workers)],
                           REPO_ROOT, workdir / f"{name}.log", environment).start()
    target = Target(name, f"http://{LOOPBACK}:{port}", server, database_url=database_url, redis_url=redis_url)
    if wait:
        target.startup_seconds = server.wait_until(lambda: first_answer(target.base_url), READY_TIMEOUT_SECONDS)
    return target


def start_plain_rasa(workdir: Path, name: str, project: Path, model: Path, action_server: bool) -> Target:
    """`rasa run --enable-api` with `project`'s credentials; with an action server when `action_server`."""
    workdir.mkdir(parents=True, exist_ok=True)
    helpers = []
    endpoints = workdir / f"{name}-endpoints.yml"
    endpoints.write_text(NO_ENDPOINTS)
    if action_server:
        action_port = free_port()
        actions = ServerProcess(f"{name}-actions", [str(RASA_BIN), "run", "actions", "--actions", "actions",
                                                    "--port", str(action_port)],
                                project, workdir / f"{name}-actions.log").start()
        helpers.append(actions)
        endpoints.write_text(f'action_endpoint:\n  url: "http://{LOOPBACK}:{action_port}/webhook"\n')
    port = free_port()
    server = ServerProcess(name, [str(RASA_BIN), "run", "--enable-api", "-m", str(model), "-i", LOOPBACK,
                                  "-p", str(port), "--credentials", str(project / "credentials.yml"),
                                  "--endpoints", str(endpoints)],
                           project, workdir / f"{name}.log").start()
    target = Target(name, f"http://{LOOPBACK}:{port}", server, helpers)
    try:
        for helper in helpers:
            helper.wait_until(lambda: http_status(
                f"http://{LOOPBACK}:{action_port}/health") == 200, READY_TIMEOUT_SECONDS)
        target.startup_seconds = server.wait_until(lambda: first_answer(target.base_url), READY_TIMEOUT_SECONDS)
    except Exception:
        target.stop()
        raise
    return target


def start_rasa_product_model(workdir: Path) -> Target:
    return start_plain_rasa(workdir, "rasa-product", REPO_ROOT, PRODUCT_MODEL, action_server=True)


def start_rasa_init(workdir: Path, project: Path, model: Path) -> Target:
    return start_plain_rasa(workdir, "rasa-init", project, model, action_server=False)
