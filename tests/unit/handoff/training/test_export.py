import pytest
import yaml

from handoff.training.export import normalized, plan_export, unified_patch, write_export
from handoff.training.project import Project

pytestmark = pytest.mark.unit

NLU = """version: "3.1"
nlu:
- intent: order_status
  examples: |
    - Wo ist meine Bestellung [NW-123456](order_number)?
    - Wann kommt mein Paket
- intent: greet
  examples: |
    - Hallo
"""
TONE = """version: "3.1"
tone:
- label: frustrated
  examples: |
    - Das dauert ja ewig!!!
"""


@pytest.fixture
def project(tmp_path) -> Project:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "data" / "tone").mkdir()
    (tmp_path / "data" / "nlu" / "orders.yml").write_text(NLU, encoding="utf-8")
    (tmp_path / "data" / "tone" / "frustrated.yml").write_text(TONE, encoding="utf-8")
    return Project.at(tmp_path)


def annotation(id, text, action="correct", intent=None, tone_label=None):
    return {"id": id, "text": text, "action": action, "intent": intent, "tone_label": tone_label}


def test_new_examples_go_to_separate_files_as_valid_rasa_yaml(project):
    plan = plan_export(project, [
        annotation("a1", "Moin, wo bleibt mien Krams?", intent="order_status"),
        annotation("a2", "Ihr seid so langsam, unfassbar", action="tone", tone_label="frustrated"),
    ])
    write_export(plan)
    nlu = yaml.safe_load(project.annotated_nlu.read_text(encoding="utf-8"))
    assert nlu["nlu"] == [{"intent": "order_status", "examples": "- Moin, wo bleibt mien Krams?\n"}]
    tone = yaml.safe_load(project.annotated_tone.read_text(encoding="utf-8"))
    assert tone["tone"] == [{"label": "frustrated", "examples": "- Ihr seid so langsam, unfassbar\n"}]
    assert plan.exported_ids == ["a1", "a2"]
    assert (project.root / "data" / "nlu" / "orders.yml").read_text(encoding="utf-8") == NLU


def test_duplicates_of_any_existing_example_and_conflicts_are_skipped_and_reported(project):
    plan = plan_export(project, [
        annotation("a1", "wann  kommt mein PAKET", intent="order_status"),  # duplicate: case, spaces
        annotation("a2", "Wo ist meine Bestellung NW-123456?", intent="order_status"),  # markup text
        annotation("a3", "Hallo", intent="order_status"),                               # conflict with greet
        annotation("a4", "Das dauert ja ewig!!!", action="tone", tone_label="calm"),   # tone conflict
    ])
    assert [d["text"] for d in plan.duplicates] == [
        "wann kommt mein PAKET", "Wo ist meine Bestellung NW-123456?"]
    assert [(c["text"], c["existing_label"]) for c in plan.conflicts] == [
        ("Hallo", "greet"), ("Das dauert ja ewig!!!", "frustrated")]
    assert plan.added == [] and all(f.after == f.before for f in plan.files)


def test_a_second_export_merges_into_the_annotated_file_without_repeating(project):
    first = [annotation("a1", "Moin, wo bleibt mien Krams?", intent="order_status")]
    write_export(plan_export(project, first))
    plan = plan_export(project, [annotation("a2", "Moin, wo bleibt mien Krams?", intent="order_status"),
                                 annotation("a3", "Servus beinand", intent="greet")])
    write_export(plan)
    nlu = yaml.safe_load(project.annotated_nlu.read_text(encoding="utf-8"))
    assert nlu["nlu"] == [{"intent": "greet", "examples": "- Servus beinand\n"},
                          {"intent": "order_status", "examples": "- Moin, wo bleibt mien Krams?\n"}]


def test_the_patch_shows_the_change_without_writing(project):
    plan = plan_export(project, [annotation("a1", "Moin, wo bleibt mien Krams?", intent="order_status")])
    patch = unified_patch(project, plan)
    assert "+++ b/data/nlu/annotated.yml" in patch and "+    - Moin, wo bleibt mien Krams?" in patch
    assert not project.annotated_nlu.exists()


def test_dismissed_and_empty_annotations_are_not_training_data(project):
    plan = plan_export(project, [annotation("a1", None, action="dismiss")])
    assert plan.added == [] and plan.exported_ids == []


def test_normalized_ignores_entity_markup_case_and_spacing():
    assert normalized("Wo ist  [NW-123456](order_number)") == normalized("wo ist NW-123456")
