from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intent.component import IntentClassifier, IntentClassifierError
from tests.unit.bot.intent.test_model import EXAMPLES

pytestmark = pytest.mark.unit


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage.create(tmp_path)


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name="train_intents")


def training_data() -> TrainingData:
    return TrainingData([Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
                        + [Message({TEXT: "ohne Intent"})])


def test_trained_component_sets_intent_and_ranking(storage: LocalModelStorage, context: ExecutionContext) -> None:
    resource = Resource("train_intents")
    assert IntentClassifier.create({}, storage, resource, context).train(training_data()) == resource

    loaded = IntentClassifier.load({"ranking_length": 2}, storage, resource, context)
    messages = [Message({TEXT: "Wo ist mein Paket?"}), Message({TEXT: "Hallo zusammen"}), Message({TEXT: ""})]
    loaded.process(messages)

    assert messages[0].get(INTENT)["name"] == "order_status"
    assert messages[1].get(INTENT)["name"] == "greet"
    assert len(messages[0].get(INTENT_RANKING_KEY)) == 2
    assert messages[0].get(INTENT_RANKING_KEY)[0] == messages[0].get(INTENT)
    assert messages[2].get(INTENT) == {"name": None, "confidence": 0.0}
    assert INTENT in messages[0].as_dict(only_output_properties=True)


def test_training_without_two_intents_fails_clearly(storage: LocalModelStorage, context: ExecutionContext) -> None:
    trainer = IntentClassifier.create({}, storage, Resource("one_intent"), context)
    with pytest.raises(IntentClassifierError, match="at least two"):
        trainer.train(TrainingData([Message({TEXT: "Hallo", INTENT: "greet"})]))


def test_an_untrained_resource_loads_and_predicts_nothing(storage: LocalModelStorage, context: ExecutionContext) -> None:
    loaded = IntentClassifier.load({}, storage, Resource("never_trained"), context)
    message = Message({TEXT: "Wo ist mein Paket?"})
    loaded.process([message])
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}


def test_a_change_of_the_model_code_retrains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import bot.intent.component as component

    source = tmp_path / "model.py"
    source.write_text("A = 1\n")
    monkeypatch.setattr(component, "_MODEL_SOURCES", (types.SimpleNamespace(__file__=str(source)),))
    before = IntentClassifier.fingerprint_addon({})
    source.write_text("A = 2\n")
    assert IntentClassifier.fingerprint_addon({}) != before
