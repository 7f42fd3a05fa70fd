from pathlib import Path

import pytest

from bot.tone.data import ToneDataError, content_fingerprint, load_tone_examples

pytestmark = pytest.mark.unit

VALID = """version: "3.1"
tone:
- label: calm
  examples: |
    - Wo ist mein Paket?
    - Danke!
- label: abusive
  examples: |
    - Ihr Idioten
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_examples_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "tone.yml", VALID)
    examples = load_tone_examples(tmp_path)
    assert [(e.text, e.label) for e in examples] == [
        ("Wo ist mein Paket?", "calm"), ("Danke!", "calm"), ("Ihr Idioten", "abusive")
    ]
    assert examples[0].source == f"{path}:5"
    assert examples[2].source == f"{path}:9"


def test_unknown_label_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yml", VALID.replace("label: abusive", "label: angry"))
    with pytest.raises(ToneDataError, match=rf"{path.name}:7: unknown tone label 'angry'"):
        load_tone_examples(tmp_path)


def test_example_without_dash_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.yml", VALID.replace("    - Danke!", "    Danke!"))
    with pytest.raises(ToneDataError, match=r"bad.yml:6: example must start with"):
        load_tone_examples(tmp_path)


def test_same_text_with_two_labels_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", VALID)
    write(tmp_path, "b.yml", 'tone:\n- label: frustrated\n  examples: |\n    - wo ist mein paket?\n')
    with pytest.raises(ToneDataError, match=r"b.yml:4: .* labelled 'frustrated' here but 'calm' at .*a.yml:5"):
        load_tone_examples(tmp_path)


def test_entry_without_examples_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "bad.yml", "tone:\n- label: calm\n")
    with pytest.raises(ToneDataError, match=r"bad.yml:2: each entry needs"):
        load_tone_examples(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    write(tmp_path, "broken.yml", "tone: [\n")
    with pytest.raises(ToneDataError, match=r"broken.yml: not valid YAML"):
        load_tone_examples(tmp_path)


def test_directory_without_tone_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "nlu.yml", "nlu:\n- intent: greet\n  examples: |\n    - hallo\n")
    with pytest.raises(ToneDataError, match="no tone examples"):
        load_tone_examples(tmp_path)
    with pytest.raises(ToneDataError, match="no such"):
        load_tone_examples(tmp_path / "missing")


def test_fingerprint_changes_with_content_only(tmp_path: Path) -> None:
    path = write(tmp_path, "tone.yml", VALID)
    before = content_fingerprint(tmp_path)
    assert content_fingerprint(tmp_path) == before
    path.write_text(VALID + "    - Noch eins\n", encoding="utf-8")
    assert content_fingerprint(tmp_path) != before
