"""The customer's view of a conversation's state: status plus, while queued, position and honest wait."""
from __future__ import annotations

from typing import Any

from handoff.domain.states import Status
from handoff.services import handoffs
from handoff.services.context import ServiceContext

STATE_FRAME = "state"


async def customer_state(services: ServiceContext, conversation_id: str, status: str) -> dict[str, Any]:
    position, wait_minutes = (None, None)
    if status == Status.QUEUED:
        position, wait_minutes = await handoffs.queue_position(services, conversation_id)
    return {"status": status, "queue_position": position, "wait_minutes": wait_minutes}


async def state_frame(services: ServiceContext, conversation_id: str, status: str) -> dict[str, Any]:
    return {"type": STATE_FRAME, **await customer_state(services, conversation_id, status)}
