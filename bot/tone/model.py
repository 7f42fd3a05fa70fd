"""The learned tone model: TF-IDF character and word n-grams plus tone cues into a multinomial logistic regression.

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

from bot.tone import cues
from bot.tone.data import ABUSIVE, CALM, FRUSTRATED, TONE_LABELS

CHAR_PREFIX = "c:"
WORD_PREFIX = "w:"
MODEL_JSON = "tone_model.json"
MODEL_ARRAYS = "tone_model.npz"
FORMAT_VERSION = 1
HANDOFF_LABELS = (FRUSTRATED, ABUSIVE)


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

    def as_output(self) -> dict[str, Any]:
        """The `tone` entry of Rasa's parse data (contract in docs/architecture.md)."""
        return {"score": round(self.score, 4), "label": self.label, "cues": list(self.cues)}


CALM_RESULT = ToneResult(label=CALM, score=0.0, cues=[], probabilities={CALM: 1.0})


def _ngram_counts(text: str, config: ToneModelConfig) -> tuple[Counter[str], list[str]]:
    """Sparse n-gram counts of one message, and the cues that fired (they are features too)."""
    folded = cues.fold(text)
    counts: Counter[str] = Counter()
    # Character n-grams inside padded whitespace-separated chunks, like scikit-learn's "char_wb":
    # they survive typos, missing umlauts and German compounds; punctuation stays attached ("paket!!!").
    for chunk in folded.split():
        padded = f" {chunk} "
        for n in range(config.char_ngram_min, config.char_ngram_max + 1):
            for start in range(len(padded) - n + 1):
                counts[CHAR_PREFIX + padded[start : start + n]] += 1
    words = cues.tokens(folded)
    for n in range(1, config.word_ngram_max + 1):
        for start in range(len(words) - n + 1):
            counts[WORD_PREFIX + " ".join(words[start : start + n])] += 1
    return counts, cues.detect_cues(text)


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
    ) -> None:
        self.config = config
        self.vocabulary = list(vocabulary)
        self._index = {gram: i for i, gram in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.labels = tuple(labels)

    # --- training -----------------------------------------------------------------------------------
    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], config: ToneModelConfig | None = None) -> "ToneModel":
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression

        config = config or ToneModelConfig()
        unknown = set(labels) - set(TONE_LABELS)
        if unknown or len(texts) != len(labels) or not texts:
            raise ValueError(f"need equally many texts and labels from {TONE_LABELS}; unknown: {sorted(unknown)}")
        featurized = [_ngram_counts(text, config) for text in texts]
        document_frequency: Counter[str] = Counter()
        for counts, _ in featurized:
            document_frequency.update(counts.keys())
        vocabulary = sorted(g for g, df in document_frequency.items() if df >= config.min_df)
        n_docs = len(texts)
        # Smoothed idf, as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + document_frequency[g])) + 1 for g in vocabulary])
        untrained = cls(config, vocabulary, idf, np.zeros((len(TONE_LABELS), 0)), np.zeros(len(TONE_LABELS)))
        rows, cols, values = [], [], []
        dense = []
        for row, (text, (counts, fired)) in enumerate(zip(texts, featurized)):
            indices, weights = untrained._sparse_vector(counts)
            rows.extend([row] * len(indices))
            cols.extend(indices)
            values.extend(weights)
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
        return cls(config, vocabulary, idf, classifier.coef_[order], classifier.intercept_[order])

    # --- prediction -----------------------------------------------------------------------------------
    def _sparse_vector(self, counts: Counter[str]) -> tuple[list[int], list[float]]:
        """TF-IDF (sublinear tf), l2-normalised separately for characters and words so neither drowns the other."""
        blocks: dict[str, tuple[list[int], list[float]]] = {CHAR_PREFIX: ([], []), WORD_PREFIX: ([], [])}
        for gram, count in counts.items():
            index = self._index.get(gram)
            if index is None:
                continue
            indices, weights = blocks[gram[: len(CHAR_PREFIX)]]
            indices.append(index)
            weights.append((1.0 + math.log(count)) * self.idf[index])
        all_indices: list[int] = []
        all_weights: list[float] = []
        for indices, weights in blocks.values():
            norm = math.sqrt(sum(w * w for w in weights)) or 1.0
            all_indices.extend(indices)
            all_weights.extend(w / norm for w in weights)
        return all_indices, all_weights

    def predict(self, text: str) -> ToneResult:
        counts, fired = _ngram_counts(text, self.config)
        indices, weights = self._sparse_vector(counts)
        n_sparse = len(self.vocabulary)
        logits = self.intercept + self.coef[:, n_sparse:] @ _dense_features(text, fired, self.config)
        if indices:
            logits = logits + self.coef[:, indices] @ np.asarray(weights)
        exp = np.exp(logits - logits.max())
        probabilities = exp / exp.sum()
        by_label = {label: float(p) for label, p in zip(self.labels, probabilities)}
        score = sum(by_label[label] for label in HANDOFF_LABELS)
        return ToneResult(
            label=self.labels[int(np.argmax(probabilities))],
            score=min(1.0, max(0.0, score)),
            cues=fired,
            probabilities=by_label,
        )

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
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "ToneModel":
        if values.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"unsupported tone model format {values.get('format_version')!r}")
        return cls(
            config=ToneModelConfig.from_mapping(values["config"]),
            vocabulary=values["vocabulary"],
            idf=np.asarray(values["idf"]),
            coef=np.asarray(values["coef"]),
            intercept=np.asarray(values["intercept"]),
            labels=values["labels"],
        )

    def save(self, directory: Path) -> None:
        values = self.to_dict()
        arrays = {name: values.pop(name) for name in ("idf", "coef", "intercept")}
        (directory / MODEL_JSON).write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(directory / MODEL_ARRAYS, **arrays)

    @classmethod
    def load(cls, directory: Path) -> "ToneModel":
        values = json.loads((directory / MODEL_JSON).read_text(encoding="utf-8"))
        with np.load(directory / MODEL_ARRAYS, allow_pickle=False) as arrays:
            values.update({name: arrays[name] for name in arrays.files})
        return cls.from_dict(values)
