"""The learned tone model: TF-IDF character and word n-grams plus tone cues into a multinomial logistic regression,
and next to it the negative-valence score (bot.tone.valence), trained from the same files.

scikit-learn is used only by `fit`; prediction is plain numpy over the stored vocabulary and coefficients, so a
trained model is a few arrays and a vocabulary list (saved as JSON + npz, never pickle).
"""
from __future__ import annotations

import json
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
FORMAT_VERSION = 2  # 2: adds the valence weights
# Version 1 models (in Rasa models trained before the valence score) still load, with `negative` always 0.0,
# so an existing model keeps serving until the next `rasa train`.
READABLE_FORMAT_VERSIONS = (1, FORMAT_VERSION)
_VALENCE_ARRAYS = ("valence_coef", "valence_intercept")
HANDOFF_LABELS = (FRUSTRATED, ABUSIVE)
_ARRAY_NAMES = ("idf", "coef", "intercept", "valence_coef", "valence_intercept")


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

    def as_output(self) -> dict[str, Any]:
        """The `tone` entry of Rasa's parse data (contract in docs/architecture.md).

        `negative` is for agents' eyes (and the GermEval 2017 figure); escalation uses `score` and `label`.
        """
        return {"score": round(self.score, 4), "label": self.label, "cues": list(self.cues),
                "negative": round(self.negative, 4)}


CALM_RESULT = ToneResult(label=CALM, score=0.0, cues=[], probabilities={CALM: 1.0})


def _ngram_counts(text: str, config: ToneModelConfig) -> tuple[Counter[str], Counter[str], list[str]]:
    """Character and word n-gram counts of one message, and the cues that fired (they are features too)."""
    chars, words = ngrams.text_ngrams(text, config.ngram_spec)
    return chars, words, cues.detect_cues(text)


def _dense_features(text: str, fired: list[str], config: ToneModelConfig) -> np.ndarray:
    cue_part = [config.cue_weight if name in fired else 0.0 for name in cues.CUE_NAMES]
    return np.array(cue_part + list(cues.typographic_features(text).values()), dtype=np.float64)


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
        )

    # --- prediction -----------------------------------------------------------------------------------
    def predict(self, text: str) -> ToneResult:
        chars, words, fired = _ngram_counts(text, self.config)
        indices, weights = self.space.vector(chars, words)
        n_sparse = len(self.space)
        logits = self.intercept + _dense_features(text, fired, self.config) @ self._coef_by_feature[n_sparse:]
        if len(indices):
            logits = logits + weights @ self._coef_by_feature[indices]
        exp = np.exp(logits - logits.max())
        probabilities = exp / exp.sum()
        by_label = {label: float(p) for label, p in zip(self.labels, probabilities)}
        score = sum(by_label[label] for label in HANDOFF_LABELS)
        return ToneResult(
            label=self.labels[int(np.argmax(probabilities))],
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
        } | ({} if self.valence_coef is None else {
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
