"""The instrumentation calls, one per thing that happens; services and web call these and nothing else.

Label values are checked against small fixed sets, so that a bug or a hostile client can never create an
unbounded number of series.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from contextlib import contextmanager
from time import perf_counter
from typing import Any, Iterable, Iterator, Mapping

from handoff.domain.events import HandoffRequested
from handoff.domain.vocabulary import SENDER_TYPES
from handoff.metrics.families import Families, families, initialise

OTHER = "other"
CHANNELS = ("widget", "rest", "socketio", "email")
WIDGET_WEBSOCKET, AGENT_WEBSOCKET, SOCKETIO = "widget_websocket", "agent_websocket", "socketio"
CONNECTION_KINDS = (WIDGET_WEBSOCKET, AGENT_WEBSOCKET, SOCKETIO)
REASON_CODE = re.compile(r"[a-z][a-z_]{0,39}")
# The reason codes of bot/escalation and the service's own (bot_unavailable); anything else counts as "other".
REASONS = frozenset({"customer_request", "tone", "abusive", "fallbacks", "repeated_question", "legal_threat",
                     "data_protection", "damage_value", "not_helped", "bot_unavailable", "other_language"})
OK, FAILED = "ok", "failed"
# The bot's answer is stored in a unit of work that does not read the conversation; its channel is known from
# the customer's message just before, in this same process. Bounded: the oldest entries are dropped.
CHANNEL_MEMORY = 10_000


class _ChannelMemory(OrderedDict):
    def update(self, channels: Mapping[str, str]) -> None:  # type: ignore[override]
        for conversation_id, channel in channels.items():
            self[conversation_id] = channel
            self.move_to_end(conversation_id)
        while len(self) > CHANNEL_MEMORY:
            self.popitem(last=False)


_known_channels = _ChannelMemory()


def _bounded(value: str | None, allowed: Iterable[str]) -> str:
    return value if value in allowed else OTHER


def message_stored(channel: str | None, sender_type: str) -> None:
    families().messages.labels(_bounded(channel, CHANNELS), _bounded(sender_type, SENDER_TYPES)).inc()


def handoff_requested(reason_codes: Iterable[str]) -> None:
    for code in set(reason_codes):
        label = code if code in REASONS and REASON_CODE.fullmatch(code) else OTHER
        families().handoffs.labels(label).inc()


def committed(events: Iterable[Any], stored: Iterable[Any], channels: Mapping[str, str]) -> None:
    """After a unit of work committed: its messages by channel and sender type, its handoff requests by reason."""
    _known_channels.update(channels)
    for message in stored:
        channel = channels.get(message.conversation_id) or _known_channels.get(message.conversation_id)
        message_stored(channel, message.sender_type)
    for event in events:
        if isinstance(event, HandoffRequested):
            handoff_requested(str(reason.get("code")) for reason in event.reasons if isinstance(reason, dict))


def bus_publish_failed() -> None:
    families().bus_publish_failures.inc()


@contextmanager
def bot_turn() -> Iterator[None]:
    """Times a bot turn; a turn that raises is observed as failed and the exception goes on."""
    started = perf_counter()
    outcome = FAILED
    try:
        yield
        outcome = OK
    finally:
        families().bot_turn.labels(outcome).observe(perf_counter() - started)


def connection_opened(kind: str) -> None:
    families().connections.labels(_bounded(kind, CONNECTION_KINDS)).inc()


def connection_closed(kind: str) -> None:
    families().connections.labels(_bounded(kind, CONNECTION_KINDS)).dec()


@contextmanager
def connection(kind: str) -> Iterator[None]:
    connection_opened(kind)
    try:
        yield
    finally:
        connection_closed(kind)


def start() -> Families:
    """At server start: the families with every known series at 0."""
    return initialise(CHANNELS, SENDER_TYPES, tuple(sorted(REASONS)) + (OTHER,), CONNECTION_KINDS, (OK, FAILED))
