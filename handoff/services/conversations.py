"""Starting and finding conversations, and reading them back (transcript, detail)."""
from __future__ import annotations

from typing import Any

from handoff.services.context import ServiceContext
from handoff.services.views import ConversationView, MessageView


async def start_conversation(
    ctx: ServiceContext, channel: str, external_id: str | None = None
) -> tuple[ConversationView, str]:
    """New conversation in status `bot`; returns it and the customer's secret token (only its hash is stored)."""
    raise NotImplementedError


async def conversation_for_customer(ctx: ServiceContext, conversation_id: str, token: str) -> ConversationView:
    """The conversation if `token` belongs to it; NotFound / Forbidden otherwise."""
    raise NotImplementedError


async def conversation_for_external(ctx: ServiceContext, channel: str, external_id: str) -> ConversationView:
    """Find or create the conversation of a channel's sender id (Rasa REST / socket.io)."""
    raise NotImplementedError


async def get_conversation(ctx: ServiceContext, conversation_id: str) -> ConversationView:
    raise NotImplementedError


async def transcript(
    ctx: ServiceContext, conversation_id: str, after_seq: int = 0, include_private: bool = False
) -> list[MessageView]:
    raise NotImplementedError


async def conversation_detail(ctx: ServiceContext, conversation_id: str) -> dict[str, Any]:
    """For the agent console: conversation, transcript, latest handoff, notes, tickets, csat."""
    raise NotImplementedError
