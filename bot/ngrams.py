"""Text folding and TF-IDF n-gram vectors, shared by the tone model and the intent model.

Both models see a customer's message the same way: folded (lower case, umlauts spelled out the same way,
stretched letters shortened), as character n-grams inside words (robust to typos, missing umlauts and German
compounds) plus word n-grams. Vectors are sparse (indices, weights) for numpy inference; scikit-learn and scipy
are needed only to build training matrices.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

CHAR_PREFIX = "c:"
WORD_PREFIX = "w:"

_UMLAUT_FOLDS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ae", "a"), ("oe", "o"), ("ue", "u"))
_LETTER_RUN = re.compile(r"([a-z])\1{2,}")
_PUNCT_RUN = re.compile(r"([!?.])\1{3,}")
_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, umlaut-free, stretched letters shortened: "SCHEIẞE!!!!!" and "scheisseee!!" look alike."""
    folded = text.lower()
    for umlaut, plain in _UMLAUT_FOLDS:
        folded = folded.replace(umlaut, plain)
    folded = _LETTER_RUN.sub(r"\1", folded)
    return _PUNCT_RUN.sub(r"\1\1\1", folded)


def tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


@dataclass(frozen=True)
class NgramSpec:
    char_min: int = 2
    char_max: int = 5
    word_max: int = 2


def count_ngrams(folded: str, spec: NgramSpec) -> tuple[Counter[str], Counter[str]]:
    """Character n-grams inside padded whitespace-separated chunks (like scikit-learn's "char_wb": punctuation
    stays attached, "paket!!!") and word 1..word_max-grams of one folded text."""
    chars: list[str] = []
    for chunk in folded.split():
        padded = f" {chunk} "
        length = len(padded)
        for n in range(spec.char_min, min(spec.char_max, length) + 1):
            chars += [padded[i : i + n] for i in range(length - n + 1)]
    words = tokens(folded)
    word_grams: list[str] = []
    for n in range(1, spec.word_max + 1):
        word_grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return Counter(chars), Counter(word_grams)


Counts = tuple[Counter[str], Counter[str]]
# The intent and the tone model read the same message with the same n-gram spec, one right after the other.
RECENT_TEXTS_KEPT = 64


@lru_cache(maxsize=RECENT_TEXTS_KEPT)
def text_ngrams(text: str, spec: NgramSpec) -> Counts:
    """count_ngrams of the folded text, remembered for the last few texts. The counts are shared: read only."""
    return count_ngrams(fold(text), spec)


class TfidfSpace:
    """A fitted vocabulary (prefixed "c:"/"w:" n-grams) with smoothed idf.

    Vectors use sublinear tf and are l2-normalised per block (characters, words), so neither drowns the other.
    """

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.vocabulary = list(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self._char_index = {g[len(CHAR_PREFIX):]: i for i, g in enumerate(self.vocabulary) if g.startswith(CHAR_PREFIX)}
        self._word_index = {g[len(WORD_PREFIX):]: i for i, g in enumerate(self.vocabulary) if g.startswith(WORD_PREFIX)}

    def __len__(self) -> int:
        return len(self.vocabulary)

    @classmethod
    def fit(cls, documents: Iterable[Counts], min_df: int) -> "TfidfSpace":
        document_frequency: Counter[str] = Counter()
        n_docs = 0
        for chars, words in documents:
            n_docs += 1
            document_frequency.update(CHAR_PREFIX + g for g in chars)
            document_frequency.update(WORD_PREFIX + g for g in words)
        vocabulary = sorted(g for g, df in document_frequency.items() if df >= min_df)
        # Smoothed idf, as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + document_frequency[g])) + 1 for g in vocabulary])
        return cls(vocabulary, idf)

    def vector(self, chars: Counter[str], words: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """(indices, weights) of the known n-grams; empty arrays when none is known."""
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

    def matrix(self, documents: Sequence[Counts]):  # -> scipy.sparse.csr_matrix (imported for training only)
        from scipy.sparse import csr_matrix

        rows, cols, values = [], [], []
        for row, (chars, words) in enumerate(documents):
            indices, weights = self.vector(chars, words)
            rows.extend([row] * len(indices))
            cols.extend(indices.tolist())
            values.extend(weights.tolist())
        return csr_matrix((values, (rows, cols)), shape=(len(documents), len(self.vocabulary)))
