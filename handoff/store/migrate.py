"""Run the Alembic migrations from code (`python -m handoff migrate`, tests)."""
from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from handoff.store.database import DEFAULT_DATABASE_URL

REPO_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini")) if (REPO_ROOT / "alembic.ini").exists() else Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def upgrade(url: str = DEFAULT_DATABASE_URL, revision: str = "head") -> None:
    """Blocking; env.py runs its own event loop, so call it outside one (or use `upgrade_async`)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str = DEFAULT_DATABASE_URL, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


async def upgrade_async(url: str = DEFAULT_DATABASE_URL, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


async def downgrade_async(url: str = DEFAULT_DATABASE_URL, revision: str = "base") -> None:
    await asyncio.to_thread(downgrade, url, revision)
