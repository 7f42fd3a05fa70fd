import numpy as np
import pytest

from bot.tone.calibration import MAX_FALSE_ALARMS, expected_calibration_error, fit_calibration, reliability_bins
from bot.tone.data import ToneExample
from bot.tone.model import Calibration, ToneModel, ToneModelConfig, evidence_weight, words_with_tone

pytestmark = pytest.mark.unit

TEXTS = [
    "Wo ist mein Paket?", "Wann kommt die Lieferung?", "Der Toaster ist leider kaputt.", "Danke für die Hilfe!",
    "Ja", "Ok", "Hallo", "Bis bald", "12345",
    "Ich warte seit drei Wochen!!!", "Zum dritten Mal: wo ist mein Geld?", "Toller Service, wirklich...",
    "Ich gehe zum Anwalt.", "Ihr Idioten!", "Scheißladen!", "Ihr Betrüger!!!", "Halt die Fresse, Bot.",
]
LABELS = ["calm"] * 9 + ["frustrated"] * 4 + ["abusive"] * 4
SPLIT = [ToneExample(t, label, "test") for t, label in [
    ("Kommt das Paket morgen?", "calm"), ("Danke schön", "calm"), ("Der Mixer ist kaputt.", "calm"),
    ("Nein", "calm"), ("Wie teuer ist der Versand?", "calm"), ("Super, danke", "calm"),
    ("Seit Wochen warte ich!!!", "frustrated"), ("Zum vierten Mal, wo bleibt mein Geld?", "frustrated"),
    ("Ihr Vollidioten!", "abusive"), ("Scheißservice!!!", "abusive"),
]]


@pytest.fixture(scope="module")
def model() -> ToneModel:
    return ToneModel.fit(TEXTS, LABELS, ToneModelConfig(min_df=1))


def test_calibration_is_monotonic_and_the_threshold_keeps_false_alarms_on_the_split(model: ToneModel) -> None:
    calibration = fit_calibration(model, SPLIT)
    assert calibration.apply(0.2) < calibration.apply(0.5) < calibration.apply(0.8)
    calibrated = model.with_calibration(calibration)
    calm = [e for e in SPLIT if e.label == "calm"]
    alarms = sum(calibrated.predict(e.text).label != "calm" for e in calm)
    assert alarms / len(calm) <= MAX_FALSE_ALARMS


def test_calibration_needs_both_kinds(model: ToneModel) -> None:
    with pytest.raises(ValueError, match="calm and frustrated"):
        fit_calibration(model, [e for e in SPLIT if e.label == "calm"])


def test_label_follows_the_calibrated_threshold(model: ToneModel) -> None:
    strict = model.with_calibration(Calibration(threshold=0.999))
    assert strict.predict("Ihr Idioten!").label == "calm"
    lenient = model.with_calibration(Calibration(threshold=0.0))
    assert lenient.predict("Wo ist mein Paket?").label != "calm"


def test_ids_and_short_messages_lean_on_the_prior() -> None:
    assert words_with_tone("NW-2026-118833") == 0
    assert words_with_tone("petra.kunz@gmx.de") == 0
    assert words_with_tone("Bestellnr 55120934") == 1
    assert evidence_weight("12345678", [], 4) == 0.0
    assert evidence_weight("Klar", [], 4) == 0.25
    assert evidence_weight("Idioten", ["insult"], 4) == 1.0
    assert evidence_weight("Das ist eine ganz normale Frage", [], 4) == 1.0


def test_an_id_alone_scores_like_short_training_messages(model: ToneModel) -> None:
    result = model.predict("55120934")
    prior = np.exp(model.short_prior) / np.exp(model.short_prior).sum()
    # No n-gram of the number counts: the label distribution of the short training messages decides.
    assert result.probabilities["calm"] == pytest.approx(prior[0], abs=1e-6)
    assert model.predict("77341209").probabilities == result.probabilities


def test_expected_calibration_error_and_bins() -> None:
    assert expected_calibration_error([0.0, 1.0], [False, True]) == 0.0
    assert expected_calibration_error([0.9, 0.9], [False, False]) == pytest.approx(0.9)
    bins = reliability_bins([0.05, 0.15, 0.95], [False, False, True])
    assert [(round(low, 1), count) for low, _, _, count in ((b[0], b[1], b[2], len(b[3])) for b in bins)] == [
        (0.0, 1), (0.1, 1), (0.9, 1)]
