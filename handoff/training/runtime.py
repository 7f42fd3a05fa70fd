"""The trainer loop as one object per process: what the web blueprint and the CLI call.

One retrain-and-evaluate cycle at a time runs in the background (`start_cycle`); its status (stage, epoch
progress, candidate, comparison) is readable at any moment without waiting for it.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from handoff.engine.contract import DomainView, capability
from handoff.services.context import ServiceContext
from handoff.services.unit_of_work import reading, transaction
from handoff.store import annotations as annotation_store
from handoff.training import annotate as annotating
from handoff.training import export as exporting
from handoff.store import model_registry as registry
from handoff.training import promotion
from handoff.training.inbox import InboxFilter, annotate_group, review_groups, review_inbox
from handoff.training.project import Project, domain_intents
from handoff.training.retrain import SUCCEEDED, TrainingBusy, TrainingJob, start_training

logger = logging.getLogger(__name__)

IDLE, TRAINING, EVALUATING, DONE, FAILED = "idle", "training", "evaluating", "done", "failed"
# Rasa adds these to every domain; a trainer never labels a customer message with them.
SYSTEM_INTENTS = ("nlu_fallback", "restart", "back", "session_start")


@dataclass
class Cycle:
    stage: str = IDLE
    job: TrainingJob | None = None
    model_id: str | None = None
    comparison: dict[str, Any] | None = None
    error: str | None = None
    evaluation_seconds: float | None = None
    task: asyncio.Task[None] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "training": self.job.to_dict() if self.job else None,
                "model_id": self.model_id, "comparison": self.comparison, "error": self.error,
                "evaluation_seconds": self.evaluation_seconds}


@dataclass
class Trainer:
    ctx: ServiceContext   # the database through handoff/services/unit_of_work.py, like every use case
    project: Project
    loop: promotion.ModelLoop
    bot: Any = None       # the live bot whose model a promotion swaps
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    cycle: Cycle = field(default_factory=Cycle)

    @classmethod
    def create(cls, ctx: ServiceContext, project: Project, bot: Any = None, install_path: Path | None = None,
               **loop_options: Any) -> "Trainer":
        return cls(ctx, project, promotion.ModelLoop(ctx, project, install_path, **loop_options), bot)

    def known_intents(self) -> list[str]:
        """The live model's intents when one is loaded (what it can predict), else domain.yml's."""
        view = capability(self.bot, DomainView)
        names = list(view.domain().intents if view is not None else ()) or domain_intents(self.project.domain)
        return sorted(n for n in names if n not in SYSTEM_INTENTS)

    async def inbox(self, filters: InboxFilter = InboxFilter()) -> list[dict[str, Any]]:
        async with reading(self.ctx) as conn:
            return [item.to_dict() for item in await review_inbox(conn, filters)]

    async def annotate(self, message_id: str, action: str, annotator: annotating.Annotator,
                       intent: str | None = None, tone_label: str | None = None) -> dict[str, Any]:
        async with transaction(self.ctx) as conn:
            return await annotating.annotate(conn, message_id, action, annotator, self.clock(),
                                             self.known_intents(), intent=intent, tone_label=tone_label)

    async def inbox_groups(self, filters: InboxFilter = InboxFilter()) -> list[dict[str, Any]]:
        async with reading(self.ctx) as conn:
            return [group.to_dict() for group in await review_groups(conn, filters)]

    async def annotate_group(self, message_ids: list[str], action: str, annotator: annotating.Annotator,
                             intent: str | None = None, tone_label: str | None = None) -> dict[str, Any]:
        async with transaction(self.ctx) as conn:
            annotated = await annotate_group(conn, message_ids, action, annotator, self.clock(),
                                             self.known_intents(), intent=intent, tone_label=tone_label)
        return annotated.to_dict()

    async def export(self, write: bool = True) -> dict[str, Any]:
        """Pending annotations into data/ (write) or only as a patch; both return the patch."""
        async with transaction(self.ctx) as conn:
            pending = await annotating.pending_exports(conn)
            # Reads every YAML file under data/: off the event loop, like the writing below.
            plan = await asyncio.to_thread(exporting.plan_export, self.project, pending)
            patch = exporting.unified_patch(self.project, plan)
            if write:
                await asyncio.to_thread(exporting.write_export, plan)
                if plan.exported_ids:
                    await annotation_store.mark_exported(conn, plan.exported_ids, self.clock())
        return {**plan.to_dict(self.project), "patch": patch, "written": write}

    def start_cycle(self, evaluate: bool = True) -> Cycle:
        """Retrain, register the candidate and evaluate it against live, in the background."""
        if self.cycle.stage in (TRAINING, EVALUATING):
            raise TrainingBusy("a training is already running")
        self.cycle = Cycle(stage=TRAINING)
        self.cycle.task = asyncio.get_running_loop().create_task(self._run_cycle(self.cycle, evaluate),
                                                                 name="trainer cycle")
        return self.cycle

    async def _run_cycle(self, cycle: Cycle, evaluate: bool) -> None:
        try:
            cycle.job = await start_training(self.project)
            await cycle.job.wait()
            if cycle.job.state != SUCCEEDED:
                raise RuntimeError(f"training {cycle.job.state} (exit {cycle.job.returncode}): "
                                   + " | ".join(list(cycle.job.progress.log_tail)[-5:]))
            cycle.model_id = await promotion.register_candidate(self.loop, cycle.job.model_path,
                                                                note=f"trained in {cycle.job.seconds:.0f}s")
            if evaluate:
                cycle.stage = EVALUATING
                started = asyncio.get_running_loop().time()
                cycle.comparison = await promotion.evaluate_candidate(self.loop, cycle.model_id)
                cycle.evaluation_seconds = round(asyncio.get_running_loop().time() - started, 1)
            cycle.stage = DONE
        except Exception as error:  # the status is how a trainer learns about it
            logger.exception("trainer cycle failed")
            cycle.stage, cycle.error = FAILED, str(error)

    async def wait_cycle(self) -> Cycle:
        if self.cycle.task is not None:
            await asyncio.shield(self.cycle.task)
        return self.cycle

    async def models(self) -> list[dict[str, Any]]:
        async with reading(self.ctx) as conn:
            return [registry.model_to_dict(row) for row in await registry.list_models(conn)]

    async def evaluate(self, model_id: str) -> dict[str, Any]:
        return await promotion.evaluate_candidate(self.loop, model_id)

    async def promote(self, model_id: str, actor: promotion.Actor,
                      override_reason: str | None = None) -> dict[str, Any]:
        return await promotion.promote(self.loop, self.bot, model_id, actor, override_reason)

    async def rollback(self, actor: promotion.Actor) -> dict[str, Any]:
        return await promotion.rollback(self.loop, self.bot, actor)

    async def close(self) -> None:
        if self.cycle.job is not None and self.cycle.stage == TRAINING:
            await self.cycle.job.cancel()
