"""The metric families of the process, made on first use (in multi-process mode a family writes files)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

PREFIX = "nordwind"
# A bot turn takes tens of milliseconds when warm; the bot timeout (10 s by default) is the far end.
BOT_TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Families:
    registry: CollectorRegistry     # ours only: /metrics shows the nordwind_ families and nothing else
    messages: Counter
    bot_turn: Histogram
    handoffs: Counter
    connections: Gauge
    bus_publish_failures: Counter


@functools.cache
def families() -> Families:
    # Imported here, not at the top: the client picks its value store (one process or PROMETHEUS_MULTIPROC_DIR)
    # on import, which must come after `serve` prepared the directory.
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

    disable_created_metrics()   # the *_created series double the output and multi-process mode has none
    registry = CollectorRegistry()
    made = Families(
        registry=registry,
        messages=Counter(f"{PREFIX}_messages", "Messages stored, by channel and sender type.",
                         ("channel", "sender_type"), registry=registry),
        bot_turn=Histogram(f"{PREFIX}_bot_turn_duration_seconds",
                           "Time from asking the bot to its reply (or its failure).", ("outcome",),
                           buckets=BOT_TURN_BUCKETS, registry=registry),
        handoffs=Counter(f"{PREFIX}_handoffs", "Handoff requests, once per reason code (one request may have several).",
                         ("reason",), registry=registry),
        # livesum: the open connections of the workers alive now, added up.
        connections=Gauge(f"{PREFIX}_open_connections", "Open realtime connections, by kind.", ("kind",),
                          multiprocess_mode="livesum", registry=registry),
        bus_publish_failures=Counter(f"{PREFIX}_bus_publish_failures",
                                     "Events that could not be published on the realtime bus (the data is stored).",
                                     registry=registry),
    )
    return made


def initialise(channels: tuple[str, ...], sender_types: tuple[str, ...], reasons: tuple[str, ...],
               connection_kinds: tuple[str, ...], outcomes: tuple[str, ...]) -> Families:
    """Every known series at 0 from the start: a rate over a series that appears late misses its first events,
    and in multi-process mode a family without any sample would not be shown at all."""
    made = families()
    for channel in channels:
        for sender_type in sender_types:
            made.messages.labels(channel, sender_type)
    for reason in reasons:
        made.handoffs.labels(reason)
    for kind in connection_kinds:
        made.connections.labels(kind)
    for outcome in outcomes:
        made.bot_turn.labels(outcome)
    return made
