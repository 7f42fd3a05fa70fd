"""Use cases on the customer's side: writing, being answered by the bot, tickets, rating."""
from __future__ import annotations

from handoff.services.context import ServiceContext
from handoff.services.views import MessageView, TicketView


async def receive_customer_message(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool]:
    """Store a customer message once per client_id; returns (message, duplicate)."""
    raise NotImplementedError


async def route_customer_message(
    ctx: ServiceContext, conversation_id: str, message: MessageView
) -> list[MessageView]:
    """Let the bot answer when the status routes to it; returns the messages stored in reply."""
    raise NotImplementedError


async def customer_writes(
    ctx: ServiceContext, conversation_id: str, client_id: str | None, text: str
) -> tuple[MessageView, bool, list[MessageView]]:
    """receive + route (a duplicate is not routed again); for channels without a separate ack step."""
    raise NotImplementedError


async def customer_typing(ctx: ServiceContext, conversation_id: str) -> None:
    raise NotImplementedError


async def leave_ticket(ctx: ServiceContext, conversation_id: str, email: str, note: str) -> TicketView:
    raise NotImplementedError


async def rate(ctx: ServiceContext, conversation_id: str, rating: int, comment: str | None = None) -> None:
    raise NotImplementedError
