"""The review inbox: customer messages worth a trainer's look, ranked, with why each one is there.

Reasons: the bot fell back (`nlu_fallback`), low intent confidence, the conversation ended in a handoff (the
agent's replies are the hint what it was about), the tone scorer marked it, the customer rated it badly.
Texts leave this module redacted: a trainer needs the wording, not the person.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.redaction import redact
from handoff.store.tables import annotations, csat, handoffs, messages

FALLBACK, LOW_CONFIDENCE, HANDOFF = "fallback", "low_confidence", "handoff"
TONE, NEGATIVE_CSAT = "tone", "negative_csat"
REASONS = (FALLBACK, LOW_CONFIDENCE, HANDOFF, TONE, NEGATIVE_CSAT)
# How much each reason says about a misunderstanding: a fallback is certain, a bad rating likely, ...
REASON_WEIGHTS = {FALLBACK: 5.0, NEGATIVE_CSAT: 4.0, HANDOFF: 3.0, TONE: 2.0, LOW_CONFIDENCE: 1.0}
FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE_BELOW = 0.6
NEGATIVE_RATING_AT_MOST = 2
CALM_LABEL = "calm"
HINT_REPLIES = 3
DEFAULT_LIMIT = 100
SCAN_LIMIT = 2000


@dataclass(frozen=True)
class InboxFilter:
    since: datetime | None = None
    until: datetime | None = None
    intent: str | None = None
    reason: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass
class InboxItem:
    message_id: str
    conversation_id: str
    text: str
    intent: str | None
    confidence: float | None
    tone_label: str | None
    created_at: datetime
    reasons: list[str]
    score: float
    csat_rating: int | None = None
    agent_hints: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "conversation_id": self.conversation_id, "text": self.text,
                "intent": self.intent, "confidence": self.confidence, "tone_label": self.tone_label,
                "created_at": self.created_at.isoformat(), "reasons": self.reasons,
                "score": round(self.score, 3),
                "csat_rating": self.csat_rating, "agent_hints": self.agent_hints}


def reasons_for(row: Any) -> list[str]:
    found = []
    if row["intent"] == FALLBACK_INTENT:
        found.append(FALLBACK)
    elif row["confidence"] is not None and row["confidence"] < LOW_CONFIDENCE_BELOW:
        found.append(LOW_CONFIDENCE)
    if row["last_handoff"] is not None and row["created_at"] <= _aware(row["last_handoff"]):
        found.append(HANDOFF)
    if row["tone_label"] not in (None, CALM_LABEL):
        found.append(TONE)
    if row["rating"] is not None and row["rating"] <= NEGATIVE_RATING_AT_MOST:
        found.append(NEGATIVE_CSAT)
    return found


def _aware(value: datetime) -> datetime:
    # func.max over a SQLite column comes back as a naive string-parsed value, not through UtcDateTime.
    from datetime import timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def score(row: Any, reasons: Sequence[str]) -> float:
    uncertainty = 1.0 - row["confidence"] if row["confidence"] is not None else 0.5
    return sum(REASON_WEIGHTS[r] for r in reasons) + uncertainty


def _candidates_query(filters: InboxFilter):
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
        .where(messages.c.sender_type == "customer", messages.c.text.is_not(None), annotations.c.id.is_(None))
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
    return query.order_by(messages.c.created_at.desc()).limit(SCAN_LIMIT)


async def _agent_hints(conn: AsyncConnection, conversation_ids: Sequence[str]) -> dict[str, list[str]]:
    if not conversation_ids:
        return {}
    result = await conn.execute(
        select(messages.c.conversation_id, messages.c.text)
        .where(messages.c.conversation_id.in_(list(conversation_ids)), messages.c.sender_type == "agent",
               messages.c.private.is_(False), messages.c.text.is_not(None))
        .order_by(messages.c.conversation_id, messages.c.seq))
    hints: dict[str, list[str]] = {}
    for conversation_id, text in result:
        replies = hints.setdefault(conversation_id, [])
        if len(replies) < HINT_REPLIES:
            replies.append(redact(text))
    return hints


async def review_inbox(conn: AsyncConnection, filters: InboxFilter = InboxFilter()) -> list[InboxItem]:
    """Unannotated customer messages with at least one reason, best first."""
    items = []
    for row in (await conn.execute(_candidates_query(filters))).mappings():
        reasons = reasons_for(row)
        if not reasons or (filters.reason and filters.reason not in reasons):
            continue
        items.append(InboxItem(
            message_id=row["id"], conversation_id=row["conversation_id"], text=redact(row["text"]),
            intent=row["intent"], confidence=row["confidence"], tone_label=row["tone_label"],
            created_at=row["created_at"], reasons=reasons, score=score(row, reasons),
            csat_rating=row["rating"]))
    items.sort(key=lambda item: (-item.score, item.created_at))
    items = items[: filters.limit]
    hints = await _agent_hints(conn, sorted({i.conversation_id for i in items if HANDOFF in i.reasons}))
    for item in items:
        item.agent_hints = hints.get(item.conversation_id, []) if HANDOFF in item.reasons else []
    return items
