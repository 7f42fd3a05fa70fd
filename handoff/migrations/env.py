"""Alembic environment, async-aware: migrations run through the same async engine factory as the service."""
from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from handoff.store.database import DEFAULT_DATABASE_URL, create_engine
from handoff.store.tables import metadata

URL_ENV = "DATABASE_URL"


def _database_url() -> str:
    return (context.get_x_argument(as_dictionary=True).get("url")
            or context.config.attributes.get("url")
            or os.environ.get(URL_ENV)
            or DEFAULT_DATABASE_URL)


def _configure(connection: Connection) -> None:
    # Batch mode lets later migrations ALTER tables on SQLite, which cannot alter most things in place.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline(_database_url())
else:
    asyncio.run(_run_online(_database_url()))
