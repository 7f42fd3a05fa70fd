"""Readers for the external German evaluation sets in ../shared/data (measuring only, never training).

See ../shared/data/README.md. Nothing from these files is copied into the project; when the directory is
missing the evaluation simply skips them.
"""
from __future__ import annotations

import csv
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

GERMEVAL_2017_FILE = Path("germeval2017/dev.tsv")
GERMEVAL_2018_FILE = Path("germeval2018/training.txt")
# The shared task's test split, when someone puts it next to the training file (either name); measured only.
GERMEVAL_2018_TEST_FILES = (Path("germeval2018/test.txt"), Path("germeval2018/germeval2018.test.txt"))
TUNING = "tuning"
CHECK = "check"
TWEET_LINE_BREAK = "|LBR|"
_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class ExternalRow:
    text: str
    label: str
    relevant: bool = True
    half: str = TUNING


def half(text: str) -> str:
    """Which half of an external file a row belongs to, fixed by the SHA-256 of its cleaned text.

    Error study and the few tuned numbers use only the `tuning` half; the `check` half is only ever scored,
    so its figure shows whether what was learnt from the other half carries over to unseen rows.
    """
    return CHECK if hashlib.sha256(text.encode("utf-8")).digest()[0] & 1 else TUNING


def clean_tweet(text: str) -> str:
    """Mentions and links say nothing about tone; the marker for line breaks becomes a space."""
    text = text.replace(TWEET_LINE_BREAK, " ")
    return _URL.sub(" ", _MENTION.sub(" ", text)).strip()


def load_germeval_2017(root: Path) -> list[ExternalRow]:
    """Rows of (text, sentiment in negative/neutral/positive, relevance)."""
    csv.field_size_limit(sys.maxsize)
    rows = []
    with (root / GERMEVAL_2017_FILE).open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not record.get("text") or not record.get("sentiment"):
                continue
            text = clean_tweet(record["text"])
            rows.append(
                ExternalRow(
                    text=text,
                    label=record["sentiment"].strip(),
                    relevant=record.get("relevance", "").strip().lower() == "true",
                    half=half(text),
                )
            )
    return rows


def load_germeval_2018(root: Path) -> list[ExternalRow]:
    """Rows of the training file: (text, coarse label OFFENSE/OTHER)."""
    return _germeval_2018_rows(root / GERMEVAL_2018_FILE)


def load_germeval_2018_test(root: Path) -> list[ExternalRow] | None:
    """Rows of the shared task's test split, or None when it is not there."""
    for name in GERMEVAL_2018_TEST_FILES:
        if (root / name).is_file():
            return _germeval_2018_rows(root / name, CHECK)
    return None


def _germeval_2018_rows(path: Path, fixed_half: str | None = None) -> list[ExternalRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        text = clean_tweet(parts[0])
        rows.append(ExternalRow(text=text, label=parts[1].strip(), half=fixed_half or half(text)))
    return rows
