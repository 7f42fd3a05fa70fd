"""ContextPolicy: answers an elliptical follow-up ("und nach Italien?", "Und wie teuer ist das?") in the context of
the answer just given, instead of letting the NLU's guess for a message without a topic decide.

A follow-up asking one detail (cost or time) of a topic gets `utter_<topic>_<detail>` when the domain has such a
response ("Und was kostet mich das?" after the returns answer: the returns are free), else the topic's answer.

At a customer message it predicts the answer action of the follow-up's topic (bot/dialogue/context.py) with
confidence 1.0 at a priority above RulePolicy; right after such an answer it predicts `action_listen` (no rule
covers "inform → utter_delivery_info", and the core fallback would otherwise ask a clarifying question after
the answer). Otherwise it predicts nothing and the other policies decide. The EscalationPolicy still wins:
its handoff is a no-user prediction.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, DEFAULT_ACTION_NAMES, DEFAULT_INTENTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.followup import DETAIL_COST, DETAIL_TIME, asked_detail
from bot.dialogue.context import NOT_TOPICS, Message, follow_up_topic, says_answer_did_not_help

logger = logging.getLogger(__name__)

CONTEXT_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 1
ORDER_NUMBER_ENTITY = "order_number"
FORM_SUFFIX = "_form"
RESPONSE_NOT_HELPED = "utter_not_helped"
DETAILS = (DETAIL_COST, DETAIL_TIME)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ContextPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {POLICY_PRIORITY: CONTEXT_POLICY_PRIORITY}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Optional[TrackerFeaturizer] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: which topics can be answered in context comes from the domain."""
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ContextPolicy":
        return cls(config, model_storage, resource, execution_context)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        latest_action = _latest_action(tracker)
        if latest_action is None:
            return self._prediction(probabilities)
        if latest_action.action_name != ACTION_LISTEN_NAME:
            if _predicted_by(latest_action, type(self).__name__):
                probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(probabilities)
        if tracker.active_loop_name:
            return self._prediction(probabilities)  # a form asks its own question; its rules decide
        action = self._follow_up_action(tracker, domain)
        if action is not None:
            logger.debug("Follow-up in context for %s: %s", tracker.sender_id, action)
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def _follow_up_action(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        latest = tracker.latest_message
        if latest is None or not latest.text:
            return None
        answers = topic_answers(domain)
        intent = latest.intent or {}
        message = Message(
            text=latest.text,
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            has_order_number=any(entity.get("entity") == ORDER_NUMBER_ENTITY for entity in latest.entities or []),
        )
        answered = answered_topic(tracker, answers)
        if says_answer_did_not_help(message, answered) and RESPONSE_NOT_HELPED in domain.action_names_or_texts:
            return RESPONSE_NOT_HELPED
        topic = follow_up_topic(message, answered, answers)
        if topic is None:
            return None
        # "Und was kostet mich das?" after the returns answer: utter_return_item_cost when the domain has it.
        detail = asked_detail(message.text)
        detail_response = f"utter_{topic}_{detail}"
        if detail and detail_response in domain.action_names_or_texts:
            return detail_response
        return answers[topic]


def topic_answers(domain: Domain) -> dict[str, str]:
    """topic intent → the action that answers it: `action_<intent>` (context-aware) or the response
    `utter_<intent>`. Topics run by a form (order status) are left to their rules."""
    forms = set(domain.form_names)
    actions = set(domain.action_names_or_texts)
    answers: dict[str, str] = {}
    for intent in domain.intents:
        if intent in NOT_TOPICS or intent in DEFAULT_INTENTS or f"{intent}{FORM_SUFFIX}" in forms:
            continue
        for candidate in (f"action_{intent}", f"utter_{intent}"):
            if candidate in actions and candidate not in DEFAULT_ACTION_NAMES:
                answers[intent] = candidate
                break
    return answers


def answered_topic(tracker: DialogueStateTracker, answers: dict[str, str]) -> str | None:
    """The topic the bot answered between the previous customer message and the latest one."""
    topics = {action: topic for topic, action in answers.items()}
    # The detail answers of a topic ("utter_return_item_time") answered that topic too.
    topics.update({f"utter_{topic}_{detail}": topic for topic in answers for detail in DETAILS})
    seen_latest_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_latest_message:
                return None
            seen_latest_message = True
        elif seen_latest_message and isinstance(event, ActionExecuted) and event.action_name in topics:
            return topics[event.action_name]
    return None


def _predicted_by(action: ActionExecuted, policy_class: str) -> bool:
    # Rasa records the policy's graph node name: the class name, or "policy_<n>_<class>" in some versions.
    policy = action.policy or ""
    return policy == policy_class or policy.endswith(f"_{policy_class}")


def _latest_action(tracker: DialogueStateTracker) -> ActionExecuted | None:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            return event
    return None
