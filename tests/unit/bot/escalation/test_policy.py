"""EscalationPolicy on real trackers: slot at every customer message, action_handoff only when due."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet

from bot.dialogue.policy import CONTEXT_POLICY_PRIORITY
from bot.escalation.config import EscalationConfigError
from bot.escalation.policy import ESCALATION_POLICY_PRIORITY, EscalationPolicy
from tests.unit.bot.escalation.conversations import DOMAIN_YAML, bot, domain, start, tracker, user

pytestmark = pytest.mark.unit

CONTEXT = ExecutionContext(GraphSchema({}), "test-model")


def make_policy(tmp_path: Path, **params: object) -> EscalationPolicy:
    config = {**EscalationPolicy.get_default_config(), **params}
    return EscalationPolicy.create(config, LocalModelStorage(tmp_path), Resource("escalation"), CONTEXT)


def escalation_slot(prediction) -> dict | None:
    values = [
        event.value
        for event in prediction.events
        if isinstance(event, SlotSet) and event.key == "escalation"
    ]
    return values[-1] if values else None


def test_priority_is_unique_and_above_rule_policy_and_context_policy() -> None:
    assert ESCALATION_POLICY_PRIORITY > CONTEXT_POLICY_PRIORITY > RulePolicy.get_default_config()["priority"]
    assert EscalationPolicy.get_default_config()["priority"] == ESCALATION_POLICY_PRIORITY


def test_a_request_for_a_person_predicts_action_handoff_with_the_slot(tmp_path: Path) -> None:
    the_domain = domain()
    events = [*start(), user("Mitarbeiter bitte", "request_human")]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.probabilities[the_domain.index_for_action("action_handoff")] == 1.0
    assert sum(prediction.probabilities) == 1.0
    assert prediction.policy_priority == ESCALATION_POLICY_PRIORITY
    slot = escalation_slot(prediction)
    assert slot["level"] == "handoff" and slot["reasons"][0]["code"] == "customer_request"


def test_a_calm_message_predicts_nothing_but_still_records_the_assessment(tmp_path: Path) -> None:
    the_domain = domain()
    events = [*start(), user("Wo ist meine Bestellung?", "order_status", score=0.1)]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.max_confidence == 0.0
    assert escalation_slot(prediction)["level"] == "none"


def test_rising_tone_is_recorded_as_watch_without_a_prediction(tmp_path: Path) -> None:
    the_domain = domain()
    events = [*start(), user("Wo ist meine Bestellung?", "order_status", score=0.3), *bot("utter_greet"),
              user("Das dauert ewig!", "complaint", score=0.6, label="frustrated", cues=["waiting_time"])]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.max_confidence == 0.0
    slot = escalation_slot(prediction)
    assert (slot["level"], slot["cues"]) == ("watch", ["waiting_time"])


def test_nothing_is_predicted_or_recorded_at_bot_turns(tmp_path: Path) -> None:
    the_domain = domain()
    events = [*start(), user("Mitarbeiter bitte", "request_human"), ActionExecuted("action_handoff")]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.max_confidence == 0.0
    assert prediction.events == []


def test_after_a_handoff_the_conversation_starts_fresh(tmp_path: Path) -> None:
    the_domain = domain()
    events = [*start(), user("IHR IDIOTEN", score=0.95, label="abusive"), *bot("action_handoff"),
              user("Wo ist meine Bestellung?", "order_status", score=0.1)]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.max_confidence == 0.0
    assert escalation_slot(prediction)["turns"] == 1


def test_configured_thresholds_are_used(tmp_path: Path) -> None:
    the_domain = domain()
    amount = {"entity": "amount", "value": "120 €"}
    events = [*start(), user("Der Mixer ist kaputt", "damaged_item", entities=[amount])]
    the_tracker = tracker(events, the_domain)
    strict_policy = make_policy(tmp_path, damage_value_threshold=100)

    default = make_policy(tmp_path).predict_action_probabilities(the_tracker, the_domain)
    strict = strict_policy.predict_action_probabilities(the_tracker, the_domain)

    assert default.max_confidence == 0.0
    assert strict.probabilities[the_domain.index_for_action("action_handoff")] == 1.0


def test_an_active_form_does_not_swallow_the_handoff(tmp_path: Path) -> None:
    the_domain = domain()
    events = [
        *start(),
        user("Wo ist meine Bestellung?", "order_status"),
        ActionExecuted("order_status_form"),
        ActiveLoop("order_status_form"),
        SlotSet("requested_slot", "order_number"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("Ich will einen Menschen sprechen", "request_human"),
    ]
    the_tracker = tracker(events, the_domain)
    rules = RulePolicy.create(RulePolicy.get_default_config(), LocalModelStorage(tmp_path),
                              Resource("rules"), CONTEXT)
    # No rules at all: the loop's happy path is RulePolicy's built-in behaviour.
    rules.train([], the_domain)
    predictions = [
        rules.predict_action_probabilities(the_tracker, the_domain),
        make_policy(tmp_path).predict_action_probabilities(the_tracker, the_domain),
    ]
    # The form's happy path really is what RulePolicy predicts here, so the test shows the override.
    assert the_domain.action_names_or_texts[predictions[0].max_confidence_index] == "order_status_form"

    winner = DefaultPolicyPredictionEnsemble().combine_predictions(predictions, the_tracker, the_domain)

    assert the_domain.action_names_or_texts[winner.max_confidence_index] == "action_handoff"
    assert escalation_slot(winner)["level"] == "handoff"


def test_without_action_handoff_in_the_domain_nothing_is_predicted(tmp_path: Path) -> None:
    the_domain = domain(DOMAIN_YAML.replace("actions: [action_handoff, ", "actions: ["))
    events = [*start(), user("Mitarbeiter bitte", "request_human")]

    prediction = make_policy(tmp_path).predict_action_probabilities(tracker(events, the_domain), the_domain)

    assert prediction.max_confidence == 0.0
    assert escalation_slot(prediction)["level"] == "handoff"


def test_train_persists_and_load_restores_the_thresholds(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("escalation")
    config = {**EscalationPolicy.get_default_config(), "max_consecutive_fallbacks": 4}
    trained = EscalationPolicy.create(config, storage, resource, CONTEXT)

    assert trained.train([], domain()) == resource
    loaded = EscalationPolicy.load(EscalationPolicy.get_default_config(), storage, resource, CONTEXT)

    assert loaded.escalation_config.max_consecutive_fallbacks == 4
    assert loaded.priority == ESCALATION_POLICY_PRIORITY


def test_bad_thresholds_fail_when_the_policy_is_built(tmp_path: Path) -> None:
    with pytest.raises(EscalationConfigError, match="tone_treshold"):
        make_policy(tmp_path, tone_treshold=0.5)
