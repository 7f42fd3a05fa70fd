"""Read models of tickets and articles: frozen, JSON-ready via `to_dict()` (German labels for the console)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Mapping

from handoff.domain.sla import due_state, next_due
from handoff.domain.ticket_states import STATUS_LABELS_DE, TicketStatus
from handoff.domain.ticket_words import KIND_LABELS_DE, reference
from handoff.services.views import jsonable

TICKET_FIELDS = (
    "id", "number", "conversation_id", "kind", "channel", "status", "subject", "summary", "email", "customer_name",
    "note", "category", "details", "owner_id", "created_at", "updated_at", "claimed_at", "first_response_at",
    "first_response_due_at", "solution_due_at", "pending_since", "pending_until", "solved_at", "closed_at",
    "last_customer_at", "merged_into_id", "follow_up_of_id",
)


@dataclass(frozen=True)
class TicketSummaryView:
    """One row of the inbox, and the head of the detail view."""
    id: str
    number: int
    reference: str
    conversation_id: str | None
    kind: str
    kind_label: str
    channel: str
    status: str
    status_label: str
    subject: str | None
    summary: str | None
    email: str | None
    customer_name: str | None
    note: str | None
    category: str | None
    details: dict[str, Any]
    owner_id: str | None
    owner_name: str | None
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    first_response_at: datetime | None
    first_response_due_at: datetime | None
    solution_due_at: datetime | None
    pending_since: datetime | None
    pending_until: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    last_customer_at: datetime | None
    merged_into_id: str | None
    follow_up_of_id: str | None
    due_at: datetime | None          # the due time that counts now (none outside new/open)
    due_state: str | None            # overdue | soon | ok | None
    age_seconds: int

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


def ticket_view(row: Mapping[str, Any], now: datetime, soon_minutes: int | None = None) -> TicketSummaryView:
    values = {name: row[name] for name in TICKET_FIELDS}
    due = next_due(row["status"], row["first_response_at"], row["first_response_due_at"], row["solution_due_at"])
    state = due_state(now, due) if soon_minutes is None else due_state(now, due, soon_minutes)
    return TicketSummaryView(
        **{**values, "details": dict(row["details"] or {})},
        reference=reference(row["number"]), kind_label=KIND_LABELS_DE.get(row["kind"], row["kind"]),
        status_label=STATUS_LABELS_DE.get(TicketStatus(row["status"]), row["status"]),
        owner_name=row.get("owner_name"), due_at=due, due_state=state,
        age_seconds=max(0, int((now - row["created_at"]).total_seconds())),
    )


@dataclass(frozen=True)
class ArticleView:
    id: str
    ticket_id: str
    seq: int              # order within the ticket
    kind: str             # customer | reply | note | state_change | system
    channel: str          # console | widget | email | system
    sender_type: str      # customer | agent | system
    author_id: str | None
    author_name: str | None
    text: str | None
    meta: dict[str, Any]
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


def article_view(row: Mapping[str, Any]) -> ArticleView:
    return ArticleView(id=row["id"], ticket_id=row["ticket_id"], seq=row["seq"], kind=row["kind"],
                       channel=row["channel"],
                       sender_type=row["sender_type"], author_id=row["author_id"], author_name=row["author_name"],
                       text=row["text"], meta=dict(row["meta"] or {}), created_at=row["created_at"])
