"""Two app instances sharing PostgreSQL and Redis: a customer on A and an agent on B, as in production."""
from __future__ import annotations

import asyncio
import uuid
from typing import Iterator

import pytest
from sqlalchemy.engine import make_url

from tests.integration.handoff.web.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_DATABASE_URL, \
    TEST_RATE_LIMIT, TEST_REDIS_URL, make_admin_api
from tests.integration.handoff.web.lifecycle import run_lifecycle
from tests.integration.handoff.web.server import RunningServer, start_server

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


async def _administer(statement: str) -> None:
    import asyncpg

    url = make_url(TEST_DATABASE_URL)
    connection = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                       password=url.password, database=url.database)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="module")
def private_database() -> Iterator[str]:
    """A database of its own: other suites migrate and clean the shared `test` database concurrently."""
    name = f"handoff_web_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_administer(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        pytest.skip(f"PostgreSQL not reachable at {TEST_DATABASE_URL}: {error}")
    yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def two_instances(module_tmp, private_database) -> Iterator[tuple[RunningServer, RunningServer]]:
    environment = {"DATABASE_URL": private_database, "REDIS_URL": TEST_REDIS_URL,
                   "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                   "RATE_LIMIT_PER_MINUTE": str(TEST_RATE_LIMIT)}
    first = start_server(module_tmp, environment)
    second = start_server(module_tmp, environment)
    yield first, second
    first.stop()
    second.stop()


async def test_customer_on_one_instance_chats_live_with_agent_on_the_other(two_instances):
    customer_instance, agent_instance = two_instances
    admin = await make_admin_api(agent_instance)
    try:
        await run_lifecycle(customer_instance, agent_instance, admin)
    finally:
        await admin.close()
