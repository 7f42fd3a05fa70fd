"""The one place that turns domain events into bus topics and payloads (formats: see package docstring)."""
from __future__ import annotations

import logging
from typing import Any, Iterable

from handoff.bus.base import QUEUE_TOPIC, Bus, agent_topic, conversation_topic
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
        payload = {"type": "message", **base, "message": public, "detail": event.message}
        out: Outgoing = [(topic, payload)]
        if event.message.get("sender_type") == "customer":
            out.append((QUEUE_TOPIC, payload))
        return out
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
    if isinstance(event, ev.TicketCreated):
        return [(QUEUE_TOPIC, {"type": "ticket_created", **base, "ticket_id": event.ticket_id,
                               "kind": event.kind})]
    return []


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
