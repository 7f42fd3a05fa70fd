"""The intent model: TF-IDF character and word n-grams (bot.ngrams) into a linear SVM, confidences by softmax.

A linear SVM over n-grams beat Rasa's DIET on this assistant's held-out set (docs/nlu.md) and answers in a
fraction of a millisecond with numpy, where DIET needed ~11 ms of TensorFlow per message and minutes of training.
SVM scores are not probabilities: `temperature` scales them before the softmax and is fitted on cross-validated
scores of the training data, so a confidence means about what it says and the FallbackClassifier's threshold
keeps its meaning. scikit-learn is used only by `fit`; a trained model is a few arrays and a vocabulary.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from bot import ngrams
from bot.ngrams import Counts, TfidfSpace

MODEL_JSON = "intent_model.json"
MODEL_ARRAYS = "intent_model.npz"
FORMAT_VERSION = 1
_ARRAY_NAMES = ("idf", "coef", "intercept")
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.1, 100.0


@dataclass(frozen=True)
class IntentModelConfig:
    char_ngram_min: int = 2
    char_ngram_max: int = 5
    word_ngram_max: int = 2
    min_df: int = 1
    regularization: float = 1.0  # the SVM's C: larger trusts single training examples more
    calibration_folds: int = 5
    # Used when the data is too small to cross-validate (fewer than 2 examples in some intent).
    default_temperature: float = 6.0
    random_seed: int = 7

    @property
    def ngram_spec(self) -> ngrams.NgramSpec:
        return ngrams.NgramSpec(self.char_ngram_min, self.char_ngram_max, self.word_ngram_max)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> "IntentModelConfig":
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def _counts(texts: Sequence[str], config: IntentModelConfig) -> list[Counts]:
    return [ngrams.count_ngrams(ngrams.fold(text), config.ngram_spec) for text in texts]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def _fit_svm(space: TfidfSpace, documents: Sequence[Counts], labels: Sequence[int], n_labels: int,
             config: IntentModelConfig) -> tuple[np.ndarray, np.ndarray]:
    """Weights (labels x features) and intercepts; a two-label SVM's single row becomes two opposite rows."""
    from sklearn.svm import LinearSVC

    classifier = LinearSVC(C=config.regularization, random_state=config.random_seed, max_iter=10_000)
    classifier.fit(space.matrix(documents), labels)
    coef, intercept = classifier.coef_, classifier.intercept_
    if n_labels == 2:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return coef, intercept


def _fit_temperature(documents: Sequence[Counts], labels: np.ndarray, n_labels: int,
                     config: IntentModelConfig) -> float:
    """The softmax temperature that makes cross-validated scores most likely (each fold with its own vocabulary,
    so n-grams unseen in training cost confidence as they will for a new customer's message)."""
    from scipy.optimize import minimize_scalar
    from sklearn.model_selection import StratifiedKFold

    folds = min(config.calibration_folds, int(np.bincount(labels, minlength=n_labels).min()))
    if folds < 2:
        return config.default_temperature
    scores, truth = [], []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=config.random_seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        space = TfidfSpace.fit((documents[i] for i in train), config.min_df)
        coef, intercept = _fit_svm(space, [documents[i] for i in train], labels[train], n_labels, config)
        scores.append(space.matrix([documents[i] for i in test]) @ coef.T + intercept)
        truth.append(labels[test])
    all_scores, all_truth = np.vstack(scores), np.concatenate(truth)
    rows = np.arange(len(all_truth))

    def negative_log_likelihood(temperature: float) -> float:
        return float(-np.log(_softmax(all_scores * temperature)[rows, all_truth] + 1e-12).mean())

    result = minimize_scalar(negative_log_likelihood, bounds=(MIN_TEMPERATURE, MAX_TEMPERATURE), method="bounded")
    return float(result.x)


class IntentModel:
    def __init__(self, config: IntentModelConfig, labels: Sequence[str], vocabulary: Sequence[str], idf: np.ndarray,
                 coef: np.ndarray, intercept: np.ndarray, temperature: float) -> None:
        self.config = config
        self.labels = tuple(labels)
        self.space = TfidfSpace(vocabulary, idf)
        self.coef = np.asarray(coef, dtype=np.float64)
        # One contiguous row per feature: gathering the few active rows is the whole prediction cost.
        self._coef_by_feature = np.ascontiguousarray(self.coef.T)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.temperature = float(temperature)

    @classmethod
    def fit(cls, texts: Sequence[str], intents: Sequence[str], config: IntentModelConfig | None = None) -> "IntentModel":
        config = config or IntentModelConfig()
        labels = sorted(set(intents))
        if len(texts) != len(intents) or len(labels) < 2:
            raise ValueError("need as many texts as intents, and at least two different intents")
        label_ids = np.array([labels.index(intent) for intent in intents])
        documents = _counts(texts, config)
        space = TfidfSpace.fit(documents, config.min_df)
        coef, intercept = _fit_svm(space, documents, label_ids, len(labels), config)
        temperature = _fit_temperature(documents, label_ids, len(labels), config)
        return cls(config, labels, space.vocabulary, space.idf, coef, intercept, temperature)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every intent with its confidence, most likely first."""
        chars, words = ngrams.text_ngrams(text, self.config.ngram_spec)
        indices, weights = self.space.vector(chars, words)
        scores = self.intercept + (weights @ self._coef_by_feature[indices] if len(indices) else 0.0)
        probabilities = _softmax(scores * self.temperature)
        order = np.argsort(-probabilities, kind="stable")
        return [(self.labels[i], float(probabilities[i])) for i in order]

    # --- persistence ----------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        values = {"format_version": FORMAT_VERSION, "config": asdict(self.config), "labels": list(self.labels),
                  "vocabulary": self.space.vocabulary, "temperature": self.temperature}
        (directory / MODEL_JSON).write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(directory / MODEL_ARRAYS, idf=self.space.idf, coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, directory: Path) -> "IntentModel":
        values = json.loads((directory / MODEL_JSON).read_text(encoding="utf-8"))
        if values.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"unsupported intent model format {values.get('format_version')!r}")
        with np.load(directory / MODEL_ARRAYS, allow_pickle=False) as arrays:
            idf, coef, intercept = (arrays[name] for name in _ARRAY_NAMES)
        return cls(IntentModelConfig.from_mapping(values["config"]), values["labels"], values["vocabulary"], idf,
                   coef, intercept, values["temperature"])
