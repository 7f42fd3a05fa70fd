"""Conversation states and the transition table: the only place where a state change is decided.

The table is data (docs/architecture.md, "Conversation states"); services ask `next_status` and never assign a
status on their own.
"""
from __future__ import annotations

from enum import StrEnum

from handoff.domain.lifecycle import Lifecycle, TransitionRefused


class Status(StrEnum):
    BOT = "bot"
    QUEUED = "queued"
    AGENT = "agent"
    TICKET = "ticket"
    RESOLVED = "resolved"


class Trigger(StrEnum):
    HANDOFF_REQUESTED = "handoff_requested"
    CLAIMED = "claimed"
    NO_AGENT_AVAILABLE = "no_agent_available"
    TRANSFERRED = "transferred"
    HANDED_BACK = "handed_back"
    RESOLVED = "resolved"
    CUSTOMER_WROTE = "customer_wrote"


class InvalidTransition(TransitionRefused):
    """A trigger that the transition table does not allow from the current status."""


TRANSITIONS: dict[tuple[Status, Trigger], Status] = {
    (Status.BOT, Trigger.HANDOFF_REQUESTED): Status.QUEUED,
    (Status.QUEUED, Trigger.CLAIMED): Status.AGENT,
    (Status.QUEUED, Trigger.NO_AGENT_AVAILABLE): Status.TICKET,
    (Status.AGENT, Trigger.TRANSFERRED): Status.QUEUED,
    (Status.AGENT, Trigger.HANDED_BACK): Status.BOT,
    (Status.AGENT, Trigger.RESOLVED): Status.RESOLVED,
    (Status.QUEUED, Trigger.RESOLVED): Status.RESOLVED,
    (Status.BOT, Trigger.RESOLVED): Status.RESOLVED,
    (Status.TICKET, Trigger.RESOLVED): Status.RESOLVED,
    (Status.TICKET, Trigger.HANDOFF_REQUESTED): Status.QUEUED,
    (Status.RESOLVED, Trigger.CUSTOMER_WROTE): Status.BOT,
}

# Customer messages in these states go to the BotEngine; in the others they are stored and fanned out to agents.
BOT_ROUTED: frozenset[Status] = frozenset({Status.BOT, Status.TICKET})


CONVERSATION_LIFECYCLE: Lifecycle[Status, Trigger] = Lifecycle(
    Status, Trigger, TRANSITIONS, InvalidTransition)
next_status = CONVERSATION_LIFECYCLE.next_status
can_transition = CONVERSATION_LIFECYCLE.allows
sources_of = CONVERSATION_LIFECYCLE.sources_of   # conditional UPDATEs: WHERE status IN (its sources)


def routes_to_bot(status: Status | str) -> bool:
    return Status(status) in BOT_ROUTED
