"""Queries and commands on agents, sessions, canned replies and settings."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Sequence

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agent_sessions, agents, canned_replies, settings

# Textual RETURNING: SQLAlchemy 1.4's SQLite compiler refuses .returning(), SQLite >= 3.35 supports it.
COUNT_FAILED_LOGIN = text(
    "UPDATE agents SET failed_logins = failed_logins + 1 WHERE id = :id RETURNING failed_logins")


async def insert_agent(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(agents).values(**values))


async def get_agent(conn: AsyncConnection, agent_id: str) -> RowMapping | None:
    return (await conn.execute(select(agents).where(agents.c.id == agent_id))).mappings().first()


async def agent_by_email(conn: AsyncConnection, email: str) -> RowMapping | None:
    return (await conn.execute(select(agents).where(agents.c.email == email))).mappings().first()


async def list_agents(conn: AsyncConnection) -> Sequence[RowMapping]:
    return (await conn.execute(select(agents).order_by(agents.c.display_name))).mappings().all()


async def set_presence_status(conn: AsyncConnection, agent_id: str, status: str) -> bool:
    result = await conn.execute(update(agents).where(agents.c.id == agent_id).values(presence_status=status))
    return result.rowcount == 1


async def presence_status(conn: AsyncConnection, agent_id: str) -> str | None:
    return (await conn.execute(select(agents.c.presence_status).where(agents.c.id == agent_id))).scalar()


async def any_admin(conn: AsyncConnection) -> bool:
    result = await conn.execute(select(agents.c.id).where(agents.c.role == "admin", agents.c.active.is_(True)))
    return result.first() is not None


async def update_agent(conn: AsyncConnection, agent_id: str, **values: Any) -> None:
    await conn.execute(update(agents).where(agents.c.id == agent_id).values(**values))


async def count_failed_login(conn: AsyncConnection, agent_id: str) -> int:
    result = await conn.execute(COUNT_FAILED_LOGIN, {"id": agent_id})
    return int(result.scalar_one())


async def insert_session(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(agent_sessions).values(**values))


async def get_session(conn: AsyncConnection, token_hash: str) -> RowMapping | None:
    result = await conn.execute(select(agent_sessions).where(agent_sessions.c.token_hash == token_hash))
    return result.mappings().first()


async def delete_session(conn: AsyncConnection, token_hash: str) -> None:
    await conn.execute(delete(agent_sessions).where(agent_sessions.c.token_hash == token_hash))


async def delete_sessions_of(conn: AsyncConnection, agent_id: str) -> None:
    await conn.execute(delete(agent_sessions).where(agent_sessions.c.agent_id == agent_id))


async def delete_expired_sessions(conn: AsyncConnection, now: datetime) -> None:
    await conn.execute(delete(agent_sessions).where(agent_sessions.c.expires_at <= now))


async def list_canned(conn: AsyncConnection) -> Sequence[RowMapping]:
    return (await conn.execute(select(canned_replies).order_by(canned_replies.c.shortcut))).mappings().all()


async def get_canned(conn: AsyncConnection, reply_id: str) -> RowMapping | None:
    return (await conn.execute(select(canned_replies).where(canned_replies.c.id == reply_id))).mappings().first()


async def insert_canned(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(canned_replies).values(**values))


async def update_canned(conn: AsyncConnection, reply_id: str, **values: Any) -> None:
    await conn.execute(update(canned_replies).where(canned_replies.c.id == reply_id).values(**values))


async def delete_canned(conn: AsyncConnection, reply_id: str) -> bool:
    return (await conn.execute(delete(canned_replies).where(canned_replies.c.id == reply_id))).rowcount == 1


@lru_cache(maxsize=1)
def _setting_query() -> Any:
    # Read on every handoff (business hours): built once, like the turn's statements in conversations.py.
    return select(settings.c.value).where(settings.c.key == bindparam("key"))


async def get_setting(conn: AsyncConnection, key: str) -> Any | None:
    return (await conn.execute(_setting_query(), {"key": key})).scalar_one_or_none()


async def put_setting(conn: AsyncConnection, key: str, value: Any) -> None:
    changed = await conn.execute(update(settings).where(settings.c.key == key).values(value=value))
    if changed.rowcount == 0:
        await conn.execute(insert(settings).values(key=key, value=value))
