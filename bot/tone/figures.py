"""The figures of one tone evaluation run: filled by bot.tone.evaluate, rendered by bot.tone.report.

Its own module so that both import it and neither imports the other (no copied constants).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.tone import metrics
from bot.tone.model import Calibration

HANDOFF = "handoff"
NO_HANDOFF = "no_handoff"
OFFENSE = "OFFENSE"
OTHER = "OTHER"
GERMEVAL_2017_ALL = "GermEval 2017, all rows, valence negative >= threshold"
GERMEVAL_2018_ABUSIVE = "GermEval 2018, abusive = OFFENSE"
# The halves of bot.tone.external.half: error study and tuning used the tuning half only.
GERMEVAL_2017_CHECK = "GermEval 2017, check half (never read or tuned on), valence negative >= threshold"
GERMEVAL_2018_CHECK = "GermEval 2018, check half of the training file (never read or tuned on), abusive = OFFENSE"
GERMEVAL_2018_TEST = "GermEval 2018 test split, abusive = OFFENSE"


@dataclass
class ReliabilityBin:
    low: float
    mean_score: float
    observed: float
    count: int


@dataclass
class EvaluationRun:
    training_counts: dict[str, int]
    nlu_calm_examples: int
    calibration: Calibration
    holdout: metrics.Evaluation  # the held-out test files (tests/tone/)
    handoff: metrics.Evaluation  # the same, frustrated+abusive vs calm
    calm_false_alarm_rate: float
    calm_messages: int
    calibration_error: float
    reliability: list[ReliabilityBin]
    mean_inference_ms: float
    holdout_errors: list[tuple[str, str, str]]
    calibration_split: metrics.Evaluation | None = None  # tests/tone_holdout.yml, thresholds chosen there
    holdout_valence: metrics.Evaluation | None = None
    external: dict[str, metrics.Evaluation] = field(default_factory=dict)
    external_sizes: dict[str, int] = field(default_factory=dict)
