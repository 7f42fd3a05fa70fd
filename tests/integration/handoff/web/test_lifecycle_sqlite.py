import pytest

from tests.integration.handoff.web.lifecycle import run_lifecycle

pytestmark = pytest.mark.integration


async def test_full_lifecycle_on_sqlite(sqlite_server, admin_api):
    await run_lifecycle(sqlite_server, sqlite_server, admin_api)
