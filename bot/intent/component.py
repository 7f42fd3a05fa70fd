"""Rasa glue for the intent model: trained by `rasa train` from the NLU data, sets `intent` and `intent_ranking`.

config.yml:  - name: bot.intent.component.IntentClassifier
It needs only a tokenizer before it (the model builds its own n-gram features), and the FallbackClassifier after it.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier as RasaIntentClassifier
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import ngrams
from bot.intent import model
from bot.intent.model import IntentModel, IntentModelConfig

logger = logging.getLogger(__name__)

# Rasa hashes only this class's own source to decide whether to retrain; the model lives in these modules.
_MODEL_SOURCES = (model, ngrams)
NO_INTENT = {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}


class IntentClassifierError(RasaException):
    """The intent model cannot train (fewer than two intents) or load (missing or unreadable files)."""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(GraphComponent, RasaIntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = IntentModelConfig()
        return {name: getattr(defaults, name) for name in IntentModelConfig.__dataclass_fields__} | {
            "ranking_length": LABEL_RANKING_LENGTH,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "numpy", "scipy"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        digest = hashlib.sha256()
        for module in _MODEL_SOURCES:
            digest.update(Path(module.__file__).read_bytes())
        return digest.hexdigest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 intent_model: Optional[IntentModel] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = intent_model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "IntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        try:
            self._model = IntentModel.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples],
                                          IntentModelConfig.from_mapping(self._config))
        except ValueError as error:
            raise IntentClassifierError(f"Cannot train the intent classifier: {error}") from error
        logger.info("Trained the intent classifier on %d examples of %d intents (temperature %.2f).",
                    len(examples), len(self._model.labels), self._model.temperature)
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "IntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                intent_model = IntentModel.load(directory)
        except (ValueError, OSError, KeyError) as error:
            # Rasa loads a component that was never trained (no NLU data) the same way: it then predicts nothing.
            logger.warning("No trained intent model in %s (%s); no intents will be predicted.", resource.name, error)
            intent_model = None
        return cls(config, model_storage, resource, intent_model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if self._model is None or not text:
                message.set(INTENT, dict(NO_INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            ranking = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                       for name, confidence in self._model.rank(text)[: self._config["ranking_length"]]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
