"""One app (fake bot, SQLite) per module, an admin bearer client, and agents of every role."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest

from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess, base_environment
from tests.integration.handoff.web.server import Api

AGENT_PASSWORD = "agenten-passwort-1"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[AppProcess]:
    directory: Path = tmp_path_factory.mktemp("security")
    process = AppProcess(directory, base_environment(f"sqlite+aiosqlite:///{directory}/handoff.db",
                                                     LOG_LEVEL="INFO"))
    process.start()
    yield process
    process.stop()


async def bearer_login(base: str, email: str, password: str) -> Api:
    api = Api(base)
    status, body, _ = await api.request("POST", "/api/agent/login",
                                        json={"email": email, "password": password, "bearer": True})
    assert status == 200, body
    api.headers["Authorization"] = f"Bearer {body['session_token']}"
    return api


async def admin_client(base: str) -> Api:
    return await bearer_login(base, ADMIN_EMAIL, ADMIN_PASSWORD)


async def new_agent(admin: Api, role: str, password: str = AGENT_PASSWORD) -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@nordwind.test"
    status, body, _ = await admin.request("POST", "/api/admin/agents", json={
        "email": email, "display_name": f"Test {role}", "password": password, "role": role})
    assert status == 201, body
    return email
