"""The text /metrics answers with: this process's (or all workers') families, plus the database snapshot."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from handoff.metrics import multiprocess
from handoff.metrics.families import PREFIX, families
from handoff.store.metrics import Snapshot


NO_MODEL = "none"


class SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot, now: datetime) -> None:
        self.snapshot = snapshot
        self.now = now

    def collect(self) -> Iterator[Metric]:
        s = self.snapshot
        yield GaugeMetricFamily(f"{PREFIX}_queue_conversations", "Conversations waiting in the live queue now.",
                                value=s.queued)
        oldest = max(0.0, (self.now - s.oldest_waiting_since).total_seconds()) if s.oldest_waiting_since else 0.0
        yield GaugeMetricFamily(f"{PREFIX}_queue_oldest_wait_seconds",
                                "How long the longest-waiting conversation of the queue has waited (0: empty).",
                                value=oldest)
        tickets = GaugeMetricFamily(f"{PREFIX}_tickets", "Tickets by status now.", labels=("status",))
        for status, count in sorted(s.tickets_by_status.items()):
            tickets.add_metric((status,), count)
        yield tickets
        if s.outbox_backlog is not None:
            yield GaugeMetricFamily(f"{PREFIX}_email_outbox_backlog_messages",
                                    "E-mails stored for sending and not sent yet.", value=s.outbox_backlog)
        yield GaugeMetricFamily(f"{PREFIX}_database_up", "Whether /metrics could read the database just now.",
                                value=1)
        model = InfoMetricFamily(f"{PREFIX}_model", "The live bot model (from the model registry; none: not registered).")
        model_id, file_name = s.live_model if s.live_model is not None else (NO_MODEL, NO_MODEL)
        model.add_metric((), {"model_id": model_id, "file": file_name})
        yield model


class DatabaseDown(Collector):
    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(f"{PREFIX}_database_up", "Whether /metrics could read the database just now.",
                                value=0)


def render(snapshot: Snapshot | None, now: datetime) -> bytes:
    """`snapshot` None: the database could not be read; the process's own figures are still worth having."""
    if multiprocess.enabled():
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = families().registry
    live = CollectorRegistry()
    live.register(DatabaseDown() if snapshot is None else SnapshotCollector(snapshot, now))
    return generate_latest(registry) + generate_latest(live)
