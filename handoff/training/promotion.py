"""Registering, evaluating, promoting and rolling back models: registry rows and the live bot change together.

The bot is switched first (`swap_model` loads off the event loop and switches in one assignment, so messages
in flight finish on the old model and trackers stay in the store); the registry is updated after the swap
succeeded, so it never names a live model that is not serving.
"""
from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from handoff.domain.vocabulary import ROLE_ADMIN
from handoff.engine.contract import ModelSwap, capability
from handoff.services.context import ServiceContext
from handoff.services.unit_of_work import reading, transaction
from handoff.store import model_registry as registry
from handoff.training.evaluation import evaluate_model
from handoff.training.gate import GateRules, compare
from handoff.training.project import Project

logger = logging.getLogger(__name__)


class PromotionRefused(Exception):
    """The gate says no (or the model cannot be promoted); `reasons` says why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class UnknownModel(LookupError):
    pass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str


@dataclass
class ModelLoop:
    ctx: ServiceContext   # the database through handoff/services/unit_of_work.py
    project: Project
    # Where the service loads its model at start-up; the live model is installed there so restarts keep it.
    install_path: Path | None = None
    rules: GateRules = field(default_factory=GateRules)
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


async def ensure_live_registered(loop: ModelLoop, live_path: Path) -> str:
    """The model the service started with becomes the registry's first live model."""
    async with transaction(loop.ctx) as conn:
        live = await registry.with_status(conn, registry.LIVE)
        if live is not None:
            return live["id"]
        return await registry.insert_model(conn, path=str(live_path), created_at=loop.clock(),
                                           status=registry.LIVE, promoted_at=loop.clock(),
                                           note="the model the service started with")


async def register_candidate(loop: ModelLoop, path: Path, note: str | None = None) -> str:
    async with transaction(loop.ctx) as conn:
        return await registry.insert_model(conn, path=str(path), created_at=loop.clock(),
                                           status=registry.CANDIDATE, note=note)


async def _row(loop: ModelLoop, model_id: str) -> Any:
    async with reading(loop.ctx) as conn:
        row = await registry.get_model(conn, model_id)
    if row is None:
        raise UnknownModel(model_id)
    return row


async def live_metrics(loop: ModelLoop) -> dict[str, Any]:
    """Held-out figures of the live model, measured once and kept in the registry."""
    async with reading(loop.ctx) as conn:
        live = await registry.with_status(conn, registry.LIVE)
    if live is None:
        raise PromotionRefused(["no live model registered"])
    if live["metrics"]:
        return live["metrics"]
    metrics = await evaluate_model(loop.project, Path(live["path"]))
    async with transaction(loop.ctx) as conn:
        await registry.update_model(conn, live["id"], metrics=metrics)
    return metrics


async def evaluate_candidate(loop: ModelLoop, model_id: str) -> dict[str, Any]:
    """Measure the candidate, compare with live, store both; one worse than live becomes `rejected`."""
    row = await _row(loop, model_id)
    baseline = await live_metrics(loop)
    metrics = await evaluate_model(loop.project, Path(row["path"]))
    comparison = compare(baseline, metrics, loop.rules)
    status = row["status"]
    if status in (registry.CANDIDATE, registry.REJECTED):
        status = registry.CANDIDATE if comparison["passed"] else registry.REJECTED
    async with transaction(loop.ctx) as conn:
        await registry.update_model(conn, model_id, metrics=metrics, comparison=comparison, status=status)
    return comparison


def _gate_reasons(row: Any, actor: Actor, override_reason: str | None) -> list[str]:
    if row["status"] not in (registry.CANDIDATE, registry.REJECTED, registry.PREVIOUS, registry.RETIRED):
        return [f"model is {row['status']}"]
    comparison = row["comparison"]
    if not comparison:
        return ["model was not evaluated against the live model"]
    if comparison.get("passed"):
        return []
    if actor.role == ROLE_ADMIN and override_reason:
        return []
    reasons = list(comparison.get("violations") or ["gate failed"])
    admin = actor.role == ROLE_ADMIN
    reasons.append("override needs a reason" if admin else "an admin may override with a reason")
    return reasons


async def _install(loop: ModelLoop, live: Any, new_path: Path) -> str | None:
    """Copy the new live model to the start-up path; keep the old start-up file under previous/ first."""
    if loop.install_path is None:
        return None
    kept = None
    target = loop.install_path.resolve()
    if live is not None and Path(live["path"]).resolve() == target and target.exists():
        loop.project.previous_dir.mkdir(parents=True, exist_ok=True)
        kept = str(loop.project.previous_dir / f"{live['id']}.tar.gz")
        await asyncio.to_thread(shutil.copy2, target, kept)
    if new_path.resolve() != target:
        staging = target.with_suffix(".installing")
        await asyncio.to_thread(shutil.copy2, new_path, staging)
        staging.replace(target)  # atomic: a restart reads either the old or the new file
    return kept


async def _switch(loop: ModelLoop, bot: Any, row: Any, actor: Actor, **values: Any) -> dict[str, Any]:
    swapping = capability(bot, ModelSwap)
    if swapping is None:
        raise PromotionRefused(["the running bot cannot swap models (no model loaded at start-up?)"])
    started = time.monotonic()
    await swapping.swap_model(Path(row["path"]))
    swap_seconds = time.monotonic() - started
    async with reading(loop.ctx) as conn:
        live = await registry.with_status(conn, registry.LIVE)
    kept = await _install(loop, live, Path(row["path"]))
    now = loop.clock()
    async with transaction(loop.ctx) as conn:
        if live is not None and kept is not None:
            await registry.update_model(conn, live["id"], path=kept)
        await registry.change_status(conn, registry.PREVIOUS, registry.RETIRED)
        if live is not None:
            old_status = values.pop("old_live_status", registry.PREVIOUS)
            await registry.update_model(conn, live["id"], status=old_status)
        values.pop("old_live_status", None)
        await registry.update_model(conn, row["id"], status=registry.LIVE, promoted_by=actor.name,
                                    promoted_at=now, **values)
        current = await registry.get_model(conn, row["id"])
    logger.info("model %s is live (by %s, swap %.2fs)", row["id"], actor.name, swap_seconds)
    return {"model": registry.model_to_dict(current), "swap_seconds": round(swap_seconds, 3)}


async def promote(loop: ModelLoop, bot: Any, model_id: str, actor: Actor,
                  override_reason: str | None = None) -> dict[str, Any]:
    async with loop.lock:
        row = await _row(loop, model_id)
        reasons = _gate_reasons(row, actor, override_reason)
        if reasons:
            raise PromotionRefused(reasons)
        overridden = not row["comparison"].get("passed")
        extra = ({"override_by": actor.name, "override_at": loop.clock(), "override_reason": override_reason}
                 if overridden else {})
        return await _switch(loop, bot, row, actor, **extra)


async def rollback(loop: ModelLoop, bot: Any, actor: Actor) -> dict[str, Any]:
    """Back to the previous live model; the one rolled back from is marked rejected."""
    async with loop.lock:
        async with reading(loop.ctx) as conn:
            previous = await registry.with_status(conn, registry.PREVIOUS)
        if previous is None:
            raise PromotionRefused(["there is no previous model to roll back to"])
        return await _switch(loop, bot, previous, actor, old_live_status=registry.REJECTED,
                             note=f"rollback by {actor.name}")
