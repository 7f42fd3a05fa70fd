"""One INFO line per significant domain event, written when it is published (after its transaction committed).

The line names the event (`handoff_requested`, ...) and carries ids, codes and numbers only: never message texts,
names or e-mail addresses (handoff/logs.py explains the JSON form). Events not listed here (a stored message, someone
typing) are too frequent for INFO and are logged at DEBUG by name only.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from handoff.domain import events as ev

log = logging.getLogger("handoff.events")

# Events a person running the service wants to see one line for, with the fields that explain them.
SIGNIFICANT: dict[type, tuple[str, ...]] = {
    ev.HandoffRequested: ("handoff_id", "reasons"),
    ev.ConversationClaimed: ("agent_id",),
    ev.ConversationTransferred: ("agent_id",),
    ev.ConversationHandedBack: ("agent_id",),
    ev.ConversationResolved: ("resolved_by",),
    ev.CsatReceived: ("rating",),
    ev.TicketCreated: ("ticket_id", "kind", "number"),
    ev.TicketChanged: ("ticket_id", "number", "status", "change"),
    ev.TicketReminderDue: ("ticket_id", "number"),
    ev.ConversationDeleted: (),
    ev.IncidentChanged: ("incident_id", "change"),
    ev.GoodwillChanged: ("grant_id", "status", "agent_id"),
}
PLAIN_VALUE = (str, int, float, bool, type(None))


def event_name(event: ev.DomainEvent) -> str:
    """`HandoffRequested` -> `handoff_requested` (the past-tense class name is the event's name)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()


def _value(name: str, value: Any) -> Any:
    if name == "reasons":   # the codes only: a reason's detail may quote the customer
        return ",".join(str(reason.get("code")) for reason in value if isinstance(reason, dict))
    return value if isinstance(value, PLAIN_VALUE) else None


def log_event(event: ev.DomainEvent) -> None:
    name = event_name(event)
    keys = SIGNIFICANT.get(type(event))
    if keys is None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", name, extra={"event": name, "conversation_id": event.conversation_id})
        return
    present = {field.name for field in dataclasses.fields(event)}
    fields = {key: _value(key, getattr(event, key)) for key in keys if key in present}
    log.info("%s conversation=%s", name, event.conversation_id,
             extra={"event": name, "conversation_id": event.conversation_id, "fields": fields})
