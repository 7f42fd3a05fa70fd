"""Where an agent's answer goes: the widget conversation the ticket came from, and (issue 16) e-mail.

Both happen in the transaction that stores the answer article, so an answer is never stored without its
delivery being on its way, and never delivered without being stored.
"""
from __future__ import annotations

from typing import Any, Mapping

from handoff.domain.ticket_words import reference
from handoff.domain.vocabulary import AGENT, OUTGOING
from handoff.services.context import ServiceContext
from handoff.services.mail_outbox import enqueue_answer_in
from handoff.services.mapping import append_message
from handoff.services.ticket_views import ArticleView
from handoff.services.unit_of_work import UnitOfWork
from handoff.store import conversations

CHANNEL_WIDGET = "widget"
CHANNEL_EMAIL = "email"
WIDGET_ANSWER_PREFIX = "Antwort zu Ihrer Anfrage {reference}:\n"


async def deliver_answer_in(
    uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any], article: ArticleView, agent_id: str,
) -> list[str]:
    """Deliver the answer on every channel the customer can be reached on; returns those channels.

    The widget: the answer becomes an agent message of the ticket's conversation; a customer who is connected sees
    it at once, one who comes back later finds it in the conversation (the widget replays what it missed).
    """
    channels: list[str] = []
    conversation_id = ticket["conversation_id"]
    if conversation_id and await conversations.get_conversation(uow.conn, conversation_id) is not None:
        await append_message(
            uow, article.created_at, conversation_id, message_type=OUTGOING, sender_type=AGENT, sender_id=agent_id,
            text=WIDGET_ANSWER_PREFIX.format(reference=reference(ticket["number"])) + (article.text or ""),
            payload={"ticket": {"id": ticket["id"], "reference": reference(ticket["number"])}},
            routed_at=article.created_at)
        channels.append(CHANNEL_WIDGET)
    if await enqueue_email_delivery(uow, ctx, ticket, article):
        channels.append(CHANNEL_EMAIL)
    return channels


async def enqueue_email_delivery(
    uow: UnitOfWork, ctx: ServiceContext, ticket: Mapping[str, Any], article: ArticleView,
) -> bool:
    """THE hook for e-mail (issue 16): the outbox row for `article` to `ticket["email"]`, in `uow`.

    True when a mail was enqueued; False without an address or when the address is undeliverable (a permanent
    bounce): then the answer reaches the customer through the widget only. Without SMTP settings the mail waits
    in the outbox (handoff/services/mail_outbox.py, docs/email.md).
    """
    return await enqueue_answer_in(uow, ctx, ticket, article) is not None
