"""Fallback stage 1: one precise question about the two most likely topics, and always the way to a person."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
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
from bot.escalation.decision import handed_off_for_fallbacks
from bot.escalation.names import ACTION_HANDOFF, NOT_UNDERSTOOD_INTENTS, SLOT_ESCALATION

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


def hand_off_instead(escalation: Any, intent: str | None) -> list[EventType] | None:
    """At the last allowed not-understood message in a row, a person instead of another question.

    The escalation policy assessed this message before the answer: it already counted it when the NLU found
    nothing (nlu_fallback, out_of_scope), but not when only the missing rule (core fallback) shows it."""
    if not isinstance(escalation, dict):
        return None
    limit = int(escalation.get("fallback_limit") or 0)
    counted = int(escalation.get("consecutive_fallbacks") or 0)
    consecutive = counted if intent in NOT_UNDERSTOOD_INTENTS else counted + 1
    if limit <= 0 or consecutive < limit:
        return None
    return [SlotSet(SLOT_ESCALATION, handed_off_for_fallbacks(escalation, consecutive)),
            FollowupAction(ACTION_HANDOFF)]


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Listen next, whatever the policies think: RulePolicy's core fallback predicted this action again after
        # itself (an "ok" out of context got the same question ten times; data/rules.yml has the rule now too).
        done: list[EventType] = [FollowupAction(ACTION_LISTEN)]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ACKNOWLEDGING_INTENTS:
            dispatcher.utter_message(response=UTTER_ANYTHING_ELSE)
            return done
        handoff = hand_off_instead(tracker.get_slot(SLOT_ESCALATION), intent)
        if handoff is not None:
            return handoff
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
