"""Fixtures: real servers (SQLite, or PostgreSQL + Redis), an admin and agents, customer and agent clients."""
from __future__ import annotations

import os
import uuid
from typing import AsyncIterator, Iterator

import pytest

from tests.integration.handoff.web.server import Api, RunningServer, start_server

ADMIN_EMAIL = "admin@nordwind.test"
ADMIN_PASSWORD = "admin-passwort-123"
TEST_RATE_LIMIT = 1000
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def sqlite_environment(tmp_path) -> dict[str, str]:
    # Every test client comes from 127.0.0.1: the per-IP limits are raised here and tested on their own server.
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/handoff.db", "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD, "RATE_LIMIT_PER_MINUTE": str(TEST_RATE_LIMIT)}


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory) -> Iterator:
    yield tmp_path_factory.mktemp("web")


@pytest.fixture(scope="module")
def sqlite_server(module_tmp) -> Iterator[RunningServer]:
    server = start_server(module_tmp, sqlite_environment(module_tmp))
    yield server
    server.stop()


async def make_admin_api(server: RunningServer) -> Api:
    """Logs in the admin, creating it on first use through the same use case `python -m handoff serve` runs."""
    api = Api(server.base)
    status, body, _ = await api.request("POST", "/api/agent/login",
                                        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "bearer": True})
    assert status == 200, body
    api.headers["Authorization"] = f"Bearer {body['session_token']}"
    return api


async def create_agent(admin: Api, role: str = "agent") -> tuple[str, str]:
    email = f"{role}-{uuid.uuid4().hex[:8]}@nordwind.test"
    password = "agenten-passwort-1"
    status, body, _ = await admin.request("POST", "/api/admin/agents", json={
        "email": email, "display_name": f"Test {role.title()}", "password": password, "role": role})
    assert status == 201, body
    return email, password


async def login_cookie(server_base: str, email: str, password: str) -> tuple[Api, str]:
    """A browser-like agent client: cookie session plus the CSRF header on every request."""
    api = Api(server_base)
    status, body, _ = await api.request("POST", "/api/agent/login", json={"email": email, "password": password})
    assert status == 200, body
    api.headers["X-CSRF-Token"] = body["csrf_token"]
    return api, body["agent"]["id"]


@pytest.fixture
async def admin_api(sqlite_server) -> AsyncIterator[Api]:
    api = await make_admin_api(sqlite_server)
    yield api
    await api.close()
