"""Annotations into Rasa training files: `data/nlu/annotated.yml` and `data/tone/annotated.yml`, or a patch.

New examples are merged without duplicates against every example already under data/ (all intents, all tone
labels): a text already trained on is skipped, a text already trained under a different intent or label is a
conflict and skipped too (Rasa would refuse contradicting examples), and both are reported.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from handoff.training.annotate import INTENT_ACTIONS, TONE_EXAMPLE
from handoff.training.project import Project

RASA_VERSION = "3.1"
NLU_KEY, TONE_KEY = "nlu", "tone"
INTENT_KEY, LABEL_KEY, EXAMPLES_KEY = "intent", "label", "examples"
YAML_SUFFIXES = (".yml", ".yaml")
HEADER = "# Written by `python -m handoff.training export` from redacted trainer annotations.\n"
# Rasa's entity markup `[text](entity)` / `[text]{...}`: compared by its plain text.
ENTITY_MARKUP_RE = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def normalized(text: str) -> str:
    return " ".join(ENTITY_MARKUP_RE.sub(r"\1", text).split()).casefold()


def one_line(text: str) -> str:
    # An example is one line of a `|` block; a pasted multi-line message becomes one line.
    return " ".join(text.split())


def _block_examples(block: Any) -> list[str]:
    raw = block.get(EXAMPLES_KEY) if isinstance(block, dict) else None
    if not isinstance(raw, str):
        return []
    return [line.strip()[2:].strip() for line in raw.splitlines() if line.strip().startswith("- ")]


def _blocks(path: Path, key: str, label_key: str) -> Iterable[tuple[str, list[str]]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in (document.get(key) or []) if isinstance(document, dict) else []:
        if isinstance(block, dict) and label_key in block:
            yield str(block[label_key]), _block_examples(block)


def existing_examples(directory: Path, key: str, label_key: str, skip: Path | None = None) -> dict[str, str]:
    """normalized text -> label for every example under `directory` (optionally without one file)."""
    found: dict[str, str] = {}
    if not directory.exists():
        return found
    for path in sorted(p for p in directory.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        for label, examples in _blocks(path, key, label_key):
            for example in examples:
                found.setdefault(normalized(example), label)
    return found


def annotated_examples(path: Path, key: str, label_key: str) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    if path.exists():
        for label, examples in _blocks(path, key, label_key):
            merged.setdefault(label, []).extend(examples)
    return merged


def render(key: str, label_key: str, examples: dict[str, list[str]]) -> str:
    if not any(examples.values()):
        return ""
    lines = [HEADER, f'version: "{RASA_VERSION}"\n', f"{key}:\n"]
    for label in sorted(examples):
        if not examples[label]:
            continue
        lines.append(f"- {label_key}: {label}\n  {EXAMPLES_KEY}: |\n")
        lines.extend(f"    - {example}\n" for example in examples[label])
    return "".join(lines)


@dataclass
class FilePlan:
    path: Path
    before: str
    after: str


@dataclass
class ExportPlan:
    files: list[FilePlan] = field(default_factory=list)
    exported_ids: list[str] = field(default_factory=list)
    added: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self, project: Project) -> dict[str, Any]:
        return {"files": [project.relative(f.path) for f in self.files if f.before != f.after],
                "added": self.added, "duplicates": self.duplicates, "conflicts": self.conflicts,
                "exported": len(self.exported_ids)}


def _plan_file(path: Path, key: str, label_key: str, directory: Path,
               wanted: Sequence[tuple[str, str, str]], plan: ExportPlan) -> None:
    """wanted: (annotation id, label, text). Decides each, then renders the file as it would be after."""
    existing = existing_examples(directory, key, label_key, skip=path)
    merged = annotated_examples(path, key, label_key)
    for label, examples in merged.items():
        for example in examples:
            existing.setdefault(normalized(example), label)
    for annotation_id, label, text in wanted:
        example = one_line(text)
        known = existing.get(normalized(example))
        entry = {"text": example, "label": label}
        if known == label:
            plan.duplicates.append(entry)
        elif known is not None:
            plan.conflicts.append({**entry, "existing_label": known})
        else:
            merged.setdefault(label, []).append(example)
            existing[normalized(example)] = label
            plan.added.append({**entry, "file": key})
        # Decided either way: a duplicate or conflict is not offered again on the next export.
        plan.exported_ids.append(annotation_id)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    plan.files.append(FilePlan(path, before, render(key, label_key, merged) or before))


def plan_export(project: Project, pending: Sequence[Any]) -> ExportPlan:
    plan = ExportPlan()
    nlu = [(a["id"], a["intent"], a["text"]) for a in pending if a["action"] in INTENT_ACTIONS and a["text"]]
    tone = [(a["id"], a["tone_label"], a["text"]) for a in pending
            if a["action"] == TONE_EXAMPLE and a["text"]]
    _plan_file(project.annotated_nlu, NLU_KEY, INTENT_KEY, project.data_dir, nlu, plan)
    _plan_file(project.annotated_tone, TONE_KEY, LABEL_KEY, project.tone_dir, tone, plan)
    return plan


def write_export(plan: ExportPlan) -> None:
    for file_plan in plan.files:
        if file_plan.after != file_plan.before:
            file_plan.path.parent.mkdir(parents=True, exist_ok=True)
            file_plan.path.write_text(file_plan.after, encoding="utf-8")


def unified_patch(project: Project, plan: ExportPlan) -> str:
    """The export as a reviewable diff, applicable with `git apply` / `patch -p1` in the project root."""
    chunks = []
    for file_plan in plan.files:
        if file_plan.after == file_plan.before:
            continue
        name = project.relative(file_plan.path)
        chunks.extend(difflib.unified_diff(
            file_plan.before.splitlines(keepends=True), file_plan.after.splitlines(keepends=True),
            fromfile=f"a/{name}" if file_plan.before else "/dev/null", tofile=f"b/{name}"))
    return "".join(chunks)
