"""Tone training data: Rasa-style YAML files under a `tone:` key, loaded with file and line for every example.

The top-level key is `tone:` rather than `nlu:` so that Rasa's own importer never mistakes these files for
intent examples. Format:

    version: "3.1"
    tone:
    - label: frustrated
      examples: |
        - Ich warte jetzt seit drei Wochen auf mein Paket!!!
    - label: calm
      valence: negative
      examples: |
        - Der Toaster ist leider defekt angekommen.

`valence:` is optional. It says whether a message reports something bad (a problem, a delay, a complaint),
whatever the tone: frustrated and abusive messages are `negative` by default, calm ones `not_negative`. Calm
problem reports are the calm messages marked `valence: negative`; the valence score is trained from it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

CALM = "calm"
FRUSTRATED = "frustrated"
ABUSIVE = "abusive"
TONE_LABELS: tuple[str, ...] = (CALM, FRUSTRATED, ABUSIVE)
NEGATIVE = "negative"
NOT_NEGATIVE = "not_negative"
VALENCES: tuple[str, ...] = (NEGATIVE, NOT_NEGATIVE)

TONE_KEY = "tone"
LABEL_KEY = "label"
VALENCE_KEY = "valence"
EXAMPLES_KEY = "examples"
EXAMPLE_PREFIX = "- "
YAML_SUFFIXES = (".yml", ".yaml")


class ToneDataError(ValueError):
    """A tone data file is malformed; the message names the file and line to fix."""


@dataclass(frozen=True)
class ToneExample:
    text: str
    label: str
    source: str  # "path:line", so trainers can find the line that a wrong prediction came from
    valence: str = ""  # empty: the label's default (see default_valence)
    valence_given: bool = False  # the block said `valence:`; held-out valence figures count only these and anger

    def __post_init__(self) -> None:
        if not self.valence:
            object.__setattr__(self, "valence", default_valence(self.label))


def default_valence(label: str) -> str:
    """Anger reports something bad by definition; a calm message only when its block says so."""
    return NOT_NEGATIVE if label == CALM else NEGATIVE


def tone_data_files(path: str | Path) -> list[Path]:
    """The YAML files that make up a tone data set: one file, or every YAML file below a directory."""
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise ToneDataError(f"{root}: no such tone data file or directory")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES)


def load_tone_examples(path: str | Path) -> list[ToneExample]:
    """All examples from `path` (file or directory), validated; raises ToneDataError naming file and line."""
    examples: list[ToneExample] = []
    for file in tone_data_files(path):
        examples.extend(_examples_in_file(file))
    if not examples:
        raise ToneDataError(f"{path}: no tone examples found (expected YAML files with a `{TONE_KEY}:` key)")
    _reject_conflicting_labels(examples)
    return examples


def content_fingerprint(path: str | Path) -> str:
    """Hash of the data files' names and contents: changes exactly when retraining is needed."""
    digest = hashlib.sha256()
    root = Path(path)
    for file in tone_data_files(root):
        name = file.name if root.is_file() else str(file.relative_to(root))
        digest.update(name.encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _examples_in_file(file: Path) -> list[ToneExample]:
    try:
        document = yaml.compose(file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ToneDataError(f"{file}: not valid YAML: {error}") from error
    if document is None:
        return []
    if not isinstance(document, yaml.MappingNode):
        raise ToneDataError(f"{file}:{_line(document)}: expected a mapping with a `{TONE_KEY}:` key")
    blocks = _mapping_value(document, TONE_KEY)
    if blocks is None:
        # Other YAML files (e.g. notes) may live next to the data; only `tone:` files count.
        return []
    if not isinstance(blocks, yaml.SequenceNode):
        raise ToneDataError(f"{file}:{_line(blocks)}: `{TONE_KEY}:` must be a list of label blocks")
    examples: list[ToneExample] = []
    for block in blocks.value:
        examples.extend(_examples_in_block(file, block))
    return examples


def _examples_in_block(file: Path, block: yaml.Node) -> Iterable[ToneExample]:
    if not isinstance(block, yaml.MappingNode):
        raise ToneDataError(f"{file}:{_line(block)}: each entry needs `{LABEL_KEY}:` and `{EXAMPLES_KEY}:`")
    label_node = _mapping_value(block, LABEL_KEY)
    examples_node = _mapping_value(block, EXAMPLES_KEY)
    if label_node is None or examples_node is None:
        raise ToneDataError(f"{file}:{_line(block)}: each entry needs `{LABEL_KEY}:` and `{EXAMPLES_KEY}:`")
    label = label_node.value if isinstance(label_node, yaml.ScalarNode) else None
    if label not in TONE_LABELS:
        raise ToneDataError(
            f"{file}:{_line(label_node)}: unknown tone label {label!r}; use one of {', '.join(TONE_LABELS)}"
        )
    valence_node = _mapping_value(block, VALENCE_KEY)
    valence = default_valence(label)
    if valence_node is not None:
        valence = valence_node.value if isinstance(valence_node, yaml.ScalarNode) else None
        if valence not in VALENCES:
            raise ToneDataError(
                f"{file}:{_line(valence_node)}: unknown valence {valence!r}; use one of {', '.join(VALENCES)}"
            )
    if not isinstance(examples_node, yaml.ScalarNode):
        raise ToneDataError(f"{file}:{_line(examples_node)}: `{EXAMPLES_KEY}:` must be a `|` block of lines")
    # A `|` block starts on the line after its indicator; plain scalars start on their own line.
    first_line = _line(examples_node) + (1 if examples_node.style == "|" else 0)
    for offset, raw in enumerate(examples_node.value.split("\n")):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith(EXAMPLE_PREFIX.strip()):
            raise ToneDataError(f"{file}:{first_line + offset}: example must start with '{EXAMPLE_PREFIX}'")
        text = line[1:].strip()
        if not text:
            raise ToneDataError(f"{file}:{first_line + offset}: empty example")
        yield ToneExample(
            text=text,
            label=label,
            source=f"{file}:{first_line + offset}",
            valence=valence,
            valence_given=valence_node is not None,
        )


def _reject_conflicting_labels(examples: list[ToneExample]) -> None:
    seen: dict[str, ToneExample] = {}
    for example in examples:
        key = example.text.casefold()
        earlier = seen.setdefault(key, example)
        if earlier.label != example.label:
            raise ToneDataError(
                f"{example.source}: {example.text!r} is labelled {example.label!r} here "
                f"but {earlier.label!r} at {earlier.source}"
            )


def _mapping_value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
