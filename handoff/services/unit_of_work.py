"""One use case = one transaction; events collected during it are published only after the commit."""
from __future__ import annotations

from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.events import DomainEvent
from handoff.metrics import record as metrics
from handoff.services.context import ServiceContext
from handoff.services.views import MessageView
from handoff.services.publishing import publish_events


@dataclass
class UnitOfWork:
    conn: AsyncConnection
    events: list[DomainEvent] = field(default_factory=list)
    stored: list[MessageView] = field(default_factory=list)   # messages written in this transaction, in order
    channels: dict[str, str] = field(default_factory=dict)      # conversation id -> channel, for the metrics

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def savepoint(self) -> Any:
        """Around a statement that may lose a race on a unique key, so the transaction survives its failure.

        PostgreSQL needs one: a failed statement aborts the whole transaction. SQLite does not: it undoes just
        the failed statement, and every transaction here holds the write lock from BEGIN (IMMEDIATE), so the
        race cannot even happen there; skipping SAVEPOINT and RELEASE saves two statements per message.
        """
        if self.conn.dialect.name == "sqlite":
            return nullcontext()
        return self.conn.begin_nested()


@asynccontextmanager
async def unit_of_work(ctx: ServiceContext) -> AsyncIterator[UnitOfWork]:
    async with ctx.db.begin() as conn:
        uow = UnitOfWork(conn)
        yield uow
    # Only reached when the transaction committed; an exception above skips publishing.
    await publish_events(ctx.bus, uow.events)
    metrics.committed(uow.events, uow.stored, uow.channels)


@asynccontextmanager
async def reading(ctx: ServiceContext) -> AsyncIterator[AsyncConnection]:
    """A use case that only reads: one connection, nothing to publish. The only other door to the database."""
    async with ctx.db.connect() as conn:
        yield conn


@asynccontextmanager
async def transaction(ctx: ServiceContext) -> AsyncIterator[AsyncConnection]:
    """A use case that writes and has no domain event to tell (a login, a setting): one transaction."""
    async with unit_of_work(ctx) as uow:
        yield uow.conn
