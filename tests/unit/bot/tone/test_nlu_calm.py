from pathlib import Path

import pytest

from bot.tone.data import ToneExample
from bot.tone.nlu_calm import load_nlu_calm, merge, strip_annotations

pytestmark = pytest.mark.unit

NLU = """version: "3.1"
nlu:
- intent: order_status
  examples: |
    - Wo ist [NW-482913](order_number)?
    - Status von [123456]{"entity": "order_number"}
- intent: complaint
  examples: |
    - Das ist eine Frechheit
- intent: not_helped
  examples: |
    - Geht immer noch nicht
- regex: order_number
  examples: |
    - \\b\\d{6}\\b
- intent: thank
  examples: |
    - Danke!!
"""


def test_strip_annotations() -> None:
    assert strip_annotations("Wo ist [NW-482913](order_number)?") == "Wo ist NW-482913?"
    assert strip_annotations('Nr [12](order_number:12) und [x]{"entity": "e"}') == "Nr 12 und x"


def test_intent_examples_become_calm_except_mixed_tone_intents(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    (tmp_path / "notes.yml").write_text("just: notes\n", encoding="utf-8")
    examples = load_nlu_calm(tmp_path)
    assert [e.text for e in examples] == ["Wo ist NW-482913?", "Status von 123456", "Danke!!"]
    assert {e.label for e in examples} == {"calm"}
    assert examples[0].source.endswith("intent order_status")


def test_labelled_tone_data_wins_and_nothing_is_doubled() -> None:
    labelled = [ToneExample("Danke!!", "frustrated", "tone.yml:3")]
    nlu = [ToneExample("danke!!", "calm", "nlu"), ToneExample("Hallo", "calm", "nlu"), ToneExample("hallo", "calm", "nlu")]
    merged = merge(labelled, nlu)
    assert [(e.text, e.label) for e in merged] == [("Danke!!", "frustrated"), ("Hallo", "calm")]


def test_problem_report_intents_are_calm_with_negative_valence(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(
        'nlu:\n- intent: damaged_item\n  examples: |\n    - Die Tasse kam zerbrochen an\n'
        '- intent: payment_methods\n  examples: |\n    - Nehmt ihr Visa?\n', encoding="utf-8")
    damaged, visa = load_nlu_calm(tmp_path)
    assert (damaged.label, damaged.valence) == ("calm", "negative")
    assert (visa.label, visa.valence) == ("calm", "not_negative")
