import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from handoff.store.database import create_engine
from handoff.store.migrate import downgrade_async, upgrade_async
from handoff.store.tables import metadata
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration


def _differences(connection):
    return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)


def _table_names(connection):
    return set(inspect(connection).get_table_names())


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
async def test_migrations_apply_cleanly_match_the_tables_and_reverse(fresh_database_url):
    await upgrade_async(fresh_database_url)
    engine = create_engine(fresh_database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            assert set(metadata.tables) <= await conn.run_sync(_table_names)
        await downgrade_async(fresh_database_url)
        async with engine.connect() as conn:
            assert await conn.run_sync(_table_names) == {"alembic_version"}
        await upgrade_async(fresh_database_url)   # and forward again
        async with engine.connect() as conn:
            assert set(metadata.tables) <= await conn.run_sync(_table_names)
    finally:
        await engine.dispose()
