import asyncio
import sys

import pytest

from handoff.training import retrain
from handoff.training.project import Project

pytestmark = pytest.mark.unit

# Stands in for `rasa train`: the same kind of output, slowly enough that progress is seen while it runs.
FAKE_TRAINING = r"""
import pathlib, sys, time
print("INFO rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.", flush=True)
for epoch in range(1, 4):
    sys.stdout.write(f"\rEpochs:  {epoch * 33}%|###  | {epoch}/3 [00:0{epoch}<00:0{3 - epoch},  1.00s/it]")
    sys.stdout.flush()
    time.sleep(0.3)
out = pathlib.Path(sys.argv[1])
out.parent.mkdir(parents=True, exist_ok=True)
out.write_bytes(b"model")
print(f"\nYour Rasa model is trained and saved at '{out}'.", flush=True)
"""


@pytest.fixture
def fake_rasa(monkeypatch):
    def command(project: Project, name: str) -> list[str]:
        return [sys.executable, "-c", FAKE_TRAINING, str(project.candidates_dir / f"{name}.tar.gz")]

    monkeypatch.setattr(retrain, "train_command", command)


@pytest.fixture
def uvloop_policy():
    """Rasa and Sanic install uvloop's policy on import; training must work under it on any loop."""
    uvloop = pytest.importorskip("uvloop")
    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    yield
    asyncio.set_event_loop_policy(previous)


async def test_progress_is_visible_while_the_child_runs_and_the_model_is_found(
        tmp_path, fake_rasa, uvloop_policy):
    job = await retrain.start_training(Project.at(tmp_path), "candidate-test")
    seen_epochs = set()
    while not job.task.done():
        if job.progress.epoch is not None:
            seen_epochs.add(job.progress.epoch)
        await asyncio.sleep(0.05)
    await job.wait()
    assert job.state == retrain.SUCCEEDED and job.returncode == 0
    assert job.progress.component == "DIETClassifier" and job.progress.epochs == 3
    assert seen_epochs and max(seen_epochs) <= 3
    assert job.progress.model_path == str(job.model_path) and job.model_path.exists()


async def test_a_cancelled_training_reports_cancelled(tmp_path, fake_rasa):
    job = await retrain.start_training(Project.at(tmp_path), "candidate-cancelled")
    await job.cancel()
    assert job.state == retrain.CANCELLED and job.returncode != 0
