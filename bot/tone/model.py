"""The learned tone model: TF-IDF character and word n-grams plus tone cues into a multinomial logistic regression,
and next to it the negative-valence score (bot.tone.valence), trained from the same files.

scikit-learn is used only by `fit`; prediction is plain numpy over the stored vocabulary and coefficients, so a
trained model is a few arrays and a vocabulary list (saved as JSON + npz, never pickle).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from bot.tone import cues, valence
from bot.tone.data import ABUSIVE, CALM, FRUSTRATED, TONE_LABELS, default_valence

CHAR_PREFIX = "c:"
WORD_PREFIX = "w:"
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
    folded = cues.fold(text)
    chars: list[str] = []
    # Character n-grams inside padded whitespace-separated chunks, like scikit-learn's "char_wb":
    # they survive typos, missing umlauts and German compounds; punctuation stays attached ("paket!!!").
    for chunk in folded.split():
        padded = f" {chunk} "
        length = len(padded)
        for n in range(config.char_ngram_min, min(config.char_ngram_max, length) + 1):
            chars += [padded[i : i + n] for i in range(length - n + 1)]
    words = cues.tokens(folded)
    word_grams: list[str] = []
    for n in range(1, config.word_ngram_max + 1):
        word_grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return Counter(chars), Counter(word_grams), cues.detect_cues(text)


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
        self.vocabulary = list(vocabulary)
        self._char_index = {g[len(CHAR_PREFIX) :]: i for i, g in enumerate(self.vocabulary) if g.startswith(CHAR_PREFIX)}
        self._word_index = {g[len(WORD_PREFIX) :]: i for i, g in enumerate(self.vocabulary) if g.startswith(WORD_PREFIX)}
        self.idf = np.asarray(idf, dtype=np.float64)
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
        document_frequency: Counter[str] = Counter()
        for chars, words, _ in featurized:
            document_frequency.update(CHAR_PREFIX + g for g in chars)
            document_frequency.update(WORD_PREFIX + g for g in words)
        vocabulary = sorted(g for g, df in document_frequency.items() if df >= config.min_df)
        n_docs = len(texts)
        # Smoothed idf, as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + document_frequency[g])) + 1 for g in vocabulary])
        untrained = cls(config, vocabulary, idf, np.zeros((len(TONE_LABELS), 0)), np.zeros(len(TONE_LABELS)))
        rows, cols, values = [], [], []
        dense = []
        for row, (text, (chars, words, fired)) in enumerate(zip(texts, featurized)):
            indices, weights = untrained._sparse_vector(chars, words)
            rows.extend([row] * len(indices))
            cols.extend(indices.tolist())
            values.extend(weights.tolist())
            dense.append(_dense_features(text, fired, config))
        sparse = csr_matrix((values, (rows, cols)), shape=(n_docs, len(vocabulary)))
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
            config, vocabulary, idf, classifier.coef_[order], classifier.intercept_[order],
            valence_coef=valence_coef, valence_intercept=valence_intercept,
        )

    # --- prediction -----------------------------------------------------------------------------------
    def _sparse_vector(self, chars: Counter[str], words: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF (sublinear tf), l2-normalised separately for characters and words so neither drowns the other."""
        all_indices, all_weights = [], []
        for counts, index in ((chars, self._char_index), (words, self._word_index)):
            known = [(i, c) for gram, c in counts.items() if (i := index.get(gram)) is not None]
            if not known:
                continue
            indices = np.array([k[0] for k in known], dtype=np.int64)
            weights = (1.0 + np.log(np.array([k[1] for k in known], dtype=np.float64))) * self.idf[indices]
            all_indices.append(indices)
            all_weights.append(weights / np.sqrt(weights @ weights))
        if not all_indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(all_indices), np.concatenate(all_weights)

    def predict(self, text: str) -> ToneResult:
        chars, words, fired = _ngram_counts(text, self.config)
        indices, weights = self._sparse_vector(chars, words)
        n_sparse = len(self.vocabulary)
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
            "vocabulary": list(self.vocabulary),
            "idf": self.idf.copy(),
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
