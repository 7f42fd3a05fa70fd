"""Domain events: facts that happened, published on the bus only after their transaction committed.

Events carry plain data (ids, strings, dicts) so that the domain stays free of storage and transport types.
`handoff/services/publishing.py` maps each event to bus topics and payloads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    conversation_id: str


@dataclass(frozen=True)
class MessageStored(DomainEvent):
    message: dict[str, Any] = field(default_factory=dict)   # MessageView.to_dict()
    private: bool = False


@dataclass(frozen=True)
class StatusChanged(DomainEvent):
    old_status: str = ""
    new_status: str = ""
    trigger: str = ""
    assignee_id: str | None = None
    queue_position: int | None = None
    wait_minutes: int | None = None


@dataclass(frozen=True)
class HandoffRequested(DomainEvent):
    handoff_id: str = ""
    reasons: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ConversationClaimed(DomainEvent):
    agent_id: str = ""


@dataclass(frozen=True)
class ConversationTransferred(DomainEvent):
    agent_id: str = ""


@dataclass(frozen=True)
class ConversationHandedBack(DomainEvent):
    agent_id: str = ""


@dataclass(frozen=True)
class ConversationResolved(DomainEvent):
    resolved_by: str | None = None


@dataclass(frozen=True)
class CsatRequested(DomainEvent):
    pass


@dataclass(frozen=True)
class CsatReceived(DomainEvent):
    rating: int = 0


@dataclass(frozen=True)
class TicketCreated(DomainEvent):
    # conversation_id is "" for a ticket without a chat (opened by e-mail); ticket events go to agents only.
    ticket_id: str = ""
    kind: str = ""
    number: int = 0
    status: str = "new"


@dataclass(frozen=True)
class SomeoneTyping(DomainEvent):
    sender_type: str = ""
    sender_id: str | None = None


@dataclass(frozen=True)
class ConversationDeleted(DomainEvent):
    pass


# --- Tickets (issue 14): published on the agents' `tickets` topic (and the owner's), never to customers. ---

@dataclass(frozen=True)
class TicketChanged(DomainEvent):
    ticket_id: str = ""
    number: int = 0
    status: str = ""
    owner_id: str | None = None
    change: str = ""                      # the trigger, or "note", "customer_message", "answered", "details"
    previous_owner_id: str | None = None


@dataclass(frozen=True)
class TicketReminderDue(DomainEvent):
    ticket_id: str = ""
    number: int = 0
    owner_id: str | None = None


# --- Incidents and goodwill (issue 14): for agents only, on the `tickets` topic. conversation_id is "" there. ---

@dataclass(frozen=True)
class IncidentChanged(DomainEvent):
    incident_id: str = ""
    change: str = ""                      # opened | report | assigned | closed


@dataclass(frozen=True)
class GoodwillChanged(DomainEvent):
    grant_id: str = ""
    status: str = ""                      # granted | requested | approved | declined
    agent_id: str | None = None           # who granted or asked
