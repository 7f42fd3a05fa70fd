"""Rasa glue for the tone scorer: trains from data/tone during `rasa train`, adds `tone` to every parse.

config.yml:  - name: bot.tone.component.ToneScorer
               training_data: data/tone
               calm_nlu_data: data/nlu                  # NLU examples are calm tone examples (null: off)
               calibration_data: tests/tone_holdout.yml  # held-out split for calibration (null: none)
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
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import ngrams
from bot.tone import calibration, cues, data, lexicon, model, nlu_calm, training, valence
from bot.tone.data import ToneDataError, content_fingerprint
from bot.tone.model import CALM_RESULT, ToneModel, ToneModelConfig
from bot.tone.training import train_tone_model

logger = logging.getLogger(__name__)

TONE = "tone"
TRAINING_DATA_KEY = "training_data"
DEFAULT_TRAINING_DATA = "data/tone"
CALM_NLU_KEY = "calm_nlu_data"
DEFAULT_CALM_NLU = "data/nlu"
CALIBRATION_KEY = "calibration_data"
DEFAULT_CALIBRATION = "tests/tone_holdout.yml"
# Source files whose changes must retrain the component (Rasa only hashes this class's own source).
_MODEL_SOURCES = (ngrams, calibration, cues, data, lexicon, model, nlu_calm, training, valence)


class ToneScorerError(RasaException):
    """The tone scorer cannot train or load (missing or malformed data, missing model files)."""


# Registered as an intent classifier because that is the recipe's slot for trainable components that
# annotate messages after featurization; it sets `tone`, never `intent`.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ToneScorer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = ToneModelConfig()
        return {
            TRAINING_DATA_KEY: DEFAULT_TRAINING_DATA,
            CALM_NLU_KEY: DEFAULT_CALM_NLU,
            CALIBRATION_KEY: DEFAULT_CALIBRATION,
            "short_message_words": defaults.short_message_words,
            "char_ngram_min": defaults.char_ngram_min,
            "char_ngram_max": defaults.char_ngram_max,
            "word_ngram_max": defaults.word_ngram_max,
            "min_df": defaults.min_df,
            "cue_weight": defaults.cue_weight,
            "regularization": defaults.regularization,
            "max_iter": defaults.max_iter,
            "random_seed": defaults.random_seed,
            "valence_regularization": defaults.valence_regularization,
            "valence_threshold": defaults.valence_threshold,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "numpy"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the tone data files or the model code change, not only when the NLU data does."""
        merged = {**cls.get_default_config(), **config}
        digest = hashlib.sha256()
        for key in (TRAINING_DATA_KEY, CALM_NLU_KEY, CALIBRATION_KEY):
            if merged.get(key) is None:
                continue
            try:
                digest.update(content_fingerprint(merged[key]).encode())
            except ToneDataError:
                digest.update(f"missing {key}".encode())  # train() then fails with a clear message
        for module in _MODEL_SOURCES:
            digest.update(Path(module.__file__).read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        tone_model: Optional[ToneModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._tone_model = tone_model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ToneScorer":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains on the `tone:` files at `training_data` plus the NLU files at `calm_nlu_data` (as calm), then
        calibrates on `calibration_data` (a held-out split, never trained on)."""
        path = Path(self._config[TRAINING_DATA_KEY])
        nlu = self._config.get(CALM_NLU_KEY)
        held_out = self._config.get(CALIBRATION_KEY)
        try:
            self._tone_model, examples = train_tone_model(
                path, ToneModelConfig.from_mapping(self._config), nlu_path=nlu, calibration_path=held_out
            )
        except (ToneDataError, ValueError) as error:
            raise ToneScorerError(f"Cannot train the tone scorer: {error}") from error
        logger.info("Trained the tone scorer on %d examples from %s.", len(examples), path)
        with self._model_storage.write_to(self._resource) as directory:
            self._tone_model.save(directory)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ToneScorer":
        try:
            with model_storage.read_from(resource) as directory:
                tone_model = ToneModel.load(directory)
        except (ValueError, OSError, KeyError) as error:
            raise ToneScorerError(f"Cannot load the trained tone scorer ({resource.name}): {error}") from error
        return cls(config, model_storage, resource, tone_model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(TONE, self._score(message.get(TEXT)).as_output(), add_to_output=True)
        return messages

    def _score(self, text: Optional[str]) -> model.ToneResult:
        # Button payloads ("/greet") and empty texts were not typed by the customer: they carry no tone.
        if self._tone_model is None or not text or text.startswith(INTENT_MESSAGE_PREFIX):
            return CALM_RESULT
        return self._tone_model.predict(text)
