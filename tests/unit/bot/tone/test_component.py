from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.data import TrainingType
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.tone.component import TONE, ToneScorer, ToneScorerError

pytestmark = pytest.mark.unit

COMPONENT_NAME = "bot.tone.component.ToneScorer"
TONE_DATA = """version: "3.1"
tone:
- label: calm
  examples: |
    - Wo ist mein Paket?
    - Wann kommt die Lieferung?
    - Mein Toaster ist leider kaputt.
    - Danke für die Hilfe!
- label: frustrated
  examples: |
    - Ich warte seit drei Wochen!!!
    - Zum dritten Mal, wo ist mein Geld?
    - Toller Service, wirklich...
    - Ich gehe zum Anwalt.
- label: abusive
  examples: |
    - Ihr Idioten!
    - Scheißladen!
    - Ihr Betrüger!!!
    - Halt die Fresse, Bot.
"""


@pytest.fixture
def tone_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "tone"
    directory.mkdir()
    (directory / "tone.yml").write_text(TONE_DATA, encoding="utf-8")
    return directory


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage.create(tmp_path)


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name="train_tone")


def config_for(tone_dir: Path) -> dict:
    # The tiny data set alone: no NLU examples as calm, no calibration split (each has its own test below).
    return {"training_data": str(tone_dir), "min_df": 1, "calm_nlu_data": None, "calibration_data": None}


def test_trained_component_sets_tone_on_every_message(
    tone_dir: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    resource = Resource("train_tone")
    trainer = ToneScorer.create(config_for(tone_dir), storage, resource, context)
    assert trainer.train(TrainingData()) == resource

    loaded = ToneScorer.load(config_for(tone_dir), storage, resource, context)
    messages = [Message({TEXT: "IHR IDIOTEN!!!"}), Message({TEXT: "Wo ist mein Paket?"}), Message({TEXT: "/greet"})]
    loaded.process(messages)

    for message in messages:
        tone = message.get(TONE)
        assert set(tone) == {"score", "label", "cues", "negative", "positive"}
        assert 0.0 <= tone["score"] <= 1.0
        assert 0.0 <= tone["negative"] <= 1.0
        assert TONE in message.as_dict(only_output_properties=True)
    assert messages[0].get(TONE)["label"] == "abusive"
    assert {"caps", "exclamations", "insult"} <= set(messages[0].get(TONE)["cues"])
    assert messages[2].get(TONE) == {"score": 0.0, "label": "calm", "cues": [], "negative": 0.0, "positive": False}


NLU_DATA = """version: "3.1"
nlu:
- intent: thank
  examples: |
    - Perfekt, danke!!
    - Vielen Dank
- intent: order_status
  examples: |
    - Wo ist Bestellung [NW-482913](order_number)?
- intent: complaint
  examples: |
    - Das ist eine Frechheit
"""
CALIBRATION_DATA = """version: "3.1"
tone:
- label: calm
  examples: |
    - Kommt das Paket morgen?
    - Danke schön
    - Der Mixer ist kaputt angekommen.
- label: frustrated
  examples: |
    - Seit drei Wochen warte ich!!!
    - Zum vierten Mal, wo bleibt mein Geld?
- label: abusive
  examples: |
    - Ihr Vollidioten!
"""


def test_nlu_examples_train_as_calm_and_the_calibration_split_sets_the_threshold(
    tone_dir: Path, tmp_path: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    (tmp_path / "nlu.yml").write_text(NLU_DATA, encoding="utf-8")
    (tmp_path / "calibration.yml").write_text(CALIBRATION_DATA, encoding="utf-8")
    config = {**config_for(tone_dir), "calm_nlu_data": str(tmp_path / "nlu.yml"),
              "calibration_data": str(tmp_path / "calibration.yml")}
    resource = Resource("train_tone_full")
    ToneScorer.create(config, storage, resource, context).train(TrainingData())
    loaded = ToneScorer.load(config, storage, resource, context)
    model = loaded._tone_model
    assert model is not None
    assert model.calibration.slope != 1.0 or model.calibration.offset != 0.0
    [thanks] = loaded.process([Message({TEXT: "Perfekt, danke!!"})])
    assert thanks.get(TONE)["label"] == "calm"
    assert thanks.get(TONE)["positive"] is True


def test_a_missing_calibration_split_fails_clearly(
    tone_dir: Path, tmp_path: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    config = {**config_for(tone_dir), "calibration_data": str(tmp_path / "nowhere.yml")}
    with pytest.raises(ToneScorerError, match="nowhere"):
        ToneScorer.create(config, storage, Resource("t"), context).train(TrainingData())


def test_training_without_tone_data_fails_clearly(
    tmp_path: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    component = ToneScorer.create({"training_data": str(tmp_path / "missing")}, storage, Resource("t"), context)
    with pytest.raises(ToneScorerError, match="missing"):
        component.train(TrainingData())


def test_loading_an_untrained_resource_fails_clearly(storage: LocalModelStorage, context: ExecutionContext) -> None:
    with pytest.raises(ToneScorerError, match="never_trained"):
        ToneScorer.load({}, storage, Resource("never_trained"), context)


def test_fingerprint_changes_when_the_tone_data_changes(tone_dir: Path) -> None:
    before = ToneScorer.fingerprint_addon(config_for(tone_dir))
    assert ToneScorer.fingerprint_addon(config_for(tone_dir)) == before
    (tone_dir / "more.yml").write_text("tone:\n- label: calm\n  examples: |\n    - Hallo\n", encoding="utf-8")
    assert ToneScorer.fingerprint_addon(config_for(tone_dir)) != before


def test_recipe_trains_and_runs_the_component_in_the_nlu_graph(tone_dir: Path) -> None:
    config = {
        "recipe": "default.v1",
        "language": "de",
        "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": COMPONENT_NAME, **config_for(tone_dir)}],
    }
    graphs = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    train_node = graphs.train_schema.nodes[f"train_{COMPONENT_NAME}1"]
    predict_node = graphs.predict_schema.nodes[f"run_{COMPONENT_NAME}1"]
    assert train_node.uses is ToneScorer and train_node.fn == "train"
    assert predict_node.uses is ToneScorer and predict_node.fn == "process"
    assert predict_node.resource == Resource(f"train_{COMPONENT_NAME}1")
