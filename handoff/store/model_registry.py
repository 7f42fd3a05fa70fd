"""The model registry table: every model the loop produced or served, its status, figures and promotions.

Status: `candidate` (trained, maybe evaluated), `rejected` (worse than live at evaluation; promotable only
with an admin override), `live` (exactly one), `previous` (the one rollback returns to), `retired`.
"""
from __future__ import annotations

import uuid
from typing import Any, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import models

CANDIDATE, REJECTED, LIVE, PREVIOUS, RETIRED = "candidate", "rejected", "live", "previous", "retired"
STATUSES = (CANDIDATE, REJECTED, LIVE, PREVIOUS, RETIRED)


async def insert_model(conn: AsyncConnection, **values: Any) -> str:
    model_id = values.pop("id", None) or str(uuid.uuid4())
    await conn.execute(insert(models).values(id=model_id, **values))
    return model_id


async def get_model(conn: AsyncConnection, model_id: str) -> RowMapping | None:
    return (await conn.execute(select(models).where(models.c.id == model_id))).mappings().first()


async def with_status(conn: AsyncConnection, status: str) -> RowMapping | None:
    """The most recent model with this status (one live, one previous by construction)."""
    newest_first = (models.c.promoted_at.desc().nulls_last(), models.c.created_at.desc())
    result = await conn.execute(select(models).where(models.c.status == status).order_by(*newest_first).limit(1))
    return result.mappings().first()


async def list_models(conn: AsyncConnection, limit: int = 50) -> Sequence[RowMapping]:
    result = await conn.execute(select(models).order_by(models.c.created_at.desc()).limit(limit))
    return result.mappings().all()


async def update_model(conn: AsyncConnection, model_id: str, **values: Any) -> None:
    await conn.execute(update(models).where(models.c.id == model_id).values(**values))


async def change_status(conn: AsyncConnection, old: str, new: str, **values: Any) -> None:
    await conn.execute(update(models).where(models.c.status == old).values(status=new, **values))


def model_to_dict(row: RowMapping) -> dict[str, Any]:
    def moment(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": row["id"], "path": row["path"], "status": row["status"],
        "created_at": moment(row["created_at"]),
        "metrics": row["metrics"], "comparison": row["comparison"], "promoted_by": row["promoted_by"],
        "promoted_at": moment(row["promoted_at"]), "override_by": row["override_by"],
        "override_at": moment(row["override_at"]), "override_reason": row["override_reason"],
        "note": row["note"],
    }
