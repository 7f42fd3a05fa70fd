from pathlib import Path

import numpy as np
import pytest

from bot.tone import valence
from bot.tone.data import NEGATIVE, NOT_NEGATIVE, ToneDataError, load_tone_examples
from bot.tone.model import ToneModel, ToneModelConfig

pytestmark = pytest.mark.unit

CALM_REPORTS = [
    "Der Toaster ist leider kaputt angekommen.", "Die Lieferung verspätet sich um zwei Tage.",
    "Die App zeigt eine Störung an.", "Es fehlt ein Teller aus dem Set.",
]
CALM_QUESTIONS = ["Wo ist mein Paket?", "Danke für die schnelle Hilfe!", "Liefert ihr nach Wien?", "Alles gut, danke."]
ANGRY = ["Ich warte seit drei Wochen!!!", "Zum dritten Mal: wo ist mein Geld?", "Ihr Idioten!", "Scheißladen!"]
TEXTS = CALM_REPORTS + CALM_QUESTIONS + ANGRY
LABELS = ["calm"] * 8 + ["frustrated", "frustrated", "abusive", "abusive"]
VALENCES = [NEGATIVE] * 4 + [NOT_NEGATIVE] * 4 + [NEGATIVE] * 4

VALENCE_DATA = """version: "3.1"
tone:
- label: calm
  valence: negative
  examples: |
    - Der Toaster ist leider kaputt.
- label: calm
  examples: |
    - Wo ist mein Paket?
- label: frustrated
  examples: |
    - Ich warte seit Wochen!!!
"""


@pytest.fixture(scope="module")
def model() -> ToneModel:
    return ToneModel.fit(TEXTS, LABELS, ToneModelConfig(min_df=1), valences=VALENCES)


def test_features_have_one_value_per_name_within_0_and_1() -> None:
    vector = valence.features("Leider kaputt, leider, leider, LEIDER!!! Danke 🙂")
    assert vector.shape == (len(valence.FEATURE_NAMES),)
    assert ((vector >= 0) & (vector <= 1)).all()
    assert vector[valence.FEATURE_NAMES.index("displeasure")] == 1.0  # capped, however often it is said


def test_calm_problem_report_is_negative_but_not_frustrated(model: ToneModel) -> None:
    result = model.predict("Das Paket ist leider beschädigt angekommen.")
    assert result.negative > model.predict("Vielen Dank, alles super!").negative
    assert model.is_negative(result)


def test_valence_survives_the_file_round_trip(model: ToneModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    loaded = ToneModel.load(tmp_path)
    for text in TEXTS:
        assert loaded.predict(text).negative == pytest.approx(model.predict(text).negative)
    assert np.allclose(loaded.valence_coef, model.valence_coef)


def test_valence_defaults_to_the_label_and_a_block_can_override_it(tmp_path: Path) -> None:
    (tmp_path / "tone.yml").write_text(VALENCE_DATA, encoding="utf-8")
    examples = load_tone_examples(tmp_path)
    assert [(e.label, e.valence, e.valence_given) for e in examples] == [
        ("calm", NEGATIVE, True), ("calm", NOT_NEGATIVE, False), ("frustrated", NEGATIVE, False)
    ]


def test_unknown_valence_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(VALENCE_DATA.replace("valence: negative", "valence: sad"), encoding="utf-8")
    with pytest.raises(ToneDataError, match=rf"{path.name}:4: unknown valence 'sad'"):
        load_tone_examples(tmp_path)


def test_fit_needs_both_valences() -> None:
    with pytest.raises(ValueError, match="both"):
        valence.fit(TEXTS[:2], [NEGATIVE, NEGATIVE], 1.0, 7)


def test_a_model_saved_before_the_valence_score_still_loads(model: ToneModel, tmp_path: Path) -> None:
    values = model.to_dict()
    values["format_version"] = 1
    del values["valence_coef"], values["valence_intercept"]
    old = ToneModel.from_dict(values)
    old.save(tmp_path)
    result = ToneModel.load(tmp_path).predict("Der Toaster ist leider kaputt.")
    assert result.negative == 0.0
    assert result.label == model.predict("Der Toaster ist leider kaputt.").label
