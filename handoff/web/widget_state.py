"""The customer's view of a conversation's state: status plus, while queued, position and honest wait, and while
with an agent, that agent's display name."""
from __future__ import annotations

from typing import Any

from handoff.domain.states import Status
from handoff.services import conversations, handoffs, ticket_queries
from handoff.services.context import ServiceContext

STATE_FRAME = "state"


async def customer_state(
    services: ServiceContext, conversation_id: str, status: str,
    queue_position: int | None = None, wait_minutes: int | None = None,
) -> dict[str, Any]:
    """Position and wait are read from the database unless the caller has them (the bus payload carries them)."""
    if status == Status.QUEUED and queue_position is None:
        queue_position, wait_minutes = await handoffs.queue_position(services, conversation_id)
    state = {"status": status, "queue_position": queue_position if status == Status.QUEUED else None,
             "wait_minutes": wait_minutes if status == Status.QUEUED else None}
    if status == Status.AGENT:
        state["agent_name"] = await conversations.assignee_name(services, conversation_id)
    return state


async def state_frame(
    services: ServiceContext, conversation_id: str, status: str,
    queue_position: int | None = None, wait_minutes: int | None = None, with_requests: bool = False,
) -> dict[str, Any]:
    """`with_requests` (when the widget connects): the customer's open requests too, one notice line each
    ("Ihre Anfrage NW#… liegt bei unserem Team …"): a returning customer sees that nothing was forgotten."""
    frame = {"type": STATE_FRAME,
             **await customer_state(services, conversation_id, status, queue_position, wait_minutes)}
    if with_requests:
        tickets = await ticket_queries.tickets_for_customer(services, conversation_id)
        frame["requests"] = [ticket["notice"] for ticket in tickets if ticket["notice"]]
    return frame
