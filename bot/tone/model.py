"""The learned tone model: TF-IDF character and word n-grams plus tone cues into a multinomial logistic regression,
and next to it the negative-valence score (bot.tone.valence), trained from the same files.

scikit-learn is used only by `fit`; prediction is plain numpy over the stored vocabulary and coefficients, so a
trained model is a few arrays and a vocabulary list (saved as JSON + npz, never pickle).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from bot import ngrams
from bot.ngrams import TfidfSpace
from bot.tone import cues, valence
from bot.tone.data import ABUSIVE, CALM, FRUSTRATED, TONE_LABELS, default_valence

MODEL_JSON = "tone_model.json"
MODEL_ARRAYS = "tone_model.npz"
FORMAT_VERSION = 3  # 2: adds the valence weights; 3: short-message prior, calibration, label threshold
# Older models (in Rasa models trained before) still load and score as they did (no valence before 2, no
# short-message prior or calibration before 3), so an existing model keeps serving until the next `rasa train`.
READABLE_FORMAT_VERSIONS = (1, 2, FORMAT_VERSION)
_VALENCE_ARRAYS = ("valence_coef", "valence_intercept")
HANDOFF_LABELS = (FRUSTRATED, ABUSIVE)
_ARRAY_NAMES = ("idf", "coef", "intercept", "valence_coef", "valence_intercept", "short_prior")
# "!!!", "?!?" and "!!1" become one mark before n-grams: how many there are is a graded typographic feature
# that a happy message switches off (cues.typographic_features), so "danke!!" and "danke!" look alike.
_MARK_RUN = re.compile(r"([!?])[!?1]+")
# Tokens that carry no tone: order and customer numbers, codes, amounts, e-mail addresses, web addresses.
_NO_TONE_TOKEN = re.compile(r"\S*[0-9@]\S*|\S+\.(de|ch|at|com|net|org)\S*", re.IGNORECASE)
_WORD_TOKEN = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of the raw frustration score and the label threshold, both fitted on a held-out split."""

    slope: float = 1.0
    offset: float = 0.0
    threshold: float = 0.5  # calibrated score at or above which the label is frustrated or abusive

    def apply(self, raw: float) -> float:
        raw = min(max(raw, 1e-6), 1 - 1e-6)
        return 1.0 / (1.0 + math.exp(-(self.slope * math.log(raw / (1 - raw)) + self.offset)))


def words_with_tone(text: str) -> int:
    """Words of two or more letters, not counting numbers, codes and addresses."""
    return len(_WORD_TOKEN.findall(_NO_TONE_TOKEN.sub(" ", text)))


def evidence_weight(text: str, fired: Sequence[str], short_words: int) -> float:
    """How far the n-gram evidence of a message is trusted against the short-message prior (0..1).

    Normalised n-gram vectors make a one-word message as "certain" as a paragraph: "Klar" scored 0.64.
    A message of fewer than `short_words` words is pulled towards what short messages usually are, an ID or
    number alone entirely; an explicit cue ("Idioten", "immer noch nicht") or sarcasm ("Danke für nichts",
    "Na toll.": short sarcasm is rarely sincere) keeps the full weight.
    """
    if set(fired) & (cues.EXPLICIT_FRUSTRATION_CUES | {cues.SARCASM}):
        return 1.0
    return min(1.0, words_with_tone(text) / short_words) if short_words > 0 else 1.0


@dataclass(frozen=True)
class ToneModelConfig:
    char_ngram_min: int = 2
    char_ngram_max: int = 5
    word_ngram_max: int = 2
    min_df: int = 2
    cue_weight: float = 1.0
    regularization: float = 4.0  # scikit-learn's C: larger trusts the training data more
    max_iter: int = 3000
    random_seed: int = 7
    valence_regularization: float = 1.0
    # `negative` >= this counts as "reports something bad". Below 0.5 because the valence data is mostly
    # negative (every angry message is) and a single plain fault word should be enough; 0.4 was chosen on
    # GermEval 2017 (docs/tone.md says so), the only thing tuned there.
    valence_threshold: float = 0.4
    # Messages with fewer words lean on the short-message prior (see evidence_weight).
    short_message_words: int = 4

    @property
    def ngram_spec(self) -> ngrams.NgramSpec:
        return ngrams.NgramSpec(self.char_ngram_min, self.char_ngram_max, self.word_ngram_max)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> "ToneModelConfig":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class ToneResult:
    label: str
    score: float  # probability that the message is frustrated or abusive
    cues: list[str]
    probabilities: dict[str, float] = field(default_factory=dict)
    negative: float = 0.0  # probability that the message reports something bad, calm or not (valence)

    @property
    def positive(self) -> bool:
        """Thanks, praise or relief, and the message is calm: nothing to acknowledge or de-escalate."""
        return self.label == CALM and cues.POSITIVE in self.cues

    def as_output(self) -> dict[str, Any]:
        """The `tone` entry of Rasa's parse data (contract in docs/architecture.md).

        `negative` is valence (a fault, a delay, disappointment); `positive` marks calm thanks and relief.
        """
        return {"score": round(self.score, 4), "label": self.label, "cues": list(self.cues),
                "negative": round(self.negative, 4), "positive": self.positive}


CALM_RESULT = ToneResult(label=CALM, score=0.0, cues=[], probabilities={CALM: 1.0})


def _ngram_counts(text: str, config: ToneModelConfig) -> tuple[Counter[str], Counter[str], list[str]]:
    """Character and word n-gram counts of one message, and the cues that fired (they are features too)."""
    chars, words = ngrams.text_ngrams(_MARK_RUN.sub(r"\1", text), config.ngram_spec)
    return chars, words, cues.detect_cues(text)


def _dense_features(text: str, fired: list[str], config: ToneModelConfig) -> np.ndarray:
    # In a happy message the typographic cues intensify joy: they are no evidence of anger.
    silenced = cues.INTENSIFIERS if cues.is_happy(fired) else frozenset()
    cue_part = [config.cue_weight if name in fired and name not in silenced else 0.0 for name in cues.CUE_NAMES]
    return np.array(cue_part + list(cues.typographic_features(text, fired).values()), dtype=np.float64)


def short_message_prior(texts: Sequence[str], labels: Sequence[str], short_words: int) -> np.ndarray:
    """Log label frequencies among the short training messages (add-one smoothed), in TONE_LABELS order."""
    counts = Counter(label for text, label in zip(texts, labels) if words_with_tone(text) < short_words)
    return np.log(np.array([counts[label] + 1.0 for label in TONE_LABELS]) / (sum(counts.values()) + len(TONE_LABELS)))


class ToneModel:
    def __init__(
        self,
        config: ToneModelConfig,
        vocabulary: list[str],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        labels: Sequence[str] = TONE_LABELS,
        valence_coef: np.ndarray | None = None,
        valence_intercept: float = 0.0,
        short_prior: np.ndarray | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.config = config
        self.space = TfidfSpace(vocabulary, idf)
        self.coef = np.asarray(coef, dtype=np.float64)
        # One contiguous row per feature: gathering the few active rows is the whole prediction cost.
        self._coef_by_feature = np.ascontiguousarray(self.coef.T)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.labels = tuple(labels)
        self.valence_coef = None if valence_coef is None else np.asarray(valence_coef, dtype=np.float64)
        self.valence_intercept = float(valence_intercept)
        self.short_prior = None if short_prior is None else np.asarray(short_prior, dtype=np.float64)
        self.calibration = calibration or Calibration()

    def with_calibration(self, calibration: Calibration) -> "ToneModel":
        return ToneModel(
            self.config, self.space.vocabulary, self.space.idf, self.coef, self.intercept, self.labels,
            self.valence_coef, self.valence_intercept, self.short_prior, calibration,
        )

    # --- training -----------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        config: ToneModelConfig | None = None,
        valences: Sequence[str] | None = None,
    ) -> "ToneModel":
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression

        config = config or ToneModelConfig()
        unknown = set(labels) - set(TONE_LABELS)
        if unknown or len(texts) != len(labels) or not texts:
            raise ValueError(f"need equally many texts and labels from {TONE_LABELS}; unknown: {sorted(unknown)}")
        featurized = [_ngram_counts(text, config) for text in texts]
        space = TfidfSpace.fit(((chars, words) for chars, words, _ in featurized), config.min_df)
        sparse = space.matrix([(chars, words) for chars, words, _ in featurized])
        dense = [_dense_features(text, fired, config) for text, (_, _, fired) in zip(texts, featurized)]
        matrix = hstack([sparse, csr_matrix(np.vstack(dense))]).tocsr()
        classifier = LogisticRegression(
            C=config.regularization,
            class_weight="balanced",
            max_iter=config.max_iter,
            random_state=config.random_seed,
            multi_class="multinomial",
            solver="lbfgs",
        )
        classifier.fit(matrix, list(labels))
        order = [list(classifier.classes_).index(label) for label in TONE_LABELS if label in classifier.classes_]
        if len(order) != len(TONE_LABELS):
            raise ValueError(f"training data must contain every label of {TONE_LABELS}")
        valence_coef, valence_intercept = valence.fit(
            texts,
            list(valences) if valences is not None else [default_valence(label) for label in labels],
            config.valence_regularization,
            config.random_seed,
        )
        return cls(
            config, space.vocabulary, space.idf, classifier.coef_[order], classifier.intercept_[order],
            valence_coef=valence_coef, valence_intercept=valence_intercept,
            short_prior=short_message_prior(texts, labels, config.short_message_words),
        )

    # --- prediction -----------------------------------------------------------------------------------
    def raw_probabilities(self, text: str, fired: list[str] | None = None) -> np.ndarray:
        """Label probabilities before calibration, with short messages pulled towards the short-message prior."""
        chars, words = ngrams.text_ngrams(_MARK_RUN.sub(r"\1", text), self.config.ngram_spec)
        fired = cues.detect_cues(text) if fired is None else fired
        indices, weights = self.space.vector(chars, words)
        n_sparse = len(self.space)
        logits = self.intercept + _dense_features(text, fired, self.config) @ self._coef_by_feature[n_sparse:]
        if len(indices):
            logits = logits + weights @ self._coef_by_feature[indices]
        weight = evidence_weight(text, fired, self.config.short_message_words)
        if weight < 1.0 and self.short_prior is not None:
            log_p = logits - logits.max()
            log_p = log_p - np.log(np.exp(log_p).sum())
            logits = weight * log_p + (1.0 - weight) * self.short_prior
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def predict(self, text: str) -> ToneResult:
        fired = cues.detect_cues(text)
        raw = self.raw_probabilities(text, fired)
        raw_by_label = dict(zip(self.labels, raw))
        raw_score = float(sum(raw_by_label[label] for label in HANDOFF_LABELS))
        score = self.calibration.apply(raw_score)
        # Calibration moves mass between calm and the rest; frustrated and abusive keep their proportion.
        angry = {label: raw_by_label[label] / raw_score * score if raw_score > 0 else score / len(HANDOFF_LABELS)
                 for label in HANDOFF_LABELS}
        by_label = {CALM: 1.0 - score, **angry}
        by_label = {label: float(by_label[label]) for label in self.labels}
        label = CALM if score < self.calibration.threshold else max(HANDOFF_LABELS, key=lambda name: by_label[name])
        return ToneResult(
            label=label,
            score=min(1.0, max(0.0, score)),
            cues=fired,
            probabilities=by_label,
            negative=0.0 if self.valence_coef is None else valence.score(
                self.valence_coef, self.valence_intercept, text, fired
            ),
        )

    def is_negative(self, result: ToneResult) -> bool:
        """Whether a result counts as reporting something bad, at this model's valence threshold."""
        return result.negative >= self.config.valence_threshold

    def predict_many(self, texts: Iterable[str]) -> list[ToneResult]:
        return [self.predict(text) for text in texts]

    # --- persistence ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "config": asdict(self.config),
            "labels": list(self.labels),
            "vocabulary": list(self.space.vocabulary),
            "idf": self.space.idf.copy(),
            "coef": self.coef.copy(),
            "intercept": self.intercept.copy(),
            "calibration": asdict(self.calibration),
        } | ({} if self.short_prior is None else {"short_prior": self.short_prior.copy()}) | ({} if self.valence_coef is None else {
            "valence_coef": self.valence_coef.copy(),
            "valence_intercept": np.array([self.valence_intercept]),
        })

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "ToneModel":
        if values.get("format_version") not in READABLE_FORMAT_VERSIONS:
            raise ValueError(f"unsupported tone model format {values.get('format_version')!r}")
        return cls(
            config=ToneModelConfig.from_mapping(values["config"]),
            vocabulary=values["vocabulary"],
            idf=np.asarray(values["idf"]),
            coef=np.asarray(values["coef"]),
            intercept=np.asarray(values["intercept"]),
            labels=values["labels"],
            valence_coef=np.asarray(values["valence_coef"]) if "valence_coef" in values else None,
            valence_intercept=float(np.asarray(values.get("valence_intercept", 0.0)).reshape(-1)[0]),
            short_prior=np.asarray(values["short_prior"]) if "short_prior" in values else None,
            calibration=Calibration(**values.get("calibration", {})),
        )

    def save(self, directory: Path) -> None:
        values = self.to_dict()
        arrays = {name: values.pop(name) for name in _ARRAY_NAMES if name in values}
        (directory / MODEL_JSON).write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(directory / MODEL_ARRAYS, **arrays)

    @classmethod
    def load(cls, directory: Path) -> "ToneModel":
        values = json.loads((directory / MODEL_JSON).read_text(encoding="utf-8"))
        with np.load(directory / MODEL_ARRAYS, allow_pickle=False) as arrays:
            values.update({name: arrays[name] for name in arrays.files})
        return cls.from_dict(values)
