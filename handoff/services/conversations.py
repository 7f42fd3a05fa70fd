"""Starting and finding conversations, and reading them back (transcript, detail)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy.exc import IntegrityError

from handoff.domain.states import Status
from handoff.services.context import ServiceContext
from handoff.services.errors import Forbidden, NotFound, ValidationError
from handoff.services.mapping import conversation_view, message_view, new_id
from handoff.services.transitions import load
from handoff.services.unit_of_work import reading, unit_of_work
from handoff.services.views import ConversationView, MessageView
from handoff.store import conversations, csat, handoffs, messages
from handoff.store import tickets as ticket_store
from handoff.services.ticket_views import article_view, ticket_view

CHANNELS = ("widget", "rest", "socketio")
DEFAULT_LOCALE = "de"
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _validate_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValidationError("channel", f"Unbekannter Kanal; erlaubt: {', '.join(CHANNELS)}.")


async def start_conversation(
    ctx: ServiceContext, channel: str, external_id: str | None = None
) -> tuple[ConversationView, str]:
    """New conversation in status `bot`; returns it and the customer's secret token (only its hash is stored)."""
    _validate_channel(channel)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = ctx.now()
    conversation_id = new_id()
    async with unit_of_work(ctx) as uow:
        await conversations.insert_conversation(uow.conn, {
            "id": conversation_id, "token_hash": hash_token(token), "channel": channel,
            "external_id": external_id, "status": Status.BOT.value, "priority": 0, "created_at": now,
            "updated_at": now, "last_seq": 0, "locale": DEFAULT_LOCALE,
        })
        row = await load(uow, conversation_id)
    return conversation_view(row), token


async def conversation_for_customer(ctx: ServiceContext, conversation_id: str, token: str) -> ConversationView:
    """The conversation if `token` belongs to it; NotFound / Forbidden otherwise."""
    async with reading(ctx) as conn:
        row = await conversations.get_conversation(conn, conversation_id)
    if row is None:
        raise NotFound("Gespräch nicht gefunden.")
    if not hmac.compare_digest(row["token_hash"], hash_token(token or "")):
        raise Forbidden("Kein Zugriff auf dieses Gespräch.")
    return conversation_view(row)


async def conversation_for_external(ctx: ServiceContext, channel: str, external_id: str) -> ConversationView:
    """Find or create the conversation of a channel's sender id (Rasa REST / socket.io)."""
    _validate_channel(channel)
    if not external_id:
        raise ValidationError("sender", "Absender-ID fehlt.")
    async with reading(ctx) as conn:
        row = await conversations.find_by_external(conn, channel, external_id)
    if row is not None:
        return conversation_view(row)
    try:
        view, _token = await start_conversation(ctx, channel, external_id)
        return view
    except IntegrityError:
        # Two first messages of the same sender raced; the unique (channel, external_id) picked the winner.
        async with reading(ctx) as conn:
            row = await conversations.find_by_external(conn, channel, external_id)
        if row is None:
            raise
        return conversation_view(row)


async def get_conversation(ctx: ServiceContext, conversation_id: str) -> ConversationView:
    async with reading(ctx) as conn:
        row = await conversations.get_conversation(conn, conversation_id)
    if row is None:
        raise NotFound("Gespräch nicht gefunden.")
    return conversation_view(row)


async def assignee_name(ctx: ServiceContext, conversation_id: str) -> str | None:
    """Display name of the agent the conversation is assigned to (the customer sees who helps them)."""
    async with reading(ctx) as conn:
        return await conversations.assignee_display_name(conn, conversation_id)


async def transcript(
    ctx: ServiceContext, conversation_id: str, after_seq: int = 0, include_private: bool = False
) -> list[MessageView]:
    async with reading(ctx) as conn:
        rows = await messages.list_messages(conn, conversation_id, after_seq, include_private)
    return [message_view(row) for row in rows]


async def since_previous_customer_message(ctx: ServiceContext, conversation_id: str, seq: int) -> list[MessageView]:
    """The public messages between the customer's message at `seq` and the one before it (bounded, not the
    whole transcript: a REST turn must not cost more the longer the conversation is)."""
    async with reading(ctx) as conn:
        rows = await messages.messages_since_previous_incoming(conn, conversation_id, seq)
    return [message_view(row) for row in rows]


def _handoff_dict(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    data = dict(row)
    for key in ("requested_at", "claimed_at", "ended_at"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


async def conversation_detail(ctx: ServiceContext, conversation_id: str) -> dict[str, Any]:
    """For the agent console: conversation, transcript, latest handoff, notes, tickets, csat."""
    async with reading(ctx) as conn:
        row = await conversations.get_conversation(conn, conversation_id)
        if row is None:
            raise NotFound("Gespräch nicht gefunden.")
        stored = [message_view(m) for m in await messages.list_messages(conn, conversation_id, 0, True)]
        handed_off = await handoffs.handoffs_for(conn, conversation_id)
        tickets = await ticket_store.tickets_of_conversation(conn, conversation_id)
        articles = {t["id"]: await ticket_store.articles_of(conn, t["id"]) for t in tickets}
        rating = await csat.csat_for(conn, conversation_id)
    return {
        "conversation": conversation_view(row).to_dict(),
        "transcript": [m.to_dict() for m in stored if not m.private],
        "notes": [m.to_dict() for m in stored if m.private],
        "handoff": _handoff_dict(handed_off[-1] if handed_off else None),
        "handoffs": [_handoff_dict(h) for h in handed_off],
        "tickets": [{**ticket_view(t, ctx.now()).to_dict(),
                     "articles": [article_view(a).to_dict() for a in articles[t["id"]]]} for t in tickets],
        "csat": {**dict(rating), "created_at": rating["created_at"].isoformat()} if rating else None,
    }
