"""Administration: canned replies, business hours, export and deletion of one conversation."""
from __future__ import annotations

from typing import Any

from handoff.domain.hours import BusinessHours
from handoff.services.context import ServiceContext
from handoff.services.views import CannedReply


async def list_canned_replies(ctx: ServiceContext) -> list[CannedReply]:
    raise NotImplementedError


async def create_canned_reply(ctx: ServiceContext, shortcut: str, title: str, text: str) -> CannedReply:
    raise NotImplementedError


async def update_canned_reply(
    ctx: ServiceContext, reply_id: str, *, shortcut: str | None = None, title: str | None = None,
    text: str | None = None,
) -> CannedReply:
    raise NotImplementedError


async def delete_canned_reply(ctx: ServiceContext, reply_id: str) -> None:
    raise NotImplementedError


async def get_business_hours(ctx: ServiceContext) -> BusinessHours:
    raise NotImplementedError


async def set_business_hours(ctx: ServiceContext, data: dict[str, Any]) -> BusinessHours:
    """`data` as BusinessHours.to_dict() produces it; ValidationError on bad input."""
    raise NotImplementedError


async def export_conversation(ctx: ServiceContext, conversation_id: str) -> dict[str, Any]:
    raise NotImplementedError


async def delete_conversation(ctx: ServiceContext, conversation_id: str) -> None:
    """Deletes messages, handoffs, tickets, csat and the conversation (the Rasa tracker is the web layer's)."""
    raise NotImplementedError
