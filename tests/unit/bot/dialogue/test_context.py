"""follow_up_topic: which answer an elliptical follow-up asks for."""
from __future__ import annotations

import pytest

from bot.dialogue.context import Message, asks_only_a_detail, follow_up_topic, says_answer_did_not_help

pytestmark = pytest.mark.unit

ANSWERS = {"delivery_info": "action_delivery_info", "payment_methods": "action_payment_methods",
           "return_item": "utter_return_item", "refund_status": "utter_refund_status"}


def topic(text: str, intent: str | None, answered: str | None, confidence: float = 0.5, **extra) -> str | None:
    return follow_up_topic(Message(text, intent, confidence, **extra), answered, ANSWERS)


def test_a_generic_follow_up_keeps_the_topic_just_answered() -> None:
    assert topic("Und wie teuer ist das?", "nlu_fallback", "return_item") == "return_item"
    assert topic("Und wie lange dauert das?", "delivery_info", "refund_status", 0.53) == "refund_status"


def test_a_named_detail_decides_the_topic() -> None:
    assert topic("und nach Italien?", "out_of_scope", "payment_methods", 0.98) == "delivery_info"
    assert topic("Was ist mit PayPal?", "inform", "delivery_info") == "payment_methods"


def test_the_rules_answer_when_the_nlu_already_found_the_topic() -> None:
    assert topic("und nach Italien?", "delivery_info", "delivery_info", 0.9) is None


def test_a_confident_new_topic_is_a_topic_switch() -> None:
    assert topic("Und wie kann ich etwas umtauschen?", "exchange_item", "delivery_info", 0.95) is None


def test_own_paths_and_order_numbers_are_never_taken_over() -> None:
    assert topic("Und jetzt einen Menschen bitte", "request_human", "delivery_info") is None
    assert topic("und NW-731055?", "inform", "delivery_info", has_order_number=True) is None
    assert topic("Und danke!", "thank", "delivery_info") is None
    assert topic("Danke! Und nach Österreich?", "thank", "return_item", 0.9) == "delivery_info"


def test_no_follow_up_without_an_answer_before_or_without_ellipsis() -> None:
    assert topic("Und wie teuer ist das?", "nlu_fallback", None) is None
    assert topic("Wie teuer ist eine Rücksendung?", "nlu_fallback", "return_item") is None
    assert topic("Und wie teuer ist das?", "nlu_fallback", "order_status") is None


def test_das_auch_points_back_to_the_topic_just_answered() -> None:
    assert topic("Gilt das auch aus Österreich?", "nlu_fallback", "return_item") == "return_item"
    assert topic("Und aus Österreich?", "nlu_fallback", "return_item") == "delivery_info"


def test_saying_the_answer_did_not_help_where_the_nlu_found_no_topic() -> None:
    said = Message("Das hilft mir nicht, ich habe als Gast bestellt", "nlu_fallback", 0.45)

    assert says_answer_did_not_help(said, "invoice_copy")
    assert not says_answer_did_not_help(said, None)
    assert not says_answer_did_not_help(Message("Wo ist mein Paket?", "nlu_fallback", 0.4), "invoice_copy")
    assert not says_answer_did_not_help(Message("Hilft nicht, Mitarbeiter bitte", "request_human", 0.9), "invoice_copy")


def test_a_confidently_out_of_scope_follow_up_is_not_forced_onto_the_topic() -> None:
    assert topic("Und wie wird das Wetter morgen?", "out_of_scope", "delivery_info", 0.97) is None
    assert topic("Was ist mit Italien?", "out_of_scope", "delivery_info", 0.98) == "delivery_info"


def test_a_detail_question_stays_with_the_topic_even_when_the_nlu_is_sure_of_another() -> None:
    assert topic("Und was kostet mich das?", "delivery_info", "return_item", 0.93) == "return_item"
    assert topic("Und wie lange dauert es?", "delivery_info", "refund_status", 0.9) == "refund_status"
    assert topic("Und kann ich das umtauschen?", "exchange_item", "return_item", 0.97) is None
    assert asks_only_a_detail("Ok, und wie viel kostet das dann?")
    assert not asks_only_a_detail("Und kann ich das umtauschen?")


def test_a_corrected_detail_after_an_answer_is_answered_for_the_new_detail() -> None:
    assert topic("Nein sorry, ich meinte Österreich", "deny", "delivery_info", 0.9) == "delivery_info"
    assert topic("Schade. Und Tschechien?", "goodbye", "delivery_info", 0.9) == "delivery_info"
    assert topic("Tschüss!", "goodbye", "delivery_info", 0.99) is None
