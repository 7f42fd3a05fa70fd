"""Builders for real Rasa trackers and domains, shared by the turns and policy tests."""
from __future__ import annotations

from typing import Any, Sequence

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

DOMAIN_YAML = """
version: "3.1"
intents: [greet, affirm, inform, request_human, order_status, complaint, damaged_item, gdpr_request]
entities: [amount, order_number]
slots:
  order_number:
    type: text
    influence_conversation: false
    mappings: [{type: from_entity, entity: order_number}]
  amount:
    type: text
    influence_conversation: false
    mappings: [{type: from_entity, entity: amount}]
  order_total:
    type: float
    influence_conversation: false
    mappings: [{type: custom}]
  escalation:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
forms:
  order_status_form:
    required_slots: [order_number]
actions: [action_handoff, action_clarify, action_order_status]
responses:
  utter_greet: [{text: "Guten Tag!"}]
  utter_handoff: [{text: "Ich übergebe an eine Kollegin oder einen Kollegen."}]
  utter_ask_order_number: [{text: "Wie lautet Ihre Bestellnummer?"}]
"""


def domain(yaml: str = DOMAIN_YAML) -> Domain:
    return Domain.from_yaml(yaml)


def user(
    text: str,
    intent: str = "complaint",
    score: float = 0.1,
    label: str = "calm",
    cues: Sequence[str] = (),
    entities: Sequence[dict[str, Any]] = (),
    confidence: float = 0.9,
) -> UserUttered:
    tone = {"score": score, "label": label, "cues": list(cues)}
    return UserUttered(
        text,
        intent={"name": intent, "confidence": confidence},
        entities=list(entities),
        parse_data={"tone": tone},
    )


def bot(action: str) -> list[Event]:
    """A bot action followed by listening, as the processor logs it."""
    return [ActionExecuted(action), ActionExecuted(ACTION_LISTEN_NAME)]


def start() -> list[Event]:
    return [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]


def tracker(events: Sequence[Event], the_domain: Domain | None = None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("kunde-1", list(events), slots=(the_domain or domain()).slots)
