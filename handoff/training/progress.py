"""Reads `rasa train` output as it streams and keeps what a trainer wants to see: component, epoch, time left.

Rasa logs `Starting to train component 'X'` and draws tqdm bars like
`Epochs:  23%|██▎       | 7/30 [01:04<01:48,  4.73s/it, t_loss=3.33, i_acc=0.952]`, redrawn with carriage
returns, so the stream is split on both line ends.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

COMPONENT_RE = re.compile(r"Starting to train component '(?P<component>[^']+)'")
EPOCH_RE = re.compile(
    r"Epochs:\s+(?P<percent>\d+)%\|[^|]*\|\s*(?P<epoch>\d+)/(?P<epochs>\d+)\s*"
    r"\[(?P<elapsed>[\d:]+)<(?P<remaining>[\d:?]+)")
# Any other tqdm bar ("Processed trackers:  42%|████▏ | 214/507", "Processed actions: 45it [00:00, ..."):
# redrawn hundreds of times, never logged.
BAR_RE = re.compile(r"\d+%\||\d+it \[")
MODEL_SAVED_RE = re.compile(r"Your Rasa model is trained and saved at '(?P<path>[^']+)'")
LOG_LINES_KEPT = 40


def clock_seconds(value: str) -> float | None:
    """tqdm's `01:04` or `1:02:03` in seconds; `?` (unknown yet) is None."""
    if "?" in value:
        return None
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


@dataclass
class TrainingProgress:
    component: str | None = None
    epoch: int | None = None
    epochs: int | None = None
    elapsed_seconds: float | None = None      # of the current component's epochs
    remaining_seconds: float | None = None    # tqdm's estimate for the current component
    components_done: list[str] = field(default_factory=list)
    model_path: str | None = None
    log_tail: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES_KEPT))

    def to_dict(self) -> dict[str, object]:
        return {
            "component": self.component,
            "epoch": self.epoch,
            "epochs": self.epochs,
            "elapsed_seconds": self.elapsed_seconds,
            "remaining_seconds": self.remaining_seconds,
            "components_done": list(self.components_done),
            "model_path": self.model_path,
            "log_tail": list(self.log_tail),
        }


class ProgressParser:
    """Feed it raw chunks of output in any split; it updates one TrainingProgress."""

    def __init__(self) -> None:
        self.progress = TrainingProgress()
        self._pending = ""

    def feed(self, chunk: str) -> None:
        self._pending += chunk
        *complete, self._pending = re.split(r"[\r\n]", self._pending)
        for line in complete:
            self._line(line)
        # A bar being redrawn has no line end yet; read it now so the estimate is live.
        if EPOCH_RE.search(self._pending):
            self._epoch(EPOCH_RE.search(self._pending))

    def close(self) -> None:
        if self._pending:
            self._line(self._pending)
            self._pending = ""

    def _line(self, line: str) -> None:
        line = line.rstrip()
        if not line:
            return
        if (match := COMPONENT_RE.search(line)) is not None:
            if self.progress.component and self.progress.component not in self.progress.components_done:
                self.progress.components_done.append(self.progress.component)
            self.progress.component = match.group("component")
            self.progress.epoch = self.progress.epochs = None
            self.progress.elapsed_seconds = self.progress.remaining_seconds = None
        if (match := EPOCH_RE.search(line)) is not None:
            self._epoch(match)
            return  # bar redraws would flood the log tail
        if BAR_RE.search(line):
            return
        if (match := MODEL_SAVED_RE.search(line)) is not None:
            self.progress.model_path = match.group("path")
        self.progress.log_tail.append(line)

    def _epoch(self, match: re.Match[str]) -> None:
        self.progress.epoch = int(match.group("epoch"))
        self.progress.epochs = int(match.group("epochs"))
        self.progress.elapsed_seconds = clock_seconds(match.group("elapsed"))
        self.progress.remaining_seconds = clock_seconds(match.group("remaining"))
