"""The background jobs of one app instance, started together after the server starts and stopped together before
it stops, all built from Settings (docs/architecture.md, "Background jobs").

- routing sweep: answers customer messages a dead process left unanswered (docs/reliability.md, finding 1);
- retention: deletes conversations past RETENTION_DAYS, hourly;
- tickets: pending reminders and closing solved tickets after their days (docs/tickets.md);
- report facts: brought up to date every minute, so the refresh before a report has little left (docs/reports.md);
- e-mail: the outbox sender, the SMTP receiver and IMAP polling, each when configured (docs/email.md);
- trainer: the trainer loop (retraining on request), sharing the database and the live bot (docs/training.md).

Several instances may run the same jobs at once: each job is safe to run concurrently (claims and conditional
updates in the database), so no leader election is needed.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.engine.contract import ModelSwap, capability
from handoff.mail.runtime import MailRuntime
from handoff.services.report_facts import run_report_refresh
from handoff.services.retention import run_retention_schedule
from handoff.services.routing_sweep import run_routing_sweeps
from handoff.services.ticket_jobs import run_ticket_jobs
from handoff.training.project import Project
from handoff.training.promotion import ensure_live_registered
from handoff.training.runtime import Trainer

if TYPE_CHECKING:
    from handoff.web.context import AppContext

logger = logging.getLogger(__name__)


@dataclass
class Jobs:
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    mail: MailRuntime | None = None

    @classmethod
    async def start(cls, context: "AppContext") -> "Jobs":
        settings = context.settings
        ctx = context.service_context()
        jobs = cls()
        loop = asyncio.get_running_loop()
        for name, work in (("routing-sweeps", run_routing_sweeps(ctx)),
                           ("retention", run_retention_schedule(ctx, settings.retention_days)),
                           ("ticket-jobs", run_ticket_jobs(ctx)),
                           ("report-facts", run_report_refresh(ctx))):
            jobs.tasks.append(loop.create_task(work, name=name))
        jobs.mail = await MailRuntime.start(ctx, settings.mail)
        await start_trainer(context)
        return jobs

    async def stop(self, context: "AppContext") -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
        if self.mail is not None:
            await self.mail.stop()
        if context.trainer is not None:
            await context.trainer.close()


async def start_trainer(context: "AppContext") -> None:
    """The trainer shares the app's database and its live bot."""
    live_path = Path(context.settings.model_path)
    project = Project.from_settings(context.settings, live_path.resolve().parent)
    context.trainer = Trainer.create(context.service_context(), project, bot=context.bot,
                                     install_path=live_path)
    if live_path.exists() and capability(context.bot, ModelSwap) is not None:
        try:
            await ensure_live_registered(context.trainer.loop, live_path)
        except Exception:  # the chat must start even if the registry cannot be written now
            logger.exception("could not register the live model")
