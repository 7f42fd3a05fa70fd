"""Rasa policy that assesses every customer message and hands the conversation to a person when needed."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import rasa.shared.utils.io
from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import FileIOException

from bot.escalation.decision import assess
from bot.escalation.assessment import Assessment
from bot.escalation.config import EscalationConfig
from bot.escalation.names import ACTION_HANDOFF, SLOT_ESCALATION
from bot.escalation.from_tracker import is_user_turn, turns_since_last_handoff

logger = logging.getLogger(__name__)

# Above RulePolicy and the ContextPolicy (RULE_POLICY_PRIORITY + 1): a person requested, an insult or a GDPR request
# must win over any rule, story or follow-up in context.
ESCALATION_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 2
CONFIG_FILE = "escalation_config.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class EscalationPolicy(Policy):
    """Writes the `escalation` slot at every customer message; predicts action_handoff when due.

    Predicts nothing (all zeros) otherwise, so the other policies decide the normal answer.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {POLICY_PRIORITY: ESCALATION_POLICY_PRIORITY, **EscalationConfig().as_dict()}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Optional[TrackerFeaturizer] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        thresholds = {key: value for key, value in config.items() if key != POLICY_PRIORITY}
        self.escalation_config = EscalationConfig.from_dict(thresholds)

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: the thresholds are persisted so the model carries the rules it ran with."""
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                Path(directory) / CONFIG_FILE, self.escalation_config.as_dict()
            )

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "EscalationPolicy":
        try:
            with model_storage.read_from(resource) as directory:
                persisted = rasa.shared.utils.io.read_json_file(Path(directory) / CONFIG_FILE)
            config = {**config, **persisted}
        except (ValueError, FileNotFoundError, FileIOException):
            logger.debug("No persisted escalation thresholds found; using the configured ones.")
        return cls(config, model_storage, resource, execution_context)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if not is_user_turn(tracker):
            return self._prediction(probabilities)

        assessment = assess(turns_since_last_handoff(tracker), self.escalation_config)
        logger.debug("Escalation for %s: %s", tracker.sender_id, assessment.as_dict())
        events = self._slot_events(assessment, domain)
        if not assessment.hands_off:
            return self._prediction(probabilities, events=events)
        if ACTION_HANDOFF not in domain.action_names_or_texts:
            logger.warning("Escalation is due but '%s' is not in the domain.", ACTION_HANDOFF)
            return self._prediction(probabilities, events=events)

        probabilities[domain.index_for_action(ACTION_HANDOFF)] = 1.0
        # A "no user" prediction outranks the active loop's happy path, which RulePolicy also predicts as
        # one: without it a form would swallow "Mitarbeiter bitte" and ask for the order number again.
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)

    @staticmethod
    def _slot_events(assessment: Assessment, domain: Domain) -> List[SlotSet]:
        if SLOT_ESCALATION not in {slot.name for slot in domain.slots}:
            logger.warning("Slot '%s' is not in the domain; escalation is not recorded.", SLOT_ESCALATION)
            return []
        return [SlotSet(SLOT_ESCALATION, assessment.as_dict())]
