"""ContextPolicy on real trackers: the answer of the topic in context, then listening."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.policy import CONTEXT_POLICY_PRIORITY, ContextPolicy, answered_topic, topic_answers

pytestmark = pytest.mark.unit

CONTEXT = ExecutionContext(GraphSchema({}), "test-model")
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, thank, inform, nlu_fallback, delivery_info, payment_methods, return_item, order_status, exchange_item]
entities: [order_number]
slots:
  order_number:
    type: text
    influence_conversation: false
    mappings: [{type: from_entity, entity: order_number}]
forms:
  order_status_form:
    required_slots: [order_number]
actions: [action_delivery_info, action_payment_methods, action_order_status]
responses:
  utter_greet: [{text: "Guten Tag!"}]
  utter_return_item: [{text: "30 Tage Rückgabe."}]
  utter_exchange_item: [{text: "Umtausch im Konto."}]
  utter_ask_order_number: [{text: "Nummer?"}]
""")


def policy(tmp_path: Path) -> ContextPolicy:
    return ContextPolicy.create(ContextPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                Resource("context"), CONTEXT)


def user(text: str, intent: str, confidence: float = 0.5, entities=()) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": confidence}, entities=list(entities))


def conversation(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("kunde", [ActionExecuted(ACTION_LISTEN_NAME), *events], slots=DOMAIN.slots)


def answered(action: str, by: str = "RulePolicy") -> list:
    return [ActionExecuted(action, policy=by), ActionExecuted(ACTION_LISTEN_NAME)]


def best(prediction) -> tuple[str | None, float]:
    top = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    value = prediction.probabilities[top]
    return (DOMAIN.action_names_or_texts[top] if value else None), value


def test_topics_that_can_be_answered_again_come_from_the_domain() -> None:
    assert topic_answers(DOMAIN) == {"delivery_info": "action_delivery_info",
                                     "payment_methods": "action_payment_methods",
                                     "return_item": "utter_return_item", "exchange_item": "utter_exchange_item"}


def test_a_follow_up_gets_the_answer_of_the_topic_just_answered(tmp_path: Path) -> None:
    tracker = conversation(user("Wie kann ich etwas zurückschicken?", "return_item", 0.99),
                           *answered("utter_return_item"), user("Und wie teuer ist das?", "nlu_fallback", 0.45))

    prediction = policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)

    assert best(prediction) == ("utter_return_item", 1.0)
    assert prediction.policy_priority == CONTEXT_POLICY_PRIORITY


@pytest.mark.parametrize("recorded_as", ["ContextPolicy", "policy_1_ContextPolicy"])
def test_after_its_own_answer_it_listens(tmp_path: Path, recorded_as: str) -> None:
    tracker = conversation(user("Wie kann ich etwas zurückschicken?", "return_item", 0.99),
                           *answered("utter_return_item"), user("Und wie teuer ist das?", "nlu_fallback"),
                           ActionExecuted("utter_return_item", policy=recorded_as))

    assert best(policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)) == (ACTION_LISTEN_NAME, 1.0)


def test_after_another_policy_s_answer_it_predicts_nothing(tmp_path: Path) -> None:
    tracker = conversation(user("Wie kann ich etwas zurückschicken?", "return_item", 0.99),
                           ActionExecuted("utter_return_item", policy="RulePolicy"))

    assert best(policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)) == (None, 0.0)


def test_a_named_country_is_a_shipping_question_whatever_came_before(tmp_path: Path) -> None:
    tracker = conversation(user("Kann ich mit PayPal zahlen?", "payment_methods", 0.99),
                           *answered("action_payment_methods"), user("Und nach Österreich?", "inform", 0.6))

    assert best(policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)) == ("action_delivery_info", 1.0)


def test_new_topics_order_numbers_and_forms_are_left_to_the_rules(tmp_path: Path) -> None:
    switch = conversation(user("Was kostet der Versand?", "delivery_info", 0.99), *answered("action_delivery_info"),
                          user("Und kann ich das umtauschen?", "exchange_item", 0.97))
    number = conversation(user("Was kostet der Versand?", "delivery_info", 0.99), *answered("action_delivery_info"),
                          user("und NW-731055?", "inform", 0.97,
                               [{"entity": "order_number", "value": "NW-731055", "start": 4, "end": 13}]))
    in_form = conversation(user("Was kostet der Versand?", "delivery_info", 0.99), *answered("action_delivery_info"),
                           ActiveLoop("order_status_form"), user("und nach Italien?", "inform"))

    for tracker in (switch, number, in_form):
        assert best(policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)) == (None, 0.0)


def test_answered_topic_looks_only_at_the_answer_right_before_the_latest_message() -> None:
    answers = topic_answers(DOMAIN)
    recent = conversation(user("Rücksendung?", "return_item"), *answered("utter_return_item"), user("und?", "inform"))
    older = conversation(user("Rücksendung?", "return_item"), *answered("utter_return_item"),
                         user("Hallo", "greet"), *answered("utter_greet"), user("und?", "inform"))

    assert answered_topic(recent, answers) == "return_item"
    assert answered_topic(older, answers) is None


def test_a_detail_question_gets_the_topic_s_detail_response_when_there_is_one(tmp_path: Path) -> None:
    domain = Domain.from_yaml(DOMAIN.as_yaml()).merge(Domain.from_yaml("""
version: "3.1"
responses:
  utter_return_item_cost: [{text: "Die Rücksendung ist kostenlos."}]
"""))
    cost = conversation(user("Wie kann ich etwas zurückschicken?", "return_item", 0.99),
                        *answered("utter_return_item"), user("Und was kostet mich das?", "delivery_info", 0.93))
    time = conversation(user("Wie kann ich etwas zurückschicken?", "return_item", 0.99),
                        *answered("utter_return_item"), user("Und wie lange dauert das?", "delivery_info", 0.6))

    predict = policy(tmp_path).predict_action_probabilities
    top = lambda prediction: domain.action_names_or_texts[max(range(len(prediction.probabilities)),  # noqa: E731
                                                               key=prediction.probabilities.__getitem__)]
    assert top(predict(cost, domain)) == "utter_return_item_cost"
    assert top(predict(time, domain)) == "utter_return_item"


def test_a_detail_answer_counts_as_an_answer_of_its_topic() -> None:
    tracker = conversation(user("Rückgabefrist?", "return_item"), *answered("utter_return_item_time", "ContextPolicy"),
                           user("Und gilt das auch aus Österreich?", "nlu_fallback"))

    assert answered_topic(tracker, topic_answers(DOMAIN)) == "return_item"
