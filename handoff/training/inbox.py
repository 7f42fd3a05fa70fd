"""The review inbox (the Prüfliste): customer messages worth a trainer's look, why, and grouped by wording.

Reasons: the bot fell back (`nlu_fallback`), low intent confidence, the conversation ended in a handoff (the
agent's replies are the hint what it was about), the tone scorer marked it, the customer rated it badly.
The same failure comes again and again in nearly the same words: `review_groups` puts identical and
near-identical messages into one row with a count and when they were first and last seen, most frequent first,
so a trainer fixes the most frequent failure first and one annotation can label the whole group.
Texts leave this module redacted: a trainer needs the wording, not the person. The SQL is handoff/store/inbox.py.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from difflib import SequenceMatcher
from typing import Any, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.redaction import redact
from handoff.store import inbox as store
from handoff.store.inbox import CALM_LABEL, FALLBACK_INTENT, LOW_CONFIDENCE_BELOW, NEGATIVE_RATING_AT_MOST

FALLBACK, LOW_CONFIDENCE, HANDOFF = "fallback", "low_confidence", "handoff"
TONE, NEGATIVE_CSAT = "tone", "negative_csat"
REASONS = (FALLBACK, LOW_CONFIDENCE, HANDOFF, TONE, NEGATIVE_CSAT)
# How much each reason says about a misunderstanding: a fallback is certain, a bad rating likely, ...
REASON_WEIGHTS = {FALLBACK: 5.0, NEGATIVE_CSAT: 4.0, HANDOFF: 3.0, TONE: 2.0, LOW_CONFIDENCE: 1.0}
HINT_REPLIES = 3
DEFAULT_LIMIT = 100
SCAN_LIMIT = store.SCAN_LIMIT
# Near-identical: after folding, at least this similar (difflib ratio) to the group's first wording.
NEAR_IDENTICAL_AT_LEAST = 0.85
# Pairwise comparison is quadratic: only the most frequent wordings are merged by similarity.
MERGE_CANDIDATES = 300
MEMBERS_SHOWN = 50


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


@dataclass
class InboxGroup:
    """Identical and near-identical messages: one row, one annotation for all of them."""

    key: str
    items: list[InboxItem]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def score(self) -> float:
        return max(item.score for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        newest = max(self.items, key=lambda item: item.created_at)
        reasons = [reason for reason in REASONS if any(reason in item.reasons for item in self.items)]
        intents = Counter(item.intent for item in self.items if item.intent)
        members = sorted(self.items, key=lambda item: item.created_at, reverse=True)
        return {"key": self.key, "text": newest.text, "count": self.count,
                "first_seen": min(item.created_at for item in self.items).isoformat(),
                "last_seen": newest.created_at.isoformat(), "reasons": reasons,
                "intents": [{"intent": name, "count": count} for name, count in intents.most_common()],
                "score": round(self.score, 3), "agent_hints": newest.agent_hints,
                "message_ids": [item.message_id for item in members],
                "members": [{"message_id": item.message_id, "text": item.text, "intent": item.intent,
                             "confidence": item.confidence, "created_at": item.created_at.isoformat()}
                            for item in members[:MEMBERS_SHOWN]]}


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


def _aware(value: datetime | str) -> datetime:
    # func.max over a SQLite column comes back as a naive string-parsed value, not through UtcDateTime.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def score(row: Any, reasons: Sequence[str]) -> float:
    uncertainty = 1.0 - row["confidence"] if row["confidence"] is not None else 0.5
    return sum(REASON_WEIGHTS[r] for r in reasons) + uncertainty


_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w\s#]")
_STRETCHED = re.compile(r"(\w)\1{2,}")
_SPACE = re.compile(r"\s+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def wording_key(text: str) -> str:
    """What makes two messages "identical" for the inbox: the same words once case, punctuation, umlaut
    spelling, stretched letters ("hallooo"), numbers (order numbers differ) and redaction placeholders are
    set aside. "Wo ist mein Paket??" and "wo ist MEIN paket" have one key."""
    folded = _PLACEHOLDER.sub(" # ", unicodedata.normalize("NFC", text).casefold()).translate(_UMLAUTS)
    folded = _DIGITS.sub("#", folded)
    folded = _STRETCHED.sub(r"\1", _NOT_WORD.sub(" ", folded))
    return _SPACE.sub(" ", folded).strip()


def _similar(first: str, second: str) -> bool:
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return (matcher.real_quick_ratio() >= NEAR_IDENTICAL_AT_LEAST and matcher.quick_ratio() >= NEAR_IDENTICAL_AT_LEAST
            and matcher.ratio() >= NEAR_IDENTICAL_AT_LEAST)


def group_items(items: Sequence[InboxItem]) -> list[InboxGroup]:
    """Identical wordings (same key) first, then near-identical ones (typos, a word more or less) merged into the
    more frequent group; most frequent first, then the surest misunderstanding, then the newest."""
    by_key: dict[str, InboxGroup] = {}
    for item in items:
        key = wording_key(item.text)
        by_key.setdefault(key, InboxGroup(key, [])).items.append(item)
    ranked = sorted(by_key.values(), key=lambda group: (-group.count, -group.score))
    merged: list[InboxGroup] = []
    for group in ranked[:MERGE_CANDIDATES]:
        home = next((kept for kept in merged if _similar(kept.key, group.key)), None)
        if home is None:
            merged.append(group)
        else:
            home.items.extend(group.items)
    merged.extend(ranked[MERGE_CANDIDATES:])
    newest = {id(group): max(item.created_at for item in group.items) for group in merged}
    merged.sort(key=lambda group: (-group.count, -group.score, -newest[id(group)].timestamp()))
    return merged


async def _scored(conn: AsyncConnection, filters: InboxFilter) -> list[InboxItem]:
    items = []
    rows = await store.candidates(conn, store.CandidateFilter(filters.since, filters.until, filters.intent))
    for row in rows:
        reasons = reasons_for(row)
        if not reasons or (filters.reason and filters.reason not in reasons):
            continue
        items.append(InboxItem(
            message_id=row["id"], conversation_id=row["conversation_id"], text=redact(row["text"]),
            intent=row["intent"], confidence=row["confidence"], tone_label=row["tone_label"],
            created_at=row["created_at"], reasons=reasons, score=score(row, reasons),
            csat_rating=row["rating"]))
    return items


async def _add_hints(conn: AsyncConnection, items: Sequence[InboxItem]) -> None:
    wanted = sorted({item.conversation_id for item in items if HANDOFF in item.reasons})
    replies = await store.agent_replies(conn, wanted, HINT_REPLIES)
    for item in items:
        item.agent_hints = [redact(text) for text in replies.get(item.conversation_id, [])] \
            if HANDOFF in item.reasons else []


async def review_inbox(conn: AsyncConnection, filters: InboxFilter = InboxFilter()) -> list[InboxItem]:
    """Unannotated customer messages with at least one reason, best first, one by one."""
    items = sorted(await _scored(conn, filters), key=lambda item: (-item.score, item.created_at))[: filters.limit]
    await _add_hints(conn, items)
    return items


async def review_groups(conn: AsyncConnection, filters: InboxFilter = InboxFilter()) -> list[InboxGroup]:
    """The same messages grouped by wording, the most frequent first."""
    groups = group_items(await _scored(conn, filters))[: filters.limit]
    await _add_hints(conn, [max(group.items, key=lambda item: item.created_at) for group in groups])
    return groups


@dataclass(frozen=True)
class GroupAnnotation:
    annotated: list[dict[str, Any]]
    skipped: list[str]           # annotated already (by someone else meanwhile): left as they are

    def to_dict(self) -> dict[str, Any]:
        return {"annotated": self.annotated, "count": len(self.annotated), "skipped": self.skipped}


async def annotate_group(conn: AsyncConnection, message_ids: Sequence[str], action: str, annotator: Any,
                         now: datetime, known_intents: Sequence[str], intent: str | None = None,
                         tone_label: str | None = None) -> GroupAnnotation:
    """One annotation for every member of a group, in the caller's transaction: an invalid annotation refuses
    the whole group (nothing half-labelled); members someone annotated meanwhile are skipped, not overwritten."""
    from handoff.training.annotate import AlreadyAnnotated, annotate

    annotated, skipped = [], []
    for message_id in dict.fromkeys(message_ids):
        try:
            annotated.append(await annotate(conn, message_id, action, annotator, now, known_intents,
                                            intent=intent, tone_label=tone_label))
        except AlreadyAnnotated:
            skipped.append(message_id)
    return GroupAnnotation(annotated, skipped)
