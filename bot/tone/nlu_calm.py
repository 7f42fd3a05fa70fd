"""The project's NLU examples as calm tone training data.

Every intent example in data/nlu is a customer message written to teach an intent; nearly all of them are calm
or neutral ("Akzeptiert ihr Visa?", "bist du ein Mensch?", "Perfekt, danke"). That is exactly the everyday
language the tone scorer used to read as angry, so it trains on it as `calm`, except:

- intents whose examples mix tones on purpose (`complaint` holds "Das ist eine Frechheit" next to "Ich möchte
  mich beschweren"): EXCLUDED_INTENTS;
- any text that data/tone labels otherwise: the hand-labelled tone data wins (see `merge`).

Only `intent:` blocks count (not regex, lookup or synonym blocks); entity annotations are removed
("Wo ist [NW-482913](order_number)?" becomes "Wo ist NW-482913?").
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from bot.tone.data import CALM, NEGATIVE, NOT_NEGATIVE, ToneDataError, ToneExample, tone_data_files

# Intents whose examples are not calm by design (complaints, insults, "hat nicht geholfen"); a new intent for
# anger or disappointment belongs here too.
EXCLUDED_INTENTS: frozenset[str] = frozenset({"complaint", "insult", "abuse", "frustration", "not_helped"})

# Intents whose examples report something going wrong: calm, but negative valence (bot/tone/valence.py).
# "Mein Paket ist nicht angekommen" is a problem report whatever its tone.
NEGATIVE_VALENCE_INTENTS: frozenset[str] = frozenset(
    {"damaged_item", "parcel_not_received", "wrong_item", "login_problem", "report_outage", "voucher_problem"}
)

# [text](entity), [text](entity:value), [text]{"entity": ...}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def strip_annotations(text: str) -> str:
    return _ANNOTATION.sub(r"\1", text).strip()


def load_nlu_calm(path: str | Path, excluded: Iterable[str] = EXCLUDED_INTENTS) -> list[ToneExample]:
    """Calm examples from the NLU files under `path` (file or directory); empty when it holds none."""
    skip = frozenset(excluded)
    examples: list[ToneExample] = []
    for file in tone_data_files(path):
        try:
            document = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ToneDataError(f"{file}: not valid YAML: {error}") from error
        if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
            continue
        for block in document["nlu"]:
            if not isinstance(block, dict) or "intent" not in block or block["intent"] in skip:
                continue
            for raw in str(block.get("examples") or "").splitlines():
                line = raw.strip()
                if not line.startswith("- "):
                    continue
                text = strip_annotations(line[2:])
                if text:
                    negative = block["intent"] in NEGATIVE_VALENCE_INTENTS
                    examples.append(ToneExample(
                        text=text, label=CALM, source=f"{file}:intent {block['intent']}",
                        valence=NEGATIVE if negative else NOT_NEGATIVE, valence_given=negative,
                    ))
    return examples


def merge(labelled: Sequence[ToneExample], nlu: Sequence[ToneExample]) -> list[ToneExample]:
    """The tone data plus the NLU examples it does not already label (tone data wins; no duplicates)."""
    seen = {example.text.casefold() for example in labelled}
    merged = list(labelled)
    for example in nlu:
        key = example.text.casefold()
        if key not in seen:
            seen.add(key)
            merged.append(example)
    return merged
