"""The chat transcript by e-mail, asked for in the chat: which address, which one question, and what goes to the
service (actions/transcript.py). The service's side is tested in tests/integration/handoff/services/."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.transcript import (
    ASK, ASK_OTHER, CANCELLED, CONFIRM, GAVE_UP, INVALID, MOVED_ON, ActionAskTranscriptEmail, ActionSendTranscript,
    Request, ValidateTranscriptForm, addresses_in, after_another_topic, next_step, remembered_addresses,
)
from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_TRANSCRIPT_REQUESTED
from tests.unit.actions.conftest import make_tracker

pytestmark = pytest.mark.unit


def _user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text}}


@pytest.mark.parametrize("text, found", [
    ("Den Verlauf bitte an jana.vogt@web.de.", ["jana.vogt@web.de"]),
    ("an Max.Muster+chat@mail.example.co.uk, danke", ["Max.Muster+chat@mail.example.co.uk"]),
    ("zuerst a.b@gmx.de, nein doch c_d@posteo.de", ["a.b@gmx.de", "c_d@posteo.de"]),
    ("max@web", []),
    ("max(at)web.de", []),
    ("Wo ist NW-482913?", []),
])
def test_addresses_in_a_message(text, found):
    assert addresses_in(text) == found


def test_an_address_in_the_request_itself_is_used_at_once():
    step = next_step("Schicken Sie den Verlauf an kunde@example.de", "request_transcript", None, ["alt@example.de"])
    assert step == Request(address="kunde@example.de")
    assert next_step("Chat an kunde@example.de", "request_transcript", None, []) == Request(address="kunde@example.de")


def test_an_address_without_a_word_for_the_chat_gets_the_question_not_a_mail():
    """"Meine Mail ist …" taken for a request by the NLU: the transcript is never sent unasked."""
    assert next_step("Meine Mail ist kunde@example.de", "request_transcript", None, []) == \
        Request(question=CONFIRM, candidate="kunde@example.de")


def test_an_address_typed_earlier_is_confirmed_with_one_question_and_never_the_shops_own():
    assert next_step("Verlauf per Mail", "request_transcript", None, ["alt@example.de", "neu@example.de"]) == \
        Request(question=CONFIRM, candidate="neu@example.de")
    assert next_step("Verlauf per Mail", "request_transcript", None, ["service@nordwind-versand.de"]) == \
        Request(question=ASK)
    assert next_step("Verlauf per Mail", "request_transcript", None, []) == Request(question=ASK)


def test_yes_sends_to_the_confirmed_address_and_no_asks_for_another():
    asked = Request(question=CONFIRM, candidate="alt@example.de")
    assert next_step("ja gerne", "affirm", asked, []) == Request(address="alt@example.de")
    assert next_step("/affirm", "affirm", asked, []) == Request(address="alt@example.de")
    assert next_step("nein", "deny", asked, []) == Request(question=ASK_OTHER)
    assert next_step("Nein, an neu@example.de", "deny", asked, []) == Request(address="neu@example.de")


def test_no_to_the_address_question_cancels():
    assert next_step("nein, doch nicht", "deny", Request(question=ASK), []) == Request(ended=CANCELLED)
    assert next_step("lieber nicht", "deny", Request(question=ASK_OTHER), []) == Request(ended=CANCELLED)


def test_an_unusable_address_gets_one_precise_question_then_the_bot_stops_asking():
    first = next_step("max@web", "nlu_fallback", Request(question=ASK), [])
    assert first == Request(question=INVALID, given="max@web", attempts=1)
    assert next_step("max(at)web.de", "nlu_fallback", first, []) == Request(ended=GAVE_UP)
    assert next_step("max@web.de", "nlu_fallback", first, []) == Request(address="max@web.de")


def test_an_answer_that_is_no_address_asks_once_more_and_another_topic_is_left_to_the_rules():
    assert next_step("ja", "affirm", Request(question=ASK), []) == Request(question=ASK, attempts=1)
    assert next_step("Was kostet der Versand nach Österreich?", "delivery_info", Request(question=ASK), []) is None


def test_after_another_topic_the_question_comes_once_more_then_the_request_is_dropped():
    asked = Request(question=ASK)
    again = after_another_topic(asked)
    assert again == Request(question=ASK, other_topics=1)
    assert after_another_topic(again) == Request(ended=MOVED_ON)


async def test_the_form_rejects_another_topic_and_counts_it_when_rasa_brings_it_back_after_the_answer():
    validator = ValidateTranscriptForm()
    domain = {"forms": {"transcript_form": {"required_slots": ["transcript_email"]}}}
    open_question = Request(question=ASK).as_slot()
    answered_elsewhere = [{"event": "action", "name": "action_listen"}, _user("Was kostet der Versand?"),
                          {"event": "action", "name": "action_delivery_info"},
                          {"event": "action", "name": "transcript_form"}]
    tracker = make_tracker(slots={"transcript_request": open_question}, text="Was kostet der Versand?",
                           intent="delivery_info", events=answered_elsewhere)
    assert await validator.extract_transcript_email(CollectingDispatcher(), tracker, domain) == {
        "transcript_email": None, "transcript_request": {**open_question, "other_topics": 1}}
    second = make_tracker(slots={"transcript_request": {**open_question, "other_topics": 1}},
                          text="Was kostet der Versand?", intent="delivery_info", events=answered_elsewhere)
    events = await validator.run(CollectingDispatcher(), second, domain)
    assert {event["name"]: event["value"] for event in events} == {
        "transcript_email": None, "transcript_request": {"ended": MOVED_ON}, "requested_slot": None}


def test_asking_again_in_the_middle_starts_over():
    assert next_step("den Verlauf per Mail bitte", "request_transcript", Request(question=INVALID, attempts=1),
                     ["alt@example.de"]) == Request(question=CONFIRM, candidate="alt@example.de")


def test_remembered_addresses_come_from_earlier_messages_and_the_slot_that_outlives_a_compacted_tracker():
    events = [_user("Meine Mail: a@example.de"), _user("/affirm"), _user("Oder b@example.de"), _user("Verlauf?")]
    tracker = make_tracker(slots={"email": "alt@example.de"}, text="Verlauf?", intent="request_transcript",
                           events=events)
    assert remembered_addresses(tracker) == ["alt@example.de", "a@example.de", "b@example.de"]
    compacted = make_tracker(slots={"email": ["x@example.de", "y@example.de"]}, text="Verlauf?",
                             intent="request_transcript")
    assert remembered_addresses(compacted) == ["x@example.de", "y@example.de"]


async def test_the_form_validator_fills_the_address_or_the_open_question_and_rejects_another_topic():
    validator = ValidateTranscriptForm()
    domain = {"forms": {"transcript_form": {"required_slots": ["transcript_email"]}}}
    events = [_user("Meine Mail: alt@example.de"), _user("Verlauf per Mail")]
    tracker = make_tracker(text="Verlauf per Mail", intent="request_transcript", events=events)
    assert await validator.extract_transcript_email(CollectingDispatcher(), tracker, domain) == {
        "transcript_email": None,
        "transcript_request": {"question": CONFIRM, "candidate": "alt@example.de", "given": "", "attempts": 0,
                               "other_topics": 0}}
    open_question = {"question": ASK, "candidate": None, "given": "", "attempts": 0, "other_topics": 0}
    other_topic = make_tracker(slots={"transcript_request": open_question}, text="Was kostet der Versand?",
                               intent="delivery_info")
    assert await validator.extract_transcript_email(CollectingDispatcher(), other_topic, domain) == {}
    # Run as Rasa runs it: the open question and the end of the form travel with the form slot's validation.
    asked = make_tracker(slots={"transcript_request": open_question}, text="nein, doch nicht", intent="deny",
                         active_loop="transcript_form")
    events = await validator.run(CollectingDispatcher(), asked, domain)
    assert {event["name"]: event["value"] for event in events} == {
        "transcript_email": None, "transcript_request": {"ended": CANCELLED}, "requested_slot": None}
    events = await validator.run(CollectingDispatcher(), make_tracker(
        slots={"transcript_request": open_question}, text="max@web", intent="nlu_fallback"), domain)
    assert {event["name"]: event["value"] for event in events} == {
        "transcript_email": None,
        "transcript_request": {"question": INVALID, "candidate": None, "given": "max@web", "attempts": 1,
                               "other_topics": 0}}
    assert await validator.run(CollectingDispatcher(), other_topic, domain) == []


@pytest.mark.parametrize("state, response, values", [
    ({"question": CONFIRM, "candidate": "alt@example.de"}, "utter_ask_transcript_confirm",
     {"address": "alt@example.de"}),
    (None, "utter_ask_transcript_email", {}),
    ({"question": ASK_OTHER}, "utter_ask_transcript_other_email", {}),
    ({"question": INVALID, "given": "max@web", "attempts": 1}, "utter_transcript_invalid_email",
     {"given_text": "max@web"}),
])
async def test_the_question_asked(state, response, values):
    dispatcher = CollectingDispatcher()
    await ActionAskTranscriptEmail().run(dispatcher, make_tracker(slots={"transcript_request": state}), {})
    [message] = dispatcher.messages
    assert message["response"] == response
    assert {key: message[key] for key in values} == values


async def test_the_address_goes_to_the_service_as_an_event_and_nothing_is_said_by_the_bot_itself():
    dispatcher = CollectingDispatcher()
    events = await ActionSendTranscript().run(
        dispatcher, make_tracker(slots={"transcript_email": "kunde@example.de"}), {})
    assert [message["custom"] for message in dispatcher.messages] == [
        {CUSTOM_EVENT_KEY: EVENT_TRANSCRIPT_REQUESTED, "email": "kunde@example.de"}]
    assert {(event["name"], event["value"]) for event in events} == {("transcript_email", None),
                                                                    ("transcript_request", None)}


@pytest.mark.parametrize("ended, responses", [(CANCELLED, ["utter_transcript_cancelled"]),
                                              (GAVE_UP, ["utter_transcript_no_address"]), (MOVED_ON, [])])
async def test_without_an_address_the_bot_says_why_nothing_is_sent(ended, responses):
    dispatcher = CollectingDispatcher()
    await ActionSendTranscript().run(dispatcher, make_tracker(slots={"transcript_request": {"ended": ended}}), {})
    assert [message["response"] for message in dispatcher.messages] == responses
    assert not any(message.get("custom") for message in dispatcher.messages)
