"""The typed `app.ctx` of the Sanic app: shared resources, created when the server starts and closed when it stops."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Coroutine

from sanic.request import Request

from handoff.engine.contract import BotEngine
from handoff.services.context import ServiceContext
from handoff.settings import Settings
from handoff.web.security import MessageLimits

if TYPE_CHECKING:
    from socketio import AsyncServer
    from sqlalchemy.ext.asyncio import AsyncEngine

    from handoff.bus.base import Bus, Presence

logger = logging.getLogger(__name__)

BotEngineFactory = Callable[[Settings], Awaitable[BotEngine]]


class NotStarted(RuntimeError):
    """A resource was used before `before_server_start` created it."""


@dataclass
class AppContext:
    settings: Settings
    bot_engine_factory: BotEngineFactory
    limits: MessageLimits
    db: "AsyncEngine | None" = None
    bus: "Bus | None" = None
    presence: "Presence | None" = None
    bot: BotEngine | None = None
    services: ServiceContext | None = None
    sio: "AsyncServer | None" = None
    trainer: Any = None  # handoff.training.runtime.Trainer, set by the trainer blueprint after start-up
    background: set[asyncio.Task[Any]] = field(default_factory=set)
    jobs: Any = None  # handoff.jobs.Jobs: the background jobs, started after the server starts
    # Open agent sockets per agent on this instance: presence is forgotten when the last one closes.
    agent_sockets: dict[str, int] = field(default_factory=dict)

    def service_context(self) -> ServiceContext:
        if self.services is None:
            raise NotStarted("the app's resources are created in before_server_start")
        return self.services

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Run work after the response was sent, keep a reference (so it is not collected) and log its failure."""
        task = asyncio.get_running_loop().create_task(work, name=name)
        self.background.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def drain(self, timeout: float) -> None:
        """Let background work (bot answers in flight) finish before the resources close."""
        if not self.background:
            return
        _, pending = await asyncio.wait(set(self.background), timeout=timeout)
        for task in pending:
            task.cancel()


def app_context(request: Request) -> AppContext:
    return request.app.ctx


def services(request: Request) -> ServiceContext:
    return app_context(request).service_context()
