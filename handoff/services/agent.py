"""Use cases on the agent's side: claim, reply, notes, hand back, transfer, resolve."""
from __future__ import annotations

from handoff.services.context import ServiceContext
from handoff.services.views import ConversationView, MessageView


async def claim(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    raise NotImplementedError


async def agent_reply(
    ctx: ServiceContext, conversation_id: str, agent_id: str, text: str, client_id: str | None = None
) -> MessageView:
    raise NotImplementedError


async def add_note(ctx: ServiceContext, conversation_id: str, agent_id: str, text: str) -> MessageView:
    raise NotImplementedError


async def agent_typing(ctx: ServiceContext, conversation_id: str, agent_id: str) -> None:
    raise NotImplementedError


async def hand_back(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    raise NotImplementedError


async def transfer_to_queue(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    raise NotImplementedError


async def resolve(ctx: ServiceContext, conversation_id: str, agent_id: str | None) -> ConversationView:
    raise NotImplementedError


async def my_conversations(ctx: ServiceContext, agent_id: str) -> list[ConversationView]:
    raise NotImplementedError
