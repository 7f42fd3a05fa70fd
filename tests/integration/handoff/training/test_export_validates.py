"""Exported annotations keep the project's training data valid for Rasa (what `rasa data validate` checks):
every intent is in the domain, no example repeats across intents, and Rasa's importer reads the new files."""
from __future__ import annotations

from pathlib import Path

import pytest

from handoff.training.export import plan_export, write_export
from handoff.training.project import copy_project, domain_intents

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]


def test_exported_examples_pass_rasas_validator(tmp_path):
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    project = copy_project(ROOT, tmp_path / "project")
    intents = domain_intents(project.domain)
    assert "order_status" in intents
    existing_greeting = "Hallo"  # assumed trained already: must come back as a duplicate or a conflict
    plan = plan_export(project, [
        {"id": "a1", "action": "correct", "intent": "order_status", "tone_label": None,
         "text": "Moin, mien Krams is jümmers noch nich bi mi ankommen, Bestellung [ORDER_NUMBER]"},
        {"id": "a2", "action": "confirm", "intent": "order_status", "tone_label": None, "text": existing_greeting},
        {"id": "a3", "action": "tone", "intent": None, "tone_label": "frustrated",
         "text": "Jetzt reicht es mir langsam mit eurem Laden, [NAME]!"},
    ])
    write_export(plan)
    assert [a["text"] for a in plan.added][0].startswith("Moin, mien Krams")
    assert existing_greeting in [d["text"] for d in plan.duplicates + plan.conflicts]

    importer = TrainingDataImporter.load_from_config(str(project.config), str(project.domain),
                                                     [str(project.data_dir)])
    validator = Validator.from_importer(importer)
    assert validator.verify_intents(ignore_warnings=False)
    assert validator.verify_example_repetition_in_intents(ignore_warnings=False)
    texts = {(m.get("text"), m.get("intent")) for m in importer.get_nlu_data().intent_examples}
    assert ("Moin, mien Krams is jümmers noch nich bi mi ankommen, Bestellung [ORDER_NUMBER]",
            "order_status") in texts

    from bot.tone.data import load_tone_examples

    tone = {(e.text, e.label) for e in load_tone_examples(project.tone_dir)}
    assert ("Jetzt reicht es mir langsam mit eurem Laden, [NAME]!", "frustrated") in tone
