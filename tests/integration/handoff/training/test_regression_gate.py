"""A deliberately broken candidate (trained on shuffled intent labels) is refused; only an admin with a reason
can override, and the override is recorded."""
from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
import yaml

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async
from handoff.store import model_registry as registry
from handoff.training.project import Project, copy_project
from handoff.training.promotion import Actor, PromotionRefused, register_candidate
from handoff.training.runtime import Trainer
from tests.integration.handoff.training.conftest import (
    MODEL_TEST_TIMEOUT_SECONDS, cached_model, fast_config, train,
)

pytestmark = [pytest.mark.integration, pytest.mark.model, pytest.mark.timeout(MODEL_TEST_TIMEOUT_SECONDS)]

SHUFFLE_SEED = 3


class SwapRecorder:
    """Stands in for the chat service's bot here: the swap itself is exercised by test_trainer_loop."""

    def __init__(self) -> None:
        self.swapped_to: list[Path] = []

    async def swap_model(self, path: Path) -> None:
        assert path.exists()
        self.swapped_to.append(path)


def shuffle_intent_labels(project: Project) -> None:
    """Same texts, wrong labels: every intent block of data/nlu gets another block's intent name."""
    rng = random.Random(SHUFFLE_SEED)
    for path in sorted(project.nlu_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        blocks = [b for b in document.get("nlu") or [] if "intent" in b]
        names = [b["intent"] for b in blocks]
        shuffled = names[:]
        while len(names) > 1 and any(a == b for a, b in zip(names, shuffled)):
            rng.shuffle(shuffled)
        for block, name in zip(blocks, shuffled):
            block["intent"] = name
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def broken_model(project: Project, tmp_path_factory) -> Path:
    def build() -> Path:
        broken = copy_project(project.root, tmp_path_factory.mktemp("broken"))
        fast_config(broken)
        shuffle_intent_labels(broken)
        return train(broken, "shuffled")

    return cached_model(project, "shuffled", build, f"shuffle-seed-{SHUFFLE_SEED}")


async def test_a_worse_candidate_is_refused_and_only_an_admin_override_with_reason_promotes_it(
        project, live_model, broken_model, live_metrics, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bot = SwapRecorder()
    ctx = ServiceContext(db=engine, bus=InProcessBus(), presence=InProcessPresence(), bot=bot)
    trainer = Trainer.create(ctx, project, bot=bot)
    try:
        async with engine.begin() as conn:
            live_id = await registry.insert_model(conn, path=str(live_model), created_at=trainer.clock(),
                                                  status=registry.LIVE, metrics=live_metrics)
        candidate_id = await register_candidate(trainer.loop, broken_model)
        comparison = await trainer.evaluate(candidate_id)
        assert not comparison["passed"]
        assert any(v.startswith("intent macro-F1") for v in comparison["violations"])
        regressions = [c for c in comparison["intents"] if c["kind"] == "regression"]
        assert regressions and all(c["candidate"] < c["live"] for c in regressions)
        models = {m["id"]: m for m in await trainer.models()}
        assert models[candidate_id]["status"] == registry.REJECTED

        with pytest.raises(PromotionRefused) as refused:
            await trainer.promote(candidate_id, Actor("Tina Trainer", "trainer"), "ich bin sicher")
        assert any("macro-F1" in reason for reason in refused.value.reasons)
        with pytest.raises(PromotionRefused):
            await trainer.promote(candidate_id, Actor("Ada Admin", "admin"))  # no reason given
        assert bot.swapped_to == []

        result = await trainer.promote(candidate_id, Actor("Ada Admin", "admin"), "Demo für die Schulung")
        assert bot.swapped_to == [broken_model]
        promoted = result["model"]
        assert promoted["status"] == registry.LIVE
        override = (promoted["override_by"], promoted["override_reason"])
        assert override == ("Ada Admin", "Demo für die Schulung")
        assert promoted["override_at"] is not None
        models = {m["id"]: m for m in await trainer.models()}
        assert models[live_id]["status"] == registry.PREVIOUS
    finally:
        await engine.dispose()
