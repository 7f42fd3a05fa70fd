"""Real databases for the handoff core: a temporary SQLite file and a fresh PostgreSQL database per session.

PostgreSQL gets its own database (created from TEST_DATABASE_URL's server, dropped at the end), so parallel
test sessions and other suites using `test` never see each other's tables.
"""
from __future__ import annotations

import asyncio
import os
import uuid
from datetime import datetime, timezone

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.services.context import ServiceContext
from handoff.store import accounts
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade
from tests.fakes import FakeBotEngine
from tests.unit.handoff.conftest import OPEN_TIME, FakeClock

DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


def _server_dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(url: str, statement: str) -> None:
    admin_db = make_url(url).database or "postgres"
    connection = await asyncpg.connect(_server_dsn(url, admin_db))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


class PostgresDatabases:
    """Creates throwaway databases on the test server and drops them all at the end."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.created: list[str] = []

    def create(self) -> str:
        name = f"handoff_core_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin(self.base_url, f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self.created:
            asyncio.run(_admin(self.base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases(os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL))
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_databases) -> str:
    url = postgres_databases.create()
    upgrade(url)
    return url


@pytest.fixture
def fresh_database_url(request, tmp_path, postgres_databases):
    """An empty database of the parametrised backend (no migrations applied)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    return postgres_databases.create()


@pytest.fixture
def database_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
        upgrade(url)
        return url
    return request.getfixturevalue("migrated_postgres_url")


@pytest.fixture
async def engine(database_url):
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def ctx(engine) -> ServiceContext:
    bus = InProcessBus()
    # Inside the seeded business hours, whenever the suite runs: a handoff at night would become a ticket.
    context = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(), bot=FakeBotEngine(),
                             clock=FakeClock(OPEN_TIME))
    yield context
    await bus.close()


async def insert_agents(ctx: ServiceContext, count: int) -> list[str]:
    """Agents without argon2 hashing (they never log in here); hashing 50 passwords would only burn CPU."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    async with ctx.db.begin() as conn:
        for agent_id in ids:
            await accounts.insert_agent(conn, {
                "id": agent_id, "email": f"{agent_id}@nordwind.example", "display_name": "Agent",
                "password_hash": "unused", "role": "agent", "active": True, "capacity": 3, "failed_logins": 0,
                "created_at": datetime.now(timezone.utc)})
    return ids


@pytest.fixture
def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
