"""Several worker processes, one /metrics: counters add up and a dead worker's connections drop out.

Real processes with PROMETHEUS_MULTIPROC_DIR (prometheus-client reads it when first imported, so each step
runs in a fresh interpreter, as workers do).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from handoff.metrics.multiprocess import prepare

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[4]

WORKER = """
from handoff.metrics import record, multiprocess
record.start()
for _ in range({messages}):
    record.message_stored("widget", "customer")
record.handoff_requested(["tone", "a-code-nobody-knows"])
record.connection_opened(record.WIDGET_WEBSOCKET)
with record.bot_turn():
    pass
if {dies}:
    multiprocess.worker_stopped()
"""
SCRAPE = """
import sys
from datetime import datetime, timezone
from handoff.metrics import exposition
from handoff.store.metrics import Snapshot
sys.stdout.write(exposition.render(Snapshot(), datetime.now(timezone.utc)).decode())
"""


def _run(code: str, directory: Path) -> str:
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _samples(text: str) -> dict:
    values = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def test_two_workers_add_up_and_a_stopped_one_leaves_no_open_connection(tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_99999.db").write_bytes(b"stale from an earlier run")
    assert prepare({"PROMETHEUS_MULTIPROC_DIR": str(directory)}, workers=2) == directory
    assert list(directory.glob("*.db")) == []            # an earlier run's counts would add to this one's
    _run(WORKER.format(messages=3, dies=False), directory)
    _run(WORKER.format(messages=4, dies=True), directory)
    values = _samples(_run(SCRAPE, directory))
    assert values[("nordwind_messages_total", (("channel", "widget"), ("sender_type", "customer")))] == 7
    assert values[("nordwind_messages_total", (("channel", "rest"), ("sender_type", "bot")))] == 0
    assert values[("nordwind_handoffs_total", (("reason", "tone"),))] == 2
    assert values[("nordwind_handoffs_total", (("reason", "other"),))] == 2   # never the unknown code itself
    assert values[("nordwind_bot_turn_duration_seconds_count", (("outcome", "ok"),))] == 2
    # The first worker still "runs" (its files are live); the second stopped: one open connection is left.
    assert values[("nordwind_open_connections", (("kind", "widget_websocket"),))] == 1


def test_one_worker_needs_no_directory_and_several_get_a_private_one():
    assert prepare({}, workers=1) is None
    environment: dict = {}
    directory = prepare(environment, workers=3)
    assert directory is not None and directory.is_dir()
    assert environment["PROMETHEUS_MULTIPROC_DIR"] == str(directory)
    directory.rmdir()


def test_without_the_database_the_process_figures_still_come_and_say_so():
    from datetime import datetime, timezone

    from handoff.metrics import exposition, record

    record.start()
    families = {f.name: f for f in text_string_to_metric_families(
        exposition.render(None, datetime.now(timezone.utc)).decode())}
    assert families["nordwind_database_up"].samples[0].value == 0
    assert "nordwind_messages" in families and "nordwind_queue_conversations" not in families
