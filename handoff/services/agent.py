"""Use cases on the agent's side: claim, reply, notes, hand back, transfer, resolve."""
from __future__ import annotations

from typing import Any, Mapping

from handoff.domain.events import (
    ConversationClaimed, ConversationHandedBack, ConversationResolved, ConversationTransferred, CsatRequested,
    SomeoneTyping, StatusChanged,
)
from handoff.services.publishing import publish_events
from handoff.domain.states import Status, Trigger, next_status
from handoff.services.context import ServiceContext
from handoff.services.errors import AlreadyClaimed, Conflict, Forbidden, NotFound
from handoff.services.mapping import (
    ACTIVITY, AGENT, OUTGOING, SYSTEM, append_message, conversation_view, message_view,
)
from handoff.services.text_input import clean_text
from handoff.services.transitions import apply, load
from handoff.services.unit_of_work import UnitOfWork, reading, unit_of_work
from handoff.services.views import ConversationView, MessageView
from handoff.store import accounts, conversations, csat, handoffs, messages

OUTCOME_HANDED_BACK, OUTCOME_TRANSFERRED, OUTCOME_RESOLVED = "handed_back", "transferred", "resolved"
CLAIMED_TEXT = "{name} aus unserem Team ist jetzt für Sie da."
HANDED_BACK_TEXT = "Sie schreiben jetzt wieder mit dem Nordwind-Assistenten. Sie können jederzeit wieder nach einer Person fragen."
TRANSFERRED_TEXT = "Ihr Gespräch wurde an eine Kollegin oder einen Kollegen weitergegeben. Bitte haben Sie einen Moment Geduld."
RESOLVED_TEXT = "Das Gespräch wurde abgeschlossen. Wie zufrieden waren Sie mit unserer Hilfe?"
ACTIVE_STATUSES = (Status.AGENT.value,)


async def _active_agent(uow: UnitOfWork, agent_id: str) -> Mapping[str, Any]:
    agent = await accounts.get_agent(uow.conn, agent_id)
    if agent is None or not agent["active"]:
        raise Forbidden("Unbekanntes oder deaktiviertes Konto.")
    return agent


async def _assigned(uow: UnitOfWork, conversation_id: str, agent_id: str) -> Mapping[str, Any]:
    conversation = await load(uow, conversation_id)
    if conversation["status"] != Status.AGENT.value or conversation["assignee_id"] != agent_id:
        raise Forbidden("Dieses Gespräch ist Ihnen nicht zugewiesen.")
    return conversation


async def claim(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    """Exactly one agent wins: the UPDATE only matches while the status is still `queued`."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        agent = await _active_agent(uow, agent_id)
        conversation = await load(uow, conversation_id)
        if conversation["status"] != Status.QUEUED.value:
            if conversation["status"] == Status.AGENT.value:
                raise AlreadyClaimed("Das Gespräch wurde bereits übernommen.")
            next_status(conversation["status"], Trigger.CLAIMED)  # raises InvalidTransition with from/trigger
        current_load = len(await conversations.assigned_to(uow.conn, agent_id, ACTIVE_STATUSES))
        if current_load >= agent["capacity"]:
            raise Conflict(f"Sie betreuen bereits {current_load} Gespräche (Ihre Kapazität).")
        new = next_status(Status.QUEUED, Trigger.CLAIMED).value
        # Not transitions.apply: the WHERE status='queued' race needs AlreadyClaimed, not a generic Conflict.
        won = await conversations.change_status_if(uow.conn, conversation_id, [Status.QUEUED.value], new,
                                                   assignee_id=agent_id, assigned_at=now, first_reply_at=None,
                                                   waiting_since=None, updated_at=now)
        if not won:
            raise AlreadyClaimed("Das Gespräch wurde bereits übernommen.")
        uow.record(StatusChanged(conversation_id, old_status=Status.QUEUED.value, new_status=new,
                                 trigger=Trigger.CLAIMED.value, assignee_id=agent_id))
        uow.record(ConversationClaimed(conversation_id, agent_id=agent_id))
        await handoffs.update_open_handoff(uow.conn, conversation_id, claimed_by=agent_id, claimed_at=now)
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=CLAIMED_TEXT.format(name=agent["display_name"]))
        row = await load(uow, conversation_id)
    return conversation_view(row)


async def agent_reply(
    ctx: ServiceContext, conversation_id: str, agent_id: str, text: str, client_id: str | None = None
) -> MessageView:
    cleaned = clean_text(text, ctx.config.max_message_length)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await _assigned(uow, conversation_id, agent_id)
        if client_id is not None:
            existing = await messages.find_message_by_client_id(uow.conn, conversation_id, client_id)
            if existing is not None:
                return message_view(existing)
        message = await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=AGENT,
                                       sender_id=agent_id, text=cleaned, client_id=client_id)
        if conversation["first_reply_at"] is None:
            await conversations.update_conversation(uow.conn, conversation_id, first_reply_at=now,
                                                    updated_at=now)
    return message


async def add_note(ctx: ServiceContext, conversation_id: str, agent_id: str, text: str) -> MessageView:
    """Private note for colleagues; any active agent may add one, customers never see it."""
    cleaned = clean_text(text, ctx.config.max_message_length)
    async with unit_of_work(ctx) as uow:
        await _active_agent(uow, agent_id)
        await load(uow, conversation_id)
        return await append_message(uow, ctx.now(), conversation_id, message_type=OUTGOING, sender_type=AGENT,
                                    sender_id=agent_id, text=cleaned, private=True)


async def agent_typing(ctx: ServiceContext, conversation_id: str, agent_id: str) -> None:
    await publish_events(ctx.bus, [SomeoneTyping(conversation_id, sender_type=AGENT, sender_id=agent_id)])


async def hand_back(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await _assigned(uow, conversation_id, agent_id)
        await apply(uow, conversation, Trigger.HANDED_BACK, now, assignee_id=None)
        await handoffs.update_open_handoff(uow.conn, conversation_id, ended_at=now,
                                           outcome=OUTCOME_HANDED_BACK)
        uow.record(ConversationHandedBack(conversation_id, agent_id=agent_id))
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=HANDED_BACK_TEXT)
        row = await load(uow, conversation_id)
    return conversation_view(row)


async def transfer_to_queue(ctx: ServiceContext, conversation_id: str, agent_id: str) -> ConversationView:
    """Back into the queue for a colleague; the handoff stays open and keeps its reasons and summary."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await _assigned(uow, conversation_id, agent_id)
        await apply(uow, conversation, Trigger.TRANSFERRED, now, assignee_id=None, waiting_since=now)
        await handoffs.update_open_handoff(uow.conn, conversation_id, claimed_by=None, claimed_at=None)
        uow.record(ConversationTransferred(conversation_id, agent_id=agent_id))
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=TRANSFERRED_TEXT)
        row = await load(uow, conversation_id)
    return conversation_view(row)


async def resolve(ctx: ServiceContext, conversation_id: str, agent_id: str | None) -> ConversationView:
    """Close from any open state; only the assignee may close a conversation in `agent`."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        if agent_id is not None:
            await _active_agent(uow, agent_id)
        if conversation["status"] == Status.AGENT.value and conversation["assignee_id"] != agent_id:
            raise Forbidden("Dieses Gespräch ist Ihnen nicht zugewiesen.")
        await apply(uow, conversation, Trigger.RESOLVED, now, resolved_at=now, waiting_since=None)
        await handoffs.update_open_handoff(uow.conn, conversation_id, ended_at=now, outcome=OUTCOME_RESOLVED)
        uow.record(ConversationResolved(conversation_id, resolved_by=agent_id))
        await append_message(uow, now, conversation_id, message_type=ACTIVITY, sender_type=SYSTEM,
                             text=RESOLVED_TEXT, payload={"offer": "csat"})
        uow.record(CsatRequested(conversation_id))
        await csat.record_survey_sent(uow.conn, conversation_id, now)   # response rate (docs/reports.md)
        row = await load(uow, conversation_id)
    return conversation_view(row)


async def my_conversations(ctx: ServiceContext, agent_id: str) -> list[ConversationView]:
    async with reading(ctx) as conn:
        rows = await conversations.assigned_to(conn, agent_id, ACTIVE_STATUSES)
    return [conversation_view(row) for row in rows]
