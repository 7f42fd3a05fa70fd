from pathlib import Path

import numpy as np
import pytest

from bot.intent.model import IntentModel, IntentModelConfig

pytestmark = pytest.mark.unit

EXAMPLES = {
    "order_status": ["Wo ist mein Paket?", "Wann kommt meine Bestellung?", "Status meiner Lieferung bitte",
                     "Ist mein Paket schon unterwegs?", "Sendungsverfolgung für meine Bestellung",
                     "Meine Bestellung ist noch nicht da"],
    "return_item": ["Ich möchte etwas zurückschicken", "Wie funktioniert die Rücksendung?",
                    "Retoure anmelden", "Kann ich den Artikel zurückgeben?", "Rücksendeetikett bitte",
                    "Ich will die Schuhe zurückgeben"],
    "greet": ["Hallo", "Guten Tag", "Hi", "Moin", "Servus", "Guten Morgen"],
}


def fitted(**config: object) -> IntentModel:
    texts = [text for examples in EXAMPLES.values() for text in examples]
    intents = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    return IntentModel.fit(texts, intents, IntentModelConfig(**config))


def test_ranks_every_intent_with_confidences_that_sum_to_one() -> None:
    model = fitted()
    ranking = model.rank("wo bleibt mein paket")
    assert [name for name, _ in ranking][0] == "order_status"
    assert sorted(name for name, _ in ranking) == sorted(EXAMPLES)
    confidences = [confidence for _, confidence in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_typos_and_missing_umlauts_are_understood() -> None:
    model = fitted()
    assert model.rank("ich moechte den artikel zuruckgeben")[0][0] == "return_item"
    assert model.rank("HALLOOO")[0][0] == "greet"


def test_text_without_any_known_ngram_gets_a_low_confidence() -> None:
    model = fitted()
    top_known = model.rank("Wo ist mein Paket?")[0][1]
    top_unknown = model.rank("xqzv jjjw")[0][1]
    assert top_unknown < 0.6 < top_known


def test_temperature_is_fitted_by_cross_validation_and_falls_back_for_tiny_data() -> None:
    assert fitted().temperature != IntentModelConfig().default_temperature
    tiny = IntentModel.fit(["Hallo", "Wo ist mein Paket?"], ["greet", "order_status"])
    assert tiny.temperature == IntentModelConfig().default_temperature
    assert tiny.rank("Hallo")[0][0] == "greet"


def test_two_intents_give_two_opposite_score_rows() -> None:
    texts = EXAMPLES["greet"] + EXAMPLES["return_item"]
    model = IntentModel.fit(texts, ["greet"] * 6 + ["return_item"] * 6)
    assert model.coef.shape[0] == 2
    assert model.rank("Guten Tag")[0][0] == "greet"
    assert model.rank("Rücksendung")[0][0] == "return_item"


def test_refuses_data_with_fewer_than_two_intents() -> None:
    with pytest.raises(ValueError):
        IntentModel.fit(["Hallo", "Hi"], ["greet", "greet"])
    with pytest.raises(ValueError):
        IntentModel.fit(["Hallo"], ["greet", "greet"])


def test_saved_model_loads_with_the_same_predictions(tmp_path: Path) -> None:
    model = fitted()
    model.save(tmp_path)
    loaded = IntentModel.load(tmp_path)
    for text in ("Wo ist mein Paket?", "Retoure", "Moin moin", ""):
        assert [n for n, _ in loaded.rank(text)] == [n for n, _ in model.rank(text)]
        assert np.allclose([c for _, c in loaded.rank(text)], [c for _, c in model.rank(text)])


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    fitted().save(tmp_path)
    path = tmp_path / "intent_model.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"format_version": 1', '"format_version": 99'),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        IntentModel.load(tmp_path)
