"""Rows to views, and the message-writing helper every use case shares."""
from __future__ import annotations

import uuid
from datetime import timezone
from typing import Any, Mapping

from handoff.domain.events import MessageStored
from handoff.domain.vocabulary import (  # noqa: F401  (the message words, public names here)
    ACTIVITY, AGENT, BOT, CUSTOMER, INCOMING, OUTGOING, SYSTEM,
)
from handoff.store import conversations, messages
from handoff.services.unit_of_work import UnitOfWork
from handoff.services.views import ConversationView, MessageView

BOT_DISPLAY_NAME = "Nordwind-Assistent"
CONVERSATION_FIELDS = tuple(ConversationView.__dataclass_fields__)



def new_id() -> str:
    return str(uuid.uuid4())


def conversation_view(row: Mapping[str, Any]) -> ConversationView:
    return ConversationView(**{name: row[name] for name in CONVERSATION_FIELDS})


def message_view(row: Mapping[str, Any]) -> MessageView:
    sender_type = row["sender_type"]
    sender_name = row.get("agent_name") if sender_type == AGENT else BOT_DISPLAY_NAME if sender_type == BOT else None
    return MessageView(
        id=row["id"], conversation_id=row["conversation_id"], seq=row["seq"], client_id=row["client_id"],
        message_type=row["message_type"], sender_type=sender_type, sender_id=row["sender_id"],
        sender_name=sender_name, private=bool(row["private"]), text=row["text"], payload=row["payload"],
        intent=row["intent"], confidence=row["confidence"], tone_score=row["tone_score"],
        tone_label=row["tone_label"], created_at=row["created_at"],
    )


# Columns a new message gets from nobody but later steps (the bot's understanding of it).
_UNSET_ON_INSERT = {"intent": None, "confidence": None, "tone_score": None, "tone_label": None}


async def append_message(
    uow: UnitOfWork, ctx_now: Any, conversation_id: str, *, message_type: str, sender_type: str,
    text: str | None, sender_id: str | None = None, private: bool = False, client_id: str | None = None,
    payload: dict[str, Any] | None = None, routing_started_at: Any = None, routed_at: Any = None,
) -> MessageView:
    """Allocate the next seq, insert, and record MessageStored for publishing after commit.

    `routing_started_at` / `routed_at` (bot_routing.py) are written with the row: a new message claimed for the
    bot, or finished because a person reads it, needs no second statement.
    """
    message_id = new_id()
    seq = await conversations.allocate_seq(uow.conn, conversation_id)
    values = {
        "id": message_id, "conversation_id": conversation_id, "seq": seq, "client_id": client_id,
        "message_type": message_type, "sender_type": sender_type, "sender_id": sender_id, "private": private,
        "text": text, "payload": payload, "created_at": ctx_now.astimezone(timezone.utc),
        "routing_started_at": routing_started_at, "routed_at": routed_at,
    }
    await messages.insert_message(uow.conn, values)
    # The view is what was written (the database hands timestamps back in UTC, as here); only an agent's display
    # name has to be read, from the agents table.
    row = await messages.get_message(uow.conn, message_id) if sender_type == AGENT else {
        **values, **_UNSET_ON_INSERT, "agent_name": None}
    message = message_view(row)
    uow.record(MessageStored(conversation_id, message=message.to_dict(), private=private))
    uow.stored.append(message)
    return message
