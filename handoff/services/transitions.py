"""Applying a trigger to a stored conversation: the table decides, a conditional UPDATE makes it stick."""
from __future__ import annotations

from typing import Any, Mapping

from handoff.domain.events import StatusChanged
from handoff.domain.states import Trigger, next_status
from handoff.services.errors import Conflict, NotFound
from handoff.services.unit_of_work import UnitOfWork
from handoff.store import conversations


async def load(uow: UnitOfWork, conversation_id: str) -> Mapping[str, Any]:
    row = await conversations.get_conversation(uow.conn, conversation_id)
    if row is None:
        raise NotFound("Gespräch nicht gefunden.")
    uow.channels[conversation_id] = row["channel"]   # messages are counted by channel (handoff/metrics)
    return row


async def apply(
    uow: UnitOfWork, conversation: Mapping[str, Any], trigger: Trigger, now: Any, *,
    queue_position: int | None = None, wait_minutes: int | None = None, **facts: Any,
) -> str:
    """Move `conversation` on by `trigger`; InvalidTransition if the table forbids it, Conflict if it raced."""
    current = conversation["status"]
    new = next_status(current, trigger)
    changed = await conversations.change_status_if(uow.conn, conversation["id"], [current], new.value,
                                                   updated_at=now, **facts)
    if not changed:
        raise Conflict("Der Zustand des Gesprächs hat sich gerade geändert. Bitte neu laden.")
    assignee = facts.get("assignee_id", conversation["assignee_id"])
    uow.record(StatusChanged(conversation["id"], old_status=current, new_status=new.value, trigger=trigger.value,
                             assignee_id=assignee, queue_position=queue_position, wait_minutes=wait_minutes))
    return new.value
