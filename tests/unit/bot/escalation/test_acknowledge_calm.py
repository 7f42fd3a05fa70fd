"""Acknowledgements on real messages (issue 17): the shipped tone model and the real domain's variations.

Calm held-out messages (tests/tone/calm_holdout.yml: thanks, short answers, IDs, questions about the bot,
neutral fault reports) must almost never earn one; frustrated ones mostly do; and a variation that names a cause
(waiting, writing again, "immer noch", disappointment) is said only when the message named it.
"""
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.escalation.acknowledge import CUE_WORD_STARTS, choose_acknowledgement, should_acknowledge
from bot.tone.data import CALM, load_tone_examples
from bot.tone.model import ToneModel
from bot.tone.training import train_tone_model

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[4]
HELD_OUT = ROOT / "tests" / "tone"
MAX_CALM_ACKNOWLEDGED = 0.02
MIN_ANGRY_ACKNOWLEDGED = 0.75


@pytest.fixture(scope="module")
def model() -> ToneModel:
    trained, _ = train_tone_model(ROOT / "data" / "tone", nlu_path=ROOT / "data" / "nlu",
                                  calibration_path=ROOT / "tests" / "tone_holdout.yml")
    return trained


@pytest.fixture(scope="module")
def variations() -> list[str]:
    domain = YAML(typ="safe").load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [v["text"] for v in domain["responses"]["utter_ack_frustration"]]


def _acknowledged(model: ToneModel, text: str) -> bool:
    result = model.predict(text)
    return should_acknowledge(result.cues, result.score)


def test_calm_messages_almost_never_earn_an_acknowledgement(model: ToneModel) -> None:
    calm = [e.text for e in load_tone_examples(HELD_OUT) if e.label == CALM]
    acknowledged = [text for text in calm if _acknowledged(model, text)]
    assert len(calm) >= 400
    assert len(acknowledged) / len(calm) <= MAX_CALM_ACKNOWLEDGED, acknowledged


def test_frustrated_and_abusive_messages_mostly_do(model: ToneModel) -> None:
    angry = [e.text for e in load_tone_examples(HELD_OUT) if e.label != CALM]
    share = sum(_acknowledged(model, text) for text in angry) / len(angry)
    assert share >= MIN_ANGRY_ACKNOWLEDGED


def test_no_variation_names_a_cause_the_message_did_not(model: ToneModel, variations: list[str]) -> None:
    causes = {cue: re.compile("|".join(rf"\b{re.escape(s)}" for s in starts), re.IGNORECASE)
              for cue, starts in CUE_WORD_STARTS.items()}
    for index, example in enumerate(load_tone_examples(HELD_OUT)):
        result = model.predict(example.text)
        if not should_acknowledge(result.cues, result.score):
            continue
        chosen = choose_acknowledgement(variations, f"conversation-{index}", index, cues=result.cues)
        assert chosen in variations
        for cue, pattern in causes.items():
            if pattern.search(chosen):
                assert cue in result.cues, (example.text, chosen)


def test_every_variation_is_reachable(variations: list[str]) -> None:
    reachable = {choose_acknowledgement(variations, f"c{n}", turn, cues=[cue])
                 for n in range(30) for turn in range(4) for cue in (*CUE_WORD_STARTS, "insult")}
    assert reachable == set(variations)
