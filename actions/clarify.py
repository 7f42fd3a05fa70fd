"""Fallback stage 1: one precise question about the two most likely topics, and always the way to a person."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.responses import (
    BUTTON_HUMAN_TITLE,
    PAYLOAD_REQUEST_HUMAN,
    UTTER_ANYTHING_ELSE,
    UTTER_CLARIFY,
    UTTER_CLARIFY_NO_CANDIDATES,
)
from actions.topics import topic_button_title, topic_phrase

MAX_CANDIDATES = 2
HUMAN_INTENT = "request_human"
ACTION_LISTEN = "action_listen"
# A clear "ok" / "nein" where no rule expects one (RulePolicy's core fallback lands here): topic buttons would be a
# riddle; the customer is just told the bot is there when needed.
ACKNOWLEDGING_INTENTS = ("affirm", "deny")


def candidate_intents(intent_ranking: list[dict[str, Any]], limit: int = MAX_CANDIDATES) -> list[str]:
    """Most confident intents that are topics a customer can pick (not "ja", "hallo" or the fallback itself)."""
    ranked = sorted(intent_ranking, key=lambda entry: entry.get("confidence") or 0.0, reverse=True)
    candidates: list[str] = []
    for entry in ranked:
        intent = entry.get("name")
        if intent and intent != HUMAN_INTENT and topic_phrase(intent) and intent not in candidates:
            candidates.append(intent)
        if len(candidates) == limit:
            break
    return candidates


def clarify_question_values(candidates: list[str]) -> dict[str, str]:
    phrases = [topic_phrase(intent) or "" for intent in candidates]
    return {"topics": " oder um ".join(phrases)}


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Listen next, whatever the policies think: RulePolicy's core fallback predicted this action again after
        # itself (an "ok" out of context got the same question ten times; data/rules.yml has the rule now too).
        done: list[EventType] = [FollowupAction(ACTION_LISTEN)]
        if (tracker.latest_message.get("intent") or {}).get("name") in ACKNOWLEDGING_INTENTS:
            dispatcher.utter_message(response=UTTER_ANYTHING_ELSE)
            return done
        candidates = candidate_intents(tracker.latest_message.get("intent_ranking") or [])
        human_button = {"title": BUTTON_HUMAN_TITLE, "payload": PAYLOAD_REQUEST_HUMAN}
        if not candidates:
            dispatcher.utter_message(response=UTTER_CLARIFY_NO_CANDIDATES, buttons=[human_button])
            return done
        buttons = [{"title": topic_button_title(intent), "payload": f"/{intent}"} for intent in candidates]
        dispatcher.utter_message(
            response=UTTER_CLARIFY, buttons=buttons + [human_button], **clarify_question_values(candidates)
        )
        return done
