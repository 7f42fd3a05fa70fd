"""Scripted conversations through assess(): the behaviour targets of the escalation policy."""
from __future__ import annotations

import pytest

from bot.escalation.decision import (
    assess,
    consecutive_fallbacks,
    handed_off_for_fallbacks,
    repeated_question,
    rolling_tone,
)
from bot.escalation.assessment import (
    LEVEL_HANDOFF,
    LEVEL_NONE,
    LEVEL_WATCH,
    REASON_ABUSIVE,
    REASON_CUSTOMER_REQUEST,
    REASON_DAMAGE_VALUE,
    REASON_DATA_PROTECTION,
    REASON_FALLBACKS,
    REASON_LEGAL_THREAT,
    REASON_NOT_HELPED,
    REASON_REPEATED_QUESTION,
    REASON_TONE,
)
from bot.escalation.config import EscalationConfig
from bot.escalation.turn import Turn

pytestmark = pytest.mark.unit

DEFAULT = EscalationConfig()


def say(
    text: str, intent: str = "complaint", score: float = 0.1, label: str = "calm", cues=(), **extra
) -> Turn:
    return Turn(
        text=text,
        intent=intent,
        intent_confidence=0.9,
        tone_score=score,
        tone_label=label,
        tone_cues=tuple(cues),
        **extra,
    )


def levels(turns: list[Turn], config: EscalationConfig = DEFAULT) -> list[str]:
    """The level after each message, as the policy would see it turn by turn."""
    return [assess(turns[: index + 1], config).level for index in range(len(turns))]


def test_calm_customer_with_a_real_problem_is_never_handed_off() -> None:
    conversation = [
        say("Hallo, mein Wasserkocher ist kaputt angekommen.", "damaged_item", 0.22),
        say("Das Problem ist, dass der Deckel abgebrochen ist.", "inform", 0.25),
        say("Außerdem ist die zweite Lieferung nicht angekommen.", "order_status", 0.28),
        say("Ich habe da leider noch ein Problem mit der Rechnung.", "invoice_copy", 0.2),
        say("Bestellung NW-123456: der Toaster ist auch kaputt.", "damaged_item", 0.24, amount=39.9),
    ]

    assert levels(conversation) == [LEVEL_NONE] * 5


def test_an_insult_is_handed_off_immediately() -> None:
    insult = say("Ihr seid doch alle Idioten!", score=0.93, label="abusive", cues=["insult"])

    assessment = assess([insult], DEFAULT)

    assert assessment.level == LEVEL_HANDOFF
    assert assessment.reason_codes == (REASON_ABUSIVE,)
    assert assessment.summary_de.startswith("beleidigend 0.93 über 1 Nachricht")


def test_slowly_building_frustration_is_handed_off_by_the_third_or_fourth_message() -> None:
    # Every message is about something else, so only the tone can escalate.
    conversation = [
        say("Wo bleibt meine Bestellung?", "order_status", 0.3),
        say("Das dauert jetzt schon zwei Wochen.", "delivery_info", 0.55, "frustrated", ["waiting_time"]),
        say("Ich warte und warte, das ist wirklich ärgerlich!", "complaint", 0.75, "frustrated"),
        say("UNGLAUBLICH, ich will eine Entschädigung!!!", "goodwill_request", 0.88, "frustrated", ["caps"]),
    ]

    assert levels(conversation) == [LEVEL_NONE, LEVEL_WATCH, LEVEL_WATCH, LEVEL_HANDOFF]
    final = assess(conversation, DEFAULT)
    assert final.reason_codes == (REASON_TONE,)
    assert final.reasons[0].value == pytest.approx(0.732, abs=0.001)
    assert final.summary_de == "verärgert 0.73 über 4 Nachrichten"


def test_frustration_staying_on_one_topic_is_handed_off_by_the_third_message() -> None:
    conversation = [
        say("Wo bleibt meine Bestellung?", "order_status", 0.3),
        say("Das dauert jetzt schon zwei Wochen.", "complaint", 0.55, "frustrated", ["waiting_time"]),
        say("Ich warte und warte, das ist wirklich ärgerlich!", "complaint", 0.75, "frustrated"),
    ]

    assert levels(conversation) == [LEVEL_NONE, LEVEL_WATCH, LEVEL_HANDOFF]
    assert assess(conversation, DEFAULT).reason_codes == (REASON_REPEATED_QUESTION,)


@pytest.mark.parametrize("position", [0, 2])
def test_asking_for_a_person_always_hands_off(position: int) -> None:
    calm = [say("Hallo", "greet", 0.05), say("Wo ist mein Paket?", "order_status", 0.1)]
    conversation = calm[:position] + [say("Mitarbeiter bitte", "request_human", 0.1)]

    assessment = assess(conversation, DEFAULT)

    assert assessment.level == LEVEL_HANDOFF
    assert assessment.reason_codes == (REASON_CUSTOMER_REQUEST,)
    assert "möchte einen Mitarbeiter" in assessment.summary_de


def test_rolling_tone_lets_old_anger_decay() -> None:
    angry_then_calm = [say("x", score=0.9), say("x", score=0.1), say("x", score=0.1), say("x", score=0.1)]

    assert rolling_tone(angry_then_calm, 0.6) == pytest.approx((0.9 * 0.216 + 0.1 * 1.96) / 2.176)
    assert rolling_tone(angry_then_calm, 0.0) == pytest.approx(0.1)
    assert rolling_tone(angry_then_calm, 1.0) == pytest.approx(0.3)
    assert assess(angry_then_calm, DEFAULT).level == LEVEL_NONE


def test_one_outburst_is_watched_before_tone_alone_hands_off() -> None:
    outburst = [say("Das ist ja wohl eine Frechheit!!!", score=0.85, label="frustrated")]

    assert assess(outburst, DEFAULT).level == LEVEL_WATCH
    assert assess(outburst, EscalationConfig(tone_min_turns=1)).level == LEVEL_HANDOFF


def test_three_fallbacks_in_a_row_hand_off_but_not_three_apart() -> None:
    apart = [
        say("asdf ghjk", "nlu_fallback", fell_back=True),
        say("Wo ist meine Bestellung?", "order_status"),
        say("qwertz", "nlu_fallback", fell_back=True),
        say("blubb", "out_of_scope", fell_back=True),
    ]
    in_a_row = apart + [say("hä was", "nlu_fallback", fell_back=True)]

    assert assess(apart, DEFAULT).level == LEVEL_NONE
    assessment = assess(in_a_row, DEFAULT)
    assert assessment.reason_codes == (REASON_FALLBACKS,)
    assert (assessment.fallbacks, assessment.consecutive_fallbacks) == (4, 3)
    assert "4x nicht verstanden" in assessment.summary_de
    assert consecutive_fallbacks(in_a_row) == 3
    assert assess(in_a_row[:-1], EscalationConfig(max_consecutive_fallbacks=2)).reason_codes == (REASON_FALLBACKS,)


def test_the_fallback_limit_is_in_the_slot_for_the_clarify_action() -> None:
    assessment = assess([say("asdf", "nlu_fallback", fell_back=True)], EscalationConfig(max_consecutive_fallbacks=4))

    assert assessment.as_dict()["fallback_limit"] == 4
    assert assessment.as_dict()["consecutive_fallbacks"] == 1


def test_handed_off_for_fallbacks_completes_the_slot_with_the_reason() -> None:
    slot = assess([say("asdf", "nlu_fallback", fell_back=True), say("qwertz", "greet")], DEFAULT).as_dict()

    handed = handed_off_for_fallbacks(slot, 3)

    assert handed["level"] == LEVEL_HANDOFF
    assert [reason["code"] for reason in handed["reasons"]] == [REASON_FALLBACKS]
    assert handed["consecutive_fallbacks"] == 3 and handed["fallbacks"] == 2
    assert handed["summary_de"].endswith("2x nicht verstanden")
    assert handed_off_for_fallbacks(None, 3)["summary_de"] == "1x nicht verstanden"


def test_the_same_question_again_calmly_is_not_a_repeated_question() -> None:
    conversation = [
        say("Wann kommt meine Bestellung NW-123456 an?", "order_status"),
        say("ok", "affirm"),
        say("wann kommt meine bestellung nw 123456 an", "order_status"),
    ]

    assert assess(conversation, DEFAULT).level == LEVEL_NONE


def test_the_same_question_again_saying_the_answer_did_not_help_hands_off() -> None:
    conversation = [
        say("Wann kommt meine Bestellung NW-123456 an?", "order_status"),
        say("Das beantwortet meine Frage nicht: wann kommt meine Bestellung NW-123456 an", "order_status"),
    ]

    assessment = assess(conversation, DEFAULT)

    assert assessment.level == LEVEL_HANDOFF
    assert assessment.reason_codes == (REASON_REPEATED_QUESTION,)
    assert "Nachricht 1" in assessment.reasons[0].detail


def test_the_same_question_again_in_a_sharper_tone_hands_off() -> None:
    conversation = [
        say("Wann kommt meine Bestellung NW-123456 an?", "order_status", 0.2),
        say("WANN kommt meine Bestellung NW-123456 an???", "order_status", 0.75, "frustrated"),
    ]

    assert assess(conversation, DEFAULT).reason_codes[-1] == REASON_REPEATED_QUESTION


@pytest.mark.parametrize("follow_up", ["Und wie teuer ist das?", "und nach Italien?", "Ok, und mit PayPal?",
                                       "Was ist mit der Schweiz?"])
def test_an_elliptical_follow_up_is_never_a_repeated_question(follow_up: str) -> None:
    conversation = [say("Was kostet der Versand nach Österreich?", "delivery_info", 0.3),
                    say(follow_up, "delivery_info", 0.55, "frustrated")]

    assert repeated_question(conversation, DEFAULT) is None


def test_an_insult_the_nlu_recognised_in_a_frustrated_message_hands_off() -> None:
    assessment = assess([say("Ihr habt doch null Ahnung", "insult", 0.6, "frustrated")], DEFAULT)

    assert assessment.reason_codes == (REASON_ABUSIVE,)
    assert assessment.summary_de.startswith("beleidigend")


def test_the_nlu_alone_does_not_call_a_calm_message_an_insult() -> None:
    assert assess([say("Seid ihr auf Social Media?", "insult", 0.2, "calm")], DEFAULT).level == LEVEL_NONE


def test_answers_that_did_not_help_twice_hand_off_once_is_watched() -> None:
    conversation = [
        say("Ich kann mich nicht einloggen", "login_problem", 0.3),
        say("Geht leider immer noch nicht", "not_helped", 0.3),
        say("Hab ich schon probiert, ohne Erfolg", "login_problem", 0.3),
    ]

    assert levels(conversation) == [LEVEL_NONE, LEVEL_WATCH, LEVEL_HANDOFF]
    assessment = assess(conversation, DEFAULT)
    assert REASON_NOT_HELPED in assessment.reason_codes
    assert "Antworten halfen nicht" in assessment.summary_de


def test_disappointment_in_the_first_message_has_no_answer_to_judge() -> None:
    assert assess([say("Mein Drucker geht immer noch nicht", "complaint", 0.3)], DEFAULT).level == LEVEL_NONE


def test_a_calm_closing_after_anger_is_neither_watched_nor_handed_off_by_tone() -> None:
    conversation = [
        say("Das ist doch unglaublich, seit Wochen nichts!!", "order_status", 0.9, "frustrated"),
        say("Wo bleibt das verdammte Paket", "order_status", 0.85, "frustrated"),
        say("Ok, jetzt ist es da. Danke!", "thank", 0.3),
    ]

    assert levels(conversation)[-1] == LEVEL_NONE


def test_a_calm_message_after_anger_is_not_watched() -> None:
    conversation = [
        say("Das ist eine Frechheit!!", "complaint", 0.8, "frustrated"),
        say("Wie lange dauert der Versand nach Österreich?", "delivery_info", 0.2),
    ]

    assert levels(conversation) == [LEVEL_WATCH, LEVEL_NONE]


def test_a_related_follow_up_is_not_a_repeated_question() -> None:
    conversation = [
        say("Wann kommt meine Bestellung an?", "order_status", 0.1),
        say("Und kann ich die Lieferadresse noch ändern?", "change_address", 0.1),
        say("Wird die Bestellung auch samstags geliefert?", "order_status", 0.15),
    ]

    assert repeated_question(conversation, DEFAULT) is None


def test_same_intent_right_after_its_answer_saying_it_did_not_help_is_a_repeated_question() -> None:
    calm_follow_up = [
        say("Wo ist mein Paket?", "order_status", 0.2),
        say("Und wann genau kommt es?", "order_status", 0.25),
    ]
    sharper = [calm_follow_up[0], say("Das beantwortet meine Frage nicht, WO ist es?", "order_status", 0.6)]

    assert repeated_question(calm_follow_up, DEFAULT) is None
    reason = repeated_question(sharper, DEFAULT)
    assert reason is not None and reason.value == "order_status"


def test_short_messages_and_misunderstood_ones_are_not_compared() -> None:
    assert repeated_question([say("ja", "affirm"), say("ja", "affirm")], DEFAULT) is None
    misunderstood_first = [
        say("Wie funktioniert das mit dem Gutschein?", "nlu_fallback", fell_back=True),
        say("Wie funktioniert das mit dem Gutschein", "voucher_problem"),
    ]
    assert repeated_question(misunderstood_first, DEFAULT) is None


def test_legal_threat_hands_off_even_when_calmly_worded() -> None:
    threat = say("Dann schalte ich meinen Anwalt ein.", score=0.4, cues=["legal_threat"])

    assessment = assess([threat], DEFAULT)

    assert assessment.reason_codes == (REASON_LEGAL_THREAT,)
    assert "rechtlichen Schritten" in assessment.summary_de


def test_data_protection_requests_always_go_to_a_person() -> None:
    assessment = assess([say("Bitte löschen Sie alle meine Daten.", "gdpr_request", 0.05)], DEFAULT)

    assert assessment.level == LEVEL_HANDOFF
    assert assessment.reason_codes == (REASON_DATA_PROTECTION,)


@pytest.mark.parametrize(
    ("amount", "order_total", "expected"),
    [
        (350.0, None, LEVEL_HANDOFF),
        (200.0, None, LEVEL_NONE),
        (None, 499.0, LEVEL_HANDOFF),
        (None, 150.0, LEVEL_NONE),
        # The customer's value of the damaged item wins over the whole order's total.
        (80.0, 499.0, LEVEL_NONE),
    ],
)
def test_damage_value_threshold(amount: float | None, order_total: float | None, expected: str) -> None:
    conversation = [
        say("Der Fernseher ist mit einem Sprung im Display angekommen.", "damaged_item", 0.2),
        say("Er hat so viel gekostet.", "inform", 0.2, amount=amount, order_total=order_total),
    ]

    assert assess(conversation, DEFAULT).level == expected


def test_damage_value_needs_a_damaged_item_and_uses_the_configured_limit() -> None:
    expensive_order = [say("Wo ist meine Bestellung?", "order_status", order_total=999.0)]
    damage = [say("Der Mixer ist kaputt.", "damaged_item", amount=120.0)]

    assert assess(expensive_order, DEFAULT).level == LEVEL_NONE
    assert assess(damage, DEFAULT).level == LEVEL_NONE
    assessment = assess(damage, EscalationConfig(damage_value_threshold=100.0))
    assert assessment.reason_codes == (REASON_DAMAGE_VALUE,)
    assert assessment.reasons[0].value == 120.0
    assert "Schaden 120 €" in assessment.summary_de


@pytest.mark.parametrize(("intent", "words"), [("parcel_not_received", "Nicht angekommene Ware"),
                                               ("wrong_item", "Falsch oder unvollständig gelieferte Ware")])
def test_lost_or_wrongly_delivered_goods_above_the_limit_go_to_a_person_too(intent: str, words: str) -> None:
    cheap = [say("Das Paket ist laut DHL da, bei mir aber nicht.", intent, 0.2, order_total=35.0)]
    expensive = [say("Das Paket ist laut DHL da, bei mir aber nicht.", intent, 0.2, order_total=649.0)]

    assert assess(cheap, DEFAULT).level == LEVEL_NONE
    assessment = assess(expensive, DEFAULT)
    assert assessment.level == LEVEL_HANDOFF and assessment.reason_codes == (REASON_DAMAGE_VALUE,)
    assert assessment.reasons[0].detail.startswith(words)


def test_several_reasons_are_all_reported() -> None:
    conversation = [
        say("Wo ist mein Geld?", "refund_status", 0.7, "frustrated"),
        say("Sofort einen Menschen, sonst Anwalt!", "request_human", 0.9, "frustrated", ["legal_threat"]),
    ]

    assessment = assess(conversation, DEFAULT)

    assert set(assessment.reason_codes) == {REASON_CUSTOMER_REQUEST, REASON_LEGAL_THREAT, REASON_TONE}


def test_no_turns_means_nothing_to_do() -> None:
    assessment = assess([], DEFAULT)

    assert (assessment.level, assessment.reasons, assessment.turns) == (LEVEL_NONE, (), 0)


def test_as_dict_is_the_slot_contract() -> None:
    conversation = [
        say("???", "nlu_fallback", 0.6, "frustrated", fell_back=True),
        say("!!!", "nlu_fallback", 0.9, "frustrated", ["exclamations"], fell_back=True),
        say("VERSTEHEN SIE MICH NICHT?", "nlu_fallback", 0.93, "frustrated", ["caps"], fell_back=True),
    ]

    slot = assess(conversation, DEFAULT).as_dict()

    assert slot["level"] == LEVEL_HANDOFF
    assert {reason["code"] for reason in slot["reasons"]} == {REASON_TONE, REASON_FALLBACKS}
    assert all(set(reason) == {"code", "value", "detail"} for reason in slot["reasons"])
    assert slot["fallbacks"] == 3
    assert slot["cues"] == ["caps"]
    assert slot["summary_de"] == "verärgert 0.86 über 3 Nachrichten; 3x nicht verstanden"


def test_the_question_repeated_inside_a_longer_message_with_a_sign_is_a_repeated_question() -> None:
    conversation = [
        say("Wo ist mein Paket NW-558231?", "order_status", 0.2),
        say("Nein danke", "deny", 0.1),
        say("Ich frage nochmal: WO IST MEIN PAKET NW-558231??? Ihre Antwort hilft mir nicht!", "not_helped", 0.4),
    ]

    reason = repeated_question(conversation, DEFAULT)

    assert reason is not None and "Nachricht 1" in reason.detail
