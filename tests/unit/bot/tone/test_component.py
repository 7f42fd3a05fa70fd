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
    return {"training_data": str(tone_dir), "min_df": 1}


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
        assert set(tone) == {"score", "label", "cues", "negative"}
        assert 0.0 <= tone["score"] <= 1.0
        assert 0.0 <= tone["negative"] <= 1.0
        assert TONE in message.as_dict(only_output_properties=True)
    assert messages[0].get(TONE)["label"] == "abusive"
    assert {"caps", "exclamations", "insult"} <= set(messages[0].get(TONE)["cues"])
    assert messages[2].get(TONE) == {"score": 0.0, "label": "calm", "cues": [], "negative": 0.0}


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
