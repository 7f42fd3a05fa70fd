"""How alike two customer messages are, robust to case, umlaut spelling, punctuation and small typos."""
from __future__ import annotations

import re

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NGRAM = 3


def normalise(text: str) -> str:
    """Lower case, umlauts spelled out (customers type both "für" and "fuer"), punctuation dropped."""
    return _NON_WORD.sub(" ", text.lower().translate(_UMLAUTS)).strip()


def similarity(first: str, second: str) -> float:
    """Dice coefficient of the character trigrams of the normalised texts (1.0 = same text)."""
    first_grams, second_grams = _trigrams(normalise(first)), _trigrams(normalise(second))
    if not first_grams or not second_grams:
        return 0.0
    shared = len(first_grams & second_grams)
    return 2.0 * shared / (len(first_grams) + len(second_grams))


def _trigrams(text: str) -> set[str]:
    if not text:
        return set()
    # Padding gives word starts and ends their own n-grams, so short words still count.
    padded = f" {text} "
    return {padded[index : index + _NGRAM] for index in range(len(padded) - _NGRAM + 1)}
