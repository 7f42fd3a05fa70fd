"""Conversations the service tests build through the use cases themselves."""
from __future__ import annotations

from handoff.services import agent as agent_side, auth, conversations, customer, presence
from handoff.services.context import ServiceContext


async def conversation_in_every_table(ctx: ServiceContext, rating: int = 5) -> str:
    """Messages, a handoff, a note, a resolution, a rating, a ticket: every table a conversation touches."""
    anna = await auth.create_agent(ctx, f"a{ctx.now().timestamp():.0f}@nordwind.example", "Anna",
                                   "correct horse battery")
    await presence.choose_status(ctx, anna.id, "online")
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", "Mitarbeiter bitte")
    await agent_side.claim(ctx, conversation.id, anna.id)
    await agent_side.add_note(ctx, conversation.id, anna.id, "intern")
    await agent_side.resolve(ctx, conversation.id, anna.id)
    await customer.rate(ctx, conversation.id, rating)
    await customer.leave_ticket(ctx, conversation.id, "k@example.de", "Bitte melden")
    return conversation.id
