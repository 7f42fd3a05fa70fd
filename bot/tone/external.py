"""Readers for the external German evaluation sets in ../shared/data (measuring only, never training).

See ../shared/data/README.md. Nothing from these files is copied into the project; when the directory is
missing the evaluation simply skips them.
"""
from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

GERMEVAL_2017_FILE = Path("germeval2017/dev.tsv")
GERMEVAL_2018_FILE = Path("germeval2018/training.txt")
TWEET_LINE_BREAK = "|LBR|"
_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class ExternalRow:
    text: str
    label: str
    relevant: bool = True


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
            rows.append(
                ExternalRow(
                    text=clean_tweet(record["text"]),
                    label=record["sentiment"].strip(),
                    relevant=record.get("relevance", "").strip().lower() == "true",
                )
            )
    return rows


def load_germeval_2018(root: Path) -> list[ExternalRow]:
    """Rows of (text, coarse label OFFENSE/OTHER)."""
    rows = []
    for line in (root / GERMEVAL_2018_FILE).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        rows.append(ExternalRow(text=clean_tweet(parts[0]), label=parts[1].strip()))
    return rows
