"""The chat transcript by e-mail, asked for in the chat ("Können Sie mir den Verlauf per Mail schicken?").

Only to an address the customer typed in this conversation: written in the request itself, it is used at once; typed
earlier, it is confirmed with one precise question; otherwise the bot asks for one. The address goes to the service
as a `transcript_requested` event; the service sends the transcript through the same use case as the widget's API,
checks once more that the customer typed that address here, and says how it went (handoff/services/mail_transcript.py).
Nothing here sends mail.

`transcript_form` carries the one open question; `next_step` (pure) decides what an answer means.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.problem_report import PAYLOAD_PREFIX
from actions.responses import (
    SLOT_EMAIL,
    SLOT_TRANSCRIPT_EMAIL,
    SLOT_TRANSCRIPT_REQUEST,
    UTTER_ASK_TRANSCRIPT_CONFIRM,
    UTTER_ASK_TRANSCRIPT_EMAIL,
    UTTER_ASK_TRANSCRIPT_OTHER_EMAIL,
    UTTER_TRANSCRIPT_CANCELLED,
    UTTER_TRANSCRIPT_INVALID_EMAIL,
    UTTER_TRANSCRIPT_NO_ADDRESS,
)
from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_TRANSCRIPT_REQUESTED

# The same shape as the `email` regex in data/nlu/entities.yml; the service validates strictly (handoff/mail).
ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# "max(at)web.de", "max at web punkt de", "max@web": meant as an address, not usable as one.
ATTEMPT = re.compile(r"@|[\w.-]\s*[(\[]\s*at\s*[)\]]|\w\s+at\s+\w+\s*(?:\.|punkt|dot)\s*\w", re.IGNORECASE)
# A request that says what to send: only then does an address in the same message go without a question (an
# address the NLU took for a request, "meine Mail ist …", gets the question instead of a mail).
NAMES_THE_CHAT = re.compile(r"verlauf|chat|gespr(?:ä|ae)ch|protokoll|unterhaltung|konversation|mitschrift|"
                            r"transkript|geschrieben", re.IGNORECASE)
# Addresses of the shop itself (a customer quoting our mail) are never proposed as theirs.
OWN_DOMAINS = ("nordwind-versand.de",)
MAX_INVALID_ATTEMPTS = 2
MAX_QUOTED_CHARS = 40

INTENT_AFFIRM, INTENT_DENY, INTENT_REQUEST = "affirm", "deny", "request_transcript"
REQUESTED_SLOT = "requested_slot"
# Besides these, a message without an address is another topic: the form lets the other rules answer it.
ANSWER_INTENTS = (INTENT_AFFIRM, INTENT_DENY, INTENT_REQUEST, "inform", "nlu_fallback")

CONFIRM, ASK, ASK_OTHER, INVALID = "confirm", "ask", "ask_other", "invalid"
# GAVE_UP: no usable address twice; MOVED_ON: the customer went on to other topics instead of answering.
CANCELLED, GAVE_UP, MOVED_ON = "cancelled", "gave_up", "moved_on"
QUESTIONS = {CONFIRM: UTTER_ASK_TRANSCRIPT_CONFIRM, ASK: UTTER_ASK_TRANSCRIPT_EMAIL,
             ASK_OTHER: UTTER_ASK_TRANSCRIPT_OTHER_EMAIL, INVALID: UTTER_TRANSCRIPT_INVALID_EMAIL}


@dataclass(frozen=True)
class Request:
    """Where the request stands (slot `transcript_request`): the open question, or how it ended."""
    question: str | None = None
    candidate: str | None = None     # the earlier address asked about (CONFIRM)
    given: str = ""                  # the unusable answer, quoted back (INVALID)
    attempts: int = 0
    ended: str | None = None         # CANCELLED, GAVE_UP, MOVED_ON
    address: str | None = None       # the address to send to
    other_topics: int = 0            # answered another topic while this question was open

    @classmethod
    def from_slot(cls, value: Any) -> "Request | None":
        if not isinstance(value, Mapping) or not value.get("question"):
            return None
        return cls(question=value.get("question"), candidate=value.get("candidate"), given=value.get("given") or "",
                   attempts=int(value.get("attempts") or 0), other_topics=int(value.get("other_topics") or 0))

    def as_slot(self) -> dict[str, Any] | None:
        if self.ended or self.address:
            return {"ended": self.ended} if self.ended else None
        return {"question": self.question, "candidate": self.candidate, "given": self.given,
                "attempts": self.attempts, "other_topics": self.other_topics}


def addresses_in(text: str) -> list[str]:
    return ADDRESS.findall(text or "")


def _own(address: str) -> bool:
    return address.rsplit("@", 1)[-1].lower() in OWN_DOMAINS


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTED_CHARS else text[: MAX_QUOTED_CHARS - 1] + "…"


def start(remembered: Iterable[str]) -> Request:
    """Asked without an address: the latest address typed earlier is confirmed, else one is asked for."""
    earlier = [address for address in remembered if not _own(address)]
    return Request(question=CONFIRM, candidate=earlier[-1]) if earlier else Request(question=ASK)


def next_step(text: str, intent: str | None, open_request: Request | None, remembered: Iterable[str]) -> Request | None:
    """What the customer's message means for the request; None: it is no answer (another topic).

    `open_request` is None when the request starts with this message; `remembered` are the addresses the customer
    typed before, oldest first.
    """
    typed = addresses_in(text)
    if typed and open_request is not None:   # the answer to our question
        return Request(address=typed[-1])
    if open_request is None or intent == INTENT_REQUEST:
        if typed and NAMES_THE_CHAT.search(text):
            return Request(address=typed[-1])
        return start([*remembered, *typed])
    if ATTEMPT.search(text or ""):
        attempts = open_request.attempts + 1
        if attempts >= MAX_INVALID_ATTEMPTS:
            return Request(ended=GAVE_UP)
        return Request(question=INVALID, given=_quoted(text), attempts=attempts)
    if open_request.question == CONFIRM and intent == INTENT_AFFIRM and open_request.candidate:
        return Request(address=open_request.candidate)
    if open_request.question == CONFIRM and intent == INTENT_DENY:
        return Request(question=ASK_OTHER)
    if intent == INTENT_DENY:
        return Request(ended=CANCELLED)
    if intent in ANSWER_INTENTS:   # "ja", a word that is no address: the question once more, counted
        attempts = open_request.attempts + 1
        if attempts >= MAX_INVALID_ATTEMPTS:
            return Request(ended=GAVE_UP)
        return replace(open_request, attempts=attempts)
    return None


def after_another_topic(open_request: Request | None) -> Request:
    """The form comes back after another topic was answered: its question once more, the second time not at all."""
    if open_request is None or open_request.other_topics:
        return Request(ended=MOVED_ON)
    return replace(open_request, other_topics=1)


def _returning_after_another_answer(tracker: Tracker) -> bool:
    """Rasa runs the form again after the action that answered another topic (the loop's unhappy path); the action
    before this run of the form is then not action_listen."""
    actions = [event.get("name") for event in tracker.events if event.get("event") == "action"]
    earlier = actions[:-1] if actions and actions[-1] == "transcript_form" else actions
    return bool(earlier) and earlier[-1] not in ("action_listen", None)


def remembered_addresses(tracker: Tracker) -> list[str]:
    """Addresses the customer typed before this message, oldest first: the recent turns the tracker holds, and slot
    `email` (the latest one, which outlives a compacted tracker)."""
    found: list[str] = []
    slot = tracker.get_slot(SLOT_EMAIL)
    found.extend(slot if isinstance(slot, list) else [slot] if isinstance(slot, str) else [])
    user_events = [event for event in tracker.events if event.get("event") == "user"]
    for event in user_events[:-1]:   # the latest is the message being answered
        text = event.get("text") or ""
        if not text.startswith(PAYLOAD_PREFIX):
            found.extend(addresses_in(text))
    latest: dict[str, str] = {}   # each once (whatever its case), at its latest position
    for address in found:
        latest.pop(address.lower(), None)
        latest[address.lower()] = address
    return list(latest.values())


class ValidateTranscriptForm(FormValidationAction):
    def name(self) -> str:
        return "validate_transcript_form"

    async def extract_transcript_email(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        text = latest.get("text") or ""
        if text.startswith(PAYLOAD_PREFIX):   # a button ("/affirm") carries no address
            text = ""
        open_request = Request.from_slot(tracker.get_slot(SLOT_TRANSCRIPT_REQUEST))
        step = next_step(text, intent, open_request, remembered_addresses(tracker))
        if step is None and not _returning_after_another_answer(tracker):
            return {}   # nothing extracted: the form is rejected and the new topic answered
        if step is None:
            step = after_another_topic(open_request)
        return {SLOT_TRANSCRIPT_EMAIL: step.address, SLOT_TRANSCRIPT_REQUEST: step.as_slot()}

    def validate_transcript_email(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return {SLOT_TRANSCRIPT_EMAIL: slot_value}   # extract_transcript_email decided

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        # rasa_sdk passes on only the form's own slots: the open question goes along with them, and a request that
        # ended without an address (declined, or none usable twice) stops the form; action_send_transcript says why.
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if not events:
            return events   # nothing extracted: the form is rejected, another rule answers the new topic
        state = tracker.get_slot(SLOT_TRANSCRIPT_REQUEST)
        events.append(SlotSet(SLOT_TRANSCRIPT_REQUEST, state))
        if isinstance(state, Mapping) and state.get("ended"):
            events.append(SlotSet(REQUESTED_SLOT, None))
        return events


class ActionAskTranscriptEmail(Action):
    """The form's one question: confirm the earlier address, ask for one, or say why the answer was no address."""

    def name(self) -> str:
        return "action_ask_transcript_email"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        request = Request.from_slot(tracker.get_slot(SLOT_TRANSCRIPT_REQUEST)) or Request(question=ASK)
        response = QUESTIONS.get(request.question or ASK, UTTER_ASK_TRANSCRIPT_EMAIL)
        dispatcher.utter_message(response=response, address=request.candidate or "", given_text=request.given)
        return []


class ActionSendTranscript(Action):
    """The form is done: the address to the service (which sends and answers), or why nothing is sent."""

    def name(self) -> str:
        return "action_send_transcript"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        address = tracker.get_slot(SLOT_TRANSCRIPT_EMAIL)
        state = tracker.get_slot(SLOT_TRANSCRIPT_REQUEST)
        if isinstance(address, str) and address:
            dispatcher.utter_message(json_message={CUSTOM_EVENT_KEY: EVENT_TRANSCRIPT_REQUESTED, "email": address})
        elif isinstance(state, Mapping) and state.get("ended") == CANCELLED:
            dispatcher.utter_message(response=UTTER_TRANSCRIPT_CANCELLED)
        elif isinstance(state, Mapping) and state.get("ended") == MOVED_ON:
            pass   # the customer has gone on to other things: the request is dropped without a word
        else:
            dispatcher.utter_message(response=UTTER_TRANSCRIPT_NO_ADDRESS)
        return [SlotSet(SLOT_TRANSCRIPT_EMAIL, None), SlotSet(SLOT_TRANSCRIPT_REQUEST, None)]
