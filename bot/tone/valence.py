"""Negative valence: does a message report something bad (a fault, a delay, displeasure), calm or not?

Frustration (the tone label) is about how the customer feels towards us; valence is about what the message
says. "Der Toaster ist leider defekt angekommen" is calm and negative. Agents see both; only the tone label
and score drive the escalation policy. The valence score is a small logistic regression over counts of
hand-written lexicon groups and the tone cues, trained on the `valence` of data/tone (see bot.tone.data).
Few, general features on purpose: word n-grams learned from shop chats do not carry over to other German
complaint text (measured on GermEval 2017, docs/tone.md), while "leider", "verspätet", "kaputt" do.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Pattern, Sequence

import numpy as np

from bot.tone import cues, lexicon
from bot.tone.data import NEGATIVE

# Counts are capped: a long post that says "leider" ten times is not ten times as negative. Plain negation
# ("nicht", "kein") is no feature: calm questions are full of it, and it made the score worse on GermEval 2017.
MAX_COUNT = 2

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fault", lexicon.VALENCE_FAULT),
    ("delay", lexicon.VALENCE_DELAY),
    ("displeasure", lexicon.VALENCE_DISPLEASURE),
    ("praise", lexicon.VALENCE_PRAISE),
    ("reassurance", lexicon.VALENCE_REASSURANCE),
)
# Cues about what the message says; the typographic ones (caps, "!!!", "???") are about tone, not content.
CONTENT_CUES: tuple[str, ...] = (
    cues.INSULT, cues.PROFANITY, cues.MILD_PROFANITY, cues.THREAT, cues.LEGAL_THREAT, cues.CANCEL_THREAT,
    cues.PUBLIC_THREAT, cues.REPEAT_CONTACT, cues.WAITING_TIME, cues.SARCASM, cues.INCOMPETENCE,
    cues.REPEATED_FAILURE, cues.DISAPPOINTMENT, cues.ANNOYANCE, cues.WORRY,  # negative, never insults
)
FEATURE_NAMES: tuple[str, ...] = tuple(name for name, _ in GROUPS) + CONTENT_CUES


@lru_cache(maxsize=1)
def _patterns() -> tuple[Pattern[str], ...]:
    """Compiled on first use, folded like the text (nothing happens at import time)."""
    return tuple(re.compile("|".join(f"(?:{cues.fold(p)})" for p in patterns)) for _, patterns in GROUPS)


def features(text: str, fired: Sequence[str] | None = None) -> np.ndarray:
    """The valence feature vector of one message; `fired` are its tone cues when already computed."""
    folded = cues.fold(text)
    counts = [min(len(pattern.findall(folded)), MAX_COUNT) / MAX_COUNT for pattern in _patterns()]
    fired = cues.detect_cues(text) if fired is None else fired
    return np.array(
        counts
        + [1.0 if name in fired else 0.0 for name in CONTENT_CUES],
        dtype=np.float64,
    )


def fit(texts: Sequence[str], valences: Sequence[str], regularization: float, seed: int) -> tuple[np.ndarray, float]:
    """Weights and intercept of the valence regression (`negative` is the positive class)."""
    from sklearn.linear_model import LogisticRegression

    matrix = np.vstack([features(text) for text in texts])
    target = np.array([v == NEGATIVE for v in valences], dtype=int)
    if target.min() == target.max():
        raise ValueError("valence training needs both negative and not-negative examples")
    classifier = LogisticRegression(C=regularization, class_weight="balanced", max_iter=1000, random_state=seed)
    classifier.fit(matrix, target)
    return classifier.coef_[0].copy(), float(classifier.intercept_[0])


def score(coef: np.ndarray, intercept: float, text: str, fired: Sequence[str]) -> float:
    """Probability that `text` reports something bad."""
    return float(1.0 / (1.0 + np.exp(-(features(text, fired) @ coef + intercept))))
