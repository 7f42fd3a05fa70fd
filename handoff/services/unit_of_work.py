"""One use case = one transaction; events collected during it are published only after the commit."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.events import DomainEvent
from handoff.services.context import ServiceContext
from handoff.services.views import MessageView
from handoff.services.publishing import publish_events


@dataclass
class UnitOfWork:
    conn: AsyncConnection
    events: list[DomainEvent] = field(default_factory=list)
    stored: list[MessageView] = field(default_factory=list)   # messages written in this transaction, in order

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)


@asynccontextmanager
async def unit_of_work(ctx: ServiceContext) -> AsyncIterator[UnitOfWork]:
    async with ctx.engine.begin() as conn:
        uow = UnitOfWork(conn)
        yield uow
    # Only reached when the transaction committed; an exception above skips publishing.
    await publish_events(ctx.bus, uow.events)
