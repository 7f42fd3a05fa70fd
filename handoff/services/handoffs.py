"""Handing a conversation from the bot to people: request, queue."""
from __future__ import annotations

from typing import Any

from handoff.services.context import ServiceContext
from handoff.services.views import QueueItem


async def request_handoff(
    ctx: ServiceContext, conversation_id: str, reasons: list[dict[str, Any]], summary: dict[str, Any]
) -> str:
    """bot/ticket → queued, or on to ticket when closed / nobody online. Returns the new status."""
    raise NotImplementedError


async def queue(ctx: ServiceContext) -> list[QueueItem]:
    raise NotImplementedError


async def queue_position(ctx: ServiceContext, conversation_id: str) -> tuple[int | None, int | None]:
    """(1-based position, honest wait in minutes) while queued, else (None, None)."""
    raise NotImplementedError
