"""The one place that turns domain events into bus topics and payloads (formats: see package docstring)."""
from __future__ import annotations

import logging
from typing import Any, Iterable

from handoff.bus.base import QUEUE_TOPIC, TICKETS_TOPIC, Bus, agent_topic, conversation_topic
from handoff.domain import events as ev
from handoff.metrics import record
from handoff.services.event_log import log_event

log = logging.getLogger(__name__)

Outgoing = list[tuple[str, dict[str, Any]]]
PUBLIC_MESSAGE_KEYS = ("seq", "message_type", "sender_type", "sender_name", "text", "buttons", "created_at")
AGENT_SIDE_STATUSES = ("queued", "agent")


def envelopes(event: ev.DomainEvent) -> Outgoing:
    cid = event.conversation_id
    base = {"conversation_id": cid}
    topic = conversation_topic(cid)
    if isinstance(event, ev.MessageStored):
        if event.private:
            return [(topic, {"type": "note", **base, "detail": event.message})]
        public = {key: event.message.get(key) for key in PUBLIC_MESSAGE_KEYS}
        # Only on the conversation's own topic: the queue topic carries queue changes, never message streams, so an
        # agent's console does not receive every customer's chat with the bot (handoff/domain/visibility.py).
        return [(topic, {"type": "message", **base, "message": public, "detail": event.message})]
    if isinstance(event, ev.StatusChanged):
        state = {"type": "state", **base, "status": event.new_status, "assignee_id": event.assignee_id,
                 "queue_position": event.queue_position, "wait_minutes": event.wait_minutes}
        out = [(topic, state)]
        if event.old_status in AGENT_SIDE_STATUSES or event.new_status in AGENT_SIDE_STATUSES:
            out.append((QUEUE_TOPIC, {"type": "queue_changed", **base, "status": event.new_status,
                                      "reason": event.trigger}))
        return out
    if isinstance(event, ev.ConversationClaimed):
        return [(agent_topic(event.agent_id), {"type": "assigned", **base})]
    if isinstance(event, (ev.ConversationHandedBack, ev.ConversationTransferred)):
        return [(agent_topic(event.agent_id), {"type": "unassigned", **base})]
    if isinstance(event, ev.ConversationResolved) and event.resolved_by:
        return [(agent_topic(event.resolved_by), {"type": "unassigned", **base})]
    if isinstance(event, ev.SomeoneTyping):
        return [(topic, {"type": "typing", **base, "sender_type": event.sender_type})]
    if isinstance(event, ev.CsatRequested):
        return [(topic, {"type": "csat_requested", **base})]
    if isinstance(event, ev.ConversationDeleted):
        return [(topic, {"type": "deleted", **base}), (QUEUE_TOPIC, {"type": "queue_changed", **base,
                                                                     "status": None, "reason": "deleted"})]
    if isinstance(event, (ev.TicketCreated, ev.TicketChanged, ev.TicketReminderDue)):
        return _ticket_envelopes(event)
    if isinstance(event, ev.IncidentChanged):
        return [(TICKETS_TOPIC, {"type": "incident_changed", "incident_id": event.incident_id, "change": event.change})]
    if isinstance(event, ev.GoodwillChanged):
        payload = {"type": "goodwill_changed", "grant_id": event.grant_id, "status": event.status}
        return [(TICKETS_TOPIC, payload)] + ([(agent_topic(event.agent_id), payload)] if event.agent_id else [])
    return []


def _ticket_envelopes(event: ev.DomainEvent) -> Outgoing:
    """Ticket events reach agents only: the `tickets` topic, and the owner's own topic for what concerns them."""
    if isinstance(event, ev.TicketCreated):
        return [(TICKETS_TOPIC, {"type": "ticket_created", "conversation_id": event.conversation_id or None,
                                 "ticket_id": event.ticket_id, "number": event.number, "kind": event.kind,
                                 "status": event.status})]
    if isinstance(event, ev.TicketReminderDue):
        payload = {"type": "ticket_reminder", "ticket_id": event.ticket_id, "number": event.number,
                   "owner_id": event.owner_id}
        out: Outgoing = [(TICKETS_TOPIC, payload)]
        if event.owner_id:
            out.append((agent_topic(event.owner_id), payload))
        return out
    assert isinstance(event, ev.TicketChanged)
    payload = {"type": "ticket_changed", "ticket_id": event.ticket_id, "number": event.number,
               "status": event.status, "owner_id": event.owner_id, "change": event.change}
    out = [(TICKETS_TOPIC, payload)]
    if event.owner_id and (event.owner_id != event.previous_owner_id or event.change == "customer_replied"):
        out.append((agent_topic(event.owner_id), payload))
    return out


async def publish_events(bus: Bus, events: Iterable[ev.DomainEvent]) -> None:
    """Best effort: the transaction is committed already, a bus failure must not turn success into an error."""
    for event in events:
        log_event(event)
        for topic, payload in envelopes(event):
            try:
                await bus.publish(topic, payload)
            except Exception:  # noqa: BLE001 - any bus failure is logged, the data is safe in the database
                log.exception("publishing %s on %s failed", type(event).__name__, topic)
                record.bus_publish_failed()
