"""Which answer an elliptical follow-up asks for: the decision of the ContextPolicy, without Rasa types.

"Was kostet der Versand?" → answer; "und nach Italien?" → the shipping answer again, now for Italy. The
follow-up has no topic of its own, so the NLU's guess for it (often `nlu_fallback`, `out_of_scope` or
`inform`) must not decide; the topic just answered does, or the detail the follow-up names (a country is
about shipping, a payment method about paying).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from bot.dialogue.followup import fold, is_elliptical_follow_up, signals_answer_did_not_help
from bot.dialogue.vocabulary import find_country, find_payment_method

TOPIC_DELIVERY = "delivery_info"
TOPIC_PAYMENT = "payment_methods"
# Intents that are never a follow-up to be answered in context: they have their own path (a person, an
# insult, the customer closing or greeting, the honest bot answer).
OWN_PATH_INTENTS = frozenset({
    "request_human", "gdpr_request", "insult", "other_language", "bot_challenge", "not_helped",
})
# Courtesy that may lead into a follow-up ("Danke! Und nach Österreich?", "Schade. Und Tschechien?", "Nein, ich
# meinte Österreich"): a follow-up only with a question or a named detail in it.
SOCIAL_INTENTS = frozenset({"thank", "greet", "affirm", "deny", "goodbye"})
# What the NLU says when it finds no topic in a follow-up: these never stand for a topic of their own.
_WEAK_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "inform"}) | SOCIAL_INTENTS
# Intents that are no topic to come back to.
NOT_TOPICS = OWN_PATH_INTENTS | _WEAK_INTENTS
# A different topic named this confidently is a topic switch, not a follow-up ("Und kann ich das umtauschen?").
TOPIC_SWITCH_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None
    confidence: float
    has_order_number: bool = False


def follow_up_topic(message: Message, answered_topic: str | None, answers: Mapping[str, str]) -> str | None:
    """The topic whose answer this message wants, or None when the normal rules should answer it.

    `answered_topic`: the topic the bot answered right before this message (None when it did not answer one).
    `answers`: topic → answer action of the topics that can be answered again in context.
    """
    if not is_elliptical_follow_up(message.text) or message.intent in OWN_PATH_INTENTS:
        return None
    if message.has_order_number:
        return None  # an order number is looked up by the order rules, whatever came before
    named = _topic_of_named_detail(message.text)
    if message.intent in SOCIAL_INTENTS and named is None and "?" not in message.text:
        return None  # "Und danke!", "ok und tschüss": no question to answer
    # "Gilt das auch aus Österreich?" after the returns answer is still about returns: "das ... auch" points back.
    topic = answered_topic if answered_topic in answers and refers_back(message.text) else named or answered_topic
    if topic is None or topic not in answers:
        return None
    if message.intent == topic:
        return None  # the rules answer it already, with the same context-aware action
    # A confident new topic, or something confidently outside the assistant's field ("Und wie wird das Wetter?").
    own_meaning = message.intent not in _WEAK_INTENTS or message.intent == "out_of_scope"
    switches = own_meaning and message.confidence >= TOPIC_SWITCH_CONFIDENCE
    if named is None and switches and not asks_only_a_detail(message.text):
        return None
    return topic


def says_answer_did_not_help(message: Message, answered_topic: str | None) -> bool:
    """ "Das hilft mir nicht, ich habe als Gast bestellt" right after an answer, where the NLU found no topic:
    the customer is told that a person can look into it (utter_not_helped), not asked to pick a topic."""
    return (answered_topic is not None and message.intent in _WEAK_INTENTS
            and signals_answer_did_not_help(message.text))


# Words that ask for a detail of whatever was just answered (cost, time, place, how) without naming a topic: the
# NLU reads "Und was kostet mich das?" as a shipping question because "kostet" is a shipping word, but after the
# returns answer it is about returns.
_DETAIL_WORDS = frozenset("""
und oder aber also ok okay gut danke ach ah achso alles klar super prima
was wie wann wo wohin woher wer wieso warum weshalb welche welcher welches wieviel wie viel
ist sind wird werden war hat habe hab haben kann koennen muss muessen soll sollte darf geht gilt klappt
das es dies dieses der die den dem sie er ihn ihm mich mir ich man wir uns denn dann noch auch jetzt
eigentlich genau ungefaehr etwa so da dafuer dabei davon damit dazu dort hier bei mit fuer von im in an auf
kostet kosten koste teuer guenstig preis lange dauert dauern dauer braucht brauchen schnell viel
ein eine einen etwas was nochmal mal bitte
""".split())


def asks_only_a_detail(text: str) -> bool:
    """ "Und was kostet mich das?", "Und wie lange dauert es?": only detail words, no topic word of its own."""
    words = [word for word in re.findall(r"[a-z]+", fold(text))]
    return bool(words) and all(word in _DETAIL_WORDS for word in words)


_REFERS_BACK = re.compile(r"\b(das|dies|dieses|es|die|der)\b.*\bauch\b|\bauch\b.*\b(das|dies|es)\b", re.IGNORECASE)


def refers_back(text: str) -> bool:
    """ "Gilt das auch für ...", "geht das auch ...": the question is about what was just answered."""
    return bool(_REFERS_BACK.search(text))


def _topic_of_named_detail(text: str) -> str | None:
    if find_country(text) is not None:
        return TOPIC_DELIVERY
    if find_payment_method(text) is not None:
        return TOPIC_PAYMENT
    return None
