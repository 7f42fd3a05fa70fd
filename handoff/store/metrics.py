"""What /metrics reads from the database at scrape time: the queue, tickets by status, the e-mail outbox, the
live model. Facts of the shared database, the same from every worker, so they are read, not counted per process.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.reports import aware
from handoff.store.tables import conversations, metadata, models, tickets

QUEUED, LIVE = "queued", "live"
# The e-mail outbox (issue 16): a mail waits while pending (or being sent); sent, failed and undeliverable ones
# are done.
OUTBOX_TABLE = "mail_outbox"
WAITING_MAIL = ("pending", "sending")


@dataclass(frozen=True)
class Snapshot:
    queued: int = 0
    oldest_waiting_since: datetime | None = None
    tickets_by_status: dict[str, int] = field(default_factory=dict)
    outbox_backlog: int | None = None          # None: there is no outbox (e-mail not set up in this schema)
    live_model: tuple[str, str] | None = None  # (id, file name)


def _outbox_table():
    """None in a schema without e-mail; the metric is left out then rather than reported as 0."""
    return metadata.tables.get(OUTBOX_TABLE)


async def snapshot(conn: AsyncConnection) -> Snapshot:
    queue = (await conn.execute(select(func.count(), func.min(conversations.c.waiting_since))
                                .where(conversations.c.status == QUEUED))).one()
    by_status = {status: count for status, count in await conn.execute(
        select(tickets.c.status, func.count()).group_by(tickets.c.status))}
    outbox = _outbox_table()
    backlog = None
    if outbox is not None:
        backlog = (await conn.execute(select(func.count()).select_from(outbox)
                                      .where(outbox.c.status.in_(WAITING_MAIL)))).scalar_one()
    live = (await conn.execute(select(models.c.id, models.c.path).where(models.c.status == LIVE)
                               .order_by(models.c.promoted_at.desc()).limit(1))).first()
    return Snapshot(int(queue[0]), aware(queue[1]), by_status, backlog,
                    (live[0], live[1].rsplit("/", 1)[-1]) if live else None)
