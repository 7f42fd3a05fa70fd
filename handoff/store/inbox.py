"""The trainer inbox's queries: unannotated customer messages with a reason to look, and agents' replies as hints.

Why a message is there (and how the rows are grouped and ranked) is decided in handoff/training/inbox.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.vocabulary import AGENT, CUSTOMER
from handoff.store.tables import annotations, csat, handoffs, messages

FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE_BELOW = 0.6
NEGATIVE_RATING_AT_MOST = 2
CALM_LABEL = "calm"
# Newest first, at most this many: the inbox is for the recent past; a period filter reaches further back.
SCAN_LIMIT = 2000


@dataclass(frozen=True)
class CandidateFilter:
    since: datetime | None = None
    until: datetime | None = None
    intent: str | None = None


async def candidates(conn: AsyncConnection, filters: CandidateFilter) -> list[Any]:
    """Rows (id, conversation_id, text, intent, confidence, tone_label, created_at, rating, last_handoff)."""
    last_handoff = (
        select(handoffs.c.conversation_id, func.max(handoffs.c.requested_at).label("last_handoff"))
        .group_by(handoffs.c.conversation_id).subquery())
    query = (
        select(messages.c.id, messages.c.conversation_id, messages.c.text, messages.c.intent,
               messages.c.confidence, messages.c.tone_label, messages.c.created_at, csat.c.rating,
               last_handoff.c.last_handoff)
        .select_from(messages
                     .outerjoin(annotations, annotations.c.message_id == messages.c.id)
                     .outerjoin(csat, csat.c.conversation_id == messages.c.conversation_id)
                     .outerjoin(last_handoff, last_handoff.c.conversation_id == messages.c.conversation_id))
        .where(messages.c.sender_type == CUSTOMER, messages.c.text.is_not(None), annotations.c.id.is_(None))
        .where(or_(messages.c.intent == FALLBACK_INTENT, messages.c.confidence < LOW_CONFIDENCE_BELOW,
                   and_(messages.c.tone_label.is_not(None), messages.c.tone_label != CALM_LABEL),
                   csat.c.rating <= NEGATIVE_RATING_AT_MOST, last_handoff.c.last_handoff.is_not(None)))
    )
    if filters.since is not None:
        query = query.where(messages.c.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(messages.c.created_at < filters.until)
    if filters.intent:
        query = query.where(messages.c.intent == filters.intent)
    result = await conn.execute(query.order_by(messages.c.created_at.desc()).limit(SCAN_LIMIT))
    return list(result.mappings())


async def agent_replies(conn: AsyncConnection, conversation_ids: Sequence[str], per_conversation: int) -> dict[str, list[str]]:
    """The first public agent replies of each conversation (unredacted: the caller redacts)."""
    if not conversation_ids:
        return {}
    result = await conn.execute(
        select(messages.c.conversation_id, messages.c.text)
        .where(messages.c.conversation_id.in_(list(conversation_ids)), messages.c.sender_type == AGENT,
               messages.c.private.is_(False), messages.c.text.is_not(None))
        .order_by(messages.c.conversation_id, messages.c.seq))
    replies: dict[str, list[str]] = {}
    for conversation_id, text in result:
        found = replies.setdefault(conversation_id, [])
        if len(found) < per_conversation:
            found.append(text)
    return replies
