import pytest
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionClarify, candidate_intents

pytestmark = pytest.mark.unit

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "return_item", "confidence": 0.31},
    {"name": "greet", "confidence": 0.2},
    {"name": "exchange_item", "confidence": 0.27},
    {"name": "request_human", "confidence": 0.1},
    {"name": "refund_status", "confidence": 0.05},
]


def test_candidates_are_the_two_best_topics_skipping_fallback_and_small_talk():
    assert candidate_intents(RANKING) == ["return_item", "exchange_item"]


def test_no_topic_in_the_ranking_gives_no_candidates():
    assert candidate_intents([{"name": "greet", "confidence": 0.9}, {"name": "nlu_fallback", "confidence": 0.4}]) == []


async def test_clarify_asks_one_question_with_topic_buttons_and_a_person(tracker_factory):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text="zurück oder tauschen", intent="nlu_fallback", intent_ranking=RANKING)
    assert await ActionClarify().run(dispatcher, tracker, {}) == [FollowupAction("action_listen")]
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify"
    assert message["topics"] == "eine Rücksendung oder um einen Umtausch"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("Rücksendung", "/return_item"),
        ("Umtausch", "/exchange_item"),
        ("Mit einem Menschen sprechen", "/request_human"),
    ]


async def test_clarify_without_candidates_still_offers_a_person(tracker_factory):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text="hmm", intent="nlu_fallback", intent_ranking=[{"name": "greet", "confidence": 0.3}])
    await ActionClarify().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify_no_candidates"
    assert message["buttons"] == [{"title": "Mit einem Menschen sprechen", "payload": "/request_human"}]


@pytest.mark.parametrize("intent", ["affirm", "deny"])
async def test_a_clear_ok_or_no_out_of_context_gets_no_topic_riddle_and_the_bot_listens(tracker_factory, intent):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text="ok", intent=intent, intent_ranking=[{"name": intent, "confidence": 1.0}] + RANKING)
    assert await ActionClarify().run(dispatcher, tracker, {}) == [FollowupAction("action_listen")]
    assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"]


def escalation(consecutive: int, limit: int = 3) -> dict:
    return {"level": "none", "reasons": [], "rolling_tone": 0.2, "fallbacks": consecutive,
            "consecutive_fallbacks": consecutive, "fallback_limit": limit, "turns": 3, "cues": [],
            "summary_de": "ruhig 0.20 über 3 Nachrichten" + (f"; {consecutive}x nicht verstanden" if consecutive else "")}


async def test_the_last_allowed_misunderstanding_goes_to_a_person_instead_of_another_question(tracker_factory):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text="blablub", intent="order_status", intent_ranking=RANKING,
                              slots={"escalation": escalation(2)})

    events = await ActionClarify().run(dispatcher, tracker, {})

    assert dispatcher.messages == []
    assert events[-1] == FollowupAction("action_handoff")
    slot = events[0]["value"]
    assert slot["level"] == "handoff" and [r["code"] for r in slot["reasons"]] == ["fallbacks"]
    assert slot["consecutive_fallbacks"] == 3 and "3x nicht verstanden" in slot["summary_de"]


async def test_a_fallback_the_policy_already_counted_is_not_counted_twice(tracker_factory):
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text="blablub", intent="nlu_fallback", intent_ranking=RANKING,
                              slots={"escalation": escalation(2)})

    assert await ActionClarify().run(dispatcher, tracker, {}) == [FollowupAction("action_listen")]
    assert dispatcher.messages[0]["response"] == "utter_clarify"
