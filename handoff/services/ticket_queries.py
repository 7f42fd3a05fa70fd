"""Reading tickets: the inbox with filters and counts, the header's due counts, the detail view, and what the
customer may see of their own requests in the widget."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from handoff.domain.sla import DUE_OVERDUE, DUE_SOON, due_state, next_due
from handoff.domain.ticket_states import ACTIVE, DUE_WATCHED, STATUS_LABELS_DE, TicketStatus
from handoff.domain.ticket_words import (
    ARTICLE_REPLY, KIND_LABELS_DE, PUBLIC_ARTICLE_KINDS, TICKET_KINDS, reference,
)
from handoff.services.context import ServiceContext
from handoff.services.errors import NotFound, ValidationError
from handoff.services.mapping import message_view
from handoff.services.ticket_views import article_view, ticket_view
from handoff.services.views import iso
from handoff.store import handoffs, messages
from handoff.store import tickets as store
from handoff.services.unit_of_work import reading

STATUS_FILTER_ACTIVE = "active"
STATUS_FILTER_ALL = "all"
OWNER_ME, OWNER_NONE = "me", "none"
LIST_LIMIT = 500
# What a returning customer is shown: their requests still being worked on, and those solved or closed lately.
CUSTOMER_STATUSES = (*(s.value for s in ACTIVE), TicketStatus.CLOSED.value)
# The widget's notice for a returning customer: their request is not forgotten, and where our answer is.
NOTICE_OPEN = "Ihre Anfrage {reference} liegt bei unserem Team ({status}). Sie müssen nichts noch einmal schreiben."
NOTICE_ANSWERED = "Zu Ihrer Anfrage {reference} ({status}) haben wir geantwortet – die Antwort steht im Verlauf."


def _statuses(status: str | None) -> list[str] | None:
    if status in (None, "", STATUS_FILTER_ACTIVE):
        return [s.value for s in ACTIVE]
    if status == STATUS_FILTER_ALL:
        return None
    if status not in {s.value for s in TicketStatus}:
        raise ValidationError("status", "Unbekannter Status. Erlaubt: " + ", ".join(
            [STATUS_FILTER_ACTIVE, STATUS_FILTER_ALL, *(s.value for s in TicketStatus)]) + ".")
    return [status]


def _due_sort_key(view: Any) -> tuple:
    return (view.due_at is None, view.due_at or view.created_at, view.created_at)


async def list_tickets(ctx: ServiceContext, agent_id: str, *, status: str | None = None, kind: str | None = None,
                       owner: str | None = None) -> dict[str, Any]:
    """The inbox: filtered tickets sorted by the due time that counts now, with a count per filter value."""
    statuses = _statuses(status)
    if kind not in (None, "") and kind not in TICKET_KINDS:
        raise ValidationError("kind", "Unbekannte Ticketart.")
    owner_id = agent_id if owner == OWNER_ME else owner or None
    now = ctx.now()
    async with reading(ctx) as conn:
        rows = await store.list_tickets(conn, statuses=statuses, kind=kind or None,
                                        owner_id=None if owner == OWNER_NONE else owner_id,
                                        unowned=owner == OWNER_NONE, limit=LIST_LIMIT)
        by_status = await store.counts(conn, "status")
        by_kind = await store.counts(conn, "kind", statuses)
        by_owner = await store.counts(conn, "owner_id", statuses)
    views = sorted((ticket_view(row, now) for row in rows), key=_due_sort_key)
    active_total = sum(count for key, count in by_status.items() if key in {s.value for s in ACTIVE})
    return {
        "tickets": [view.to_dict() for view in views],
        "counts": {
            "status": {STATUS_FILTER_ACTIVE: active_total, STATUS_FILTER_ALL: sum(by_status.values()),
                       **{s.value: by_status.get(s.value, 0) for s in TicketStatus}},
            "kind": {k: by_kind.get(k, 0) for k in TICKET_KINDS},
            "owner": {OWNER_ME: by_owner.get(agent_id, 0), OWNER_NONE: by_owner.get(None, 0),
                      **{key: count for key, count in by_owner.items() if key}},
        },
        "due": await _due_counts(ctx, agent_id, now),
        "labels": {"status": {s.value: STATUS_LABELS_DE[s] for s in TicketStatus}, "kind": dict(KIND_LABELS_DE)},
    }


async def _due_counts(ctx: ServiceContext, agent_id: str, now: datetime) -> dict[str, int]:
    async with reading(ctx) as conn:
        rows = await store.watched_due(conn, [s.value for s in DUE_WATCHED])
    counts = {"overdue": 0, "soon": 0, "overdue_mine": 0, "soon_mine": 0}
    for row in rows:
        state = due_state(now, next_due(row["status"], row["first_response_at"], row["first_response_due_at"],
                                        row["solution_due_at"]))
        if state in (DUE_OVERDUE, DUE_SOON):
            counts[state] += 1
            if row["owner_id"] == agent_id:
                counts[f"{state}_mine"] += 1
    return counts


async def due_counts(ctx: ServiceContext, agent_id: str) -> dict[str, int]:
    """For the console header: overdue and soon-due tickets (all, and the caller's own)."""
    return await _due_counts(ctx, agent_id, ctx.now())


async def ticket_detail(ctx: ServiceContext, ticket_id: str) -> dict[str, Any]:
    """Everything an agent needs so the customer never repeats themselves: the ticket, its history, the chat
    transcript with the handoff summary, the collected details, and the customer's other tickets (to merge)."""
    now = ctx.now()
    async with reading(ctx) as conn:
        row = await store.get_ticket(conn, ticket_id) if isinstance(ticket_id, str) else None
        if row is None:
            raise NotFound("Ticket nicht gefunden.")
        articles = await store.articles_of(conn, ticket_id)
        transcript: list[dict[str, Any]] = []
        handoff = None
        related = []
        if row["conversation_id"]:
            transcript = [message_view(m).to_dict() for m in
                          await messages.list_messages(conn, row["conversation_id"], include_private=True)]
            latest = await handoffs.latest_handoffs(conn, [row["conversation_id"]])
            handoff = latest.get(row["conversation_id"])
            related = list(await store.tickets_of_conversation(conn, row["conversation_id"]))
        if row["email"]:
            related += list(await store.tickets_for_contact(conn, row["email"]))
    seen: set[str] = {row["id"]}
    others = []
    for other in related:
        if other["id"] not in seen:
            seen.add(other["id"])
            others.append(ticket_view(other, now).to_dict())
    summary = dict(handoff["summary"]) if handoff else {}
    return {
        "ticket": ticket_view(row, now).to_dict(),
        "articles": [article_view(article).to_dict() for article in articles],
        "transcript": transcript,
        "handoff": {"reasons": list(handoff["reasons"]), "summary": summary,
                    "requested_at": iso(handoff["requested_at"])} if handoff else None,
        "details": {**(summary.get("slots") or {}), **dict(row["details"] or {})},
        "related": others,
    }


async def tickets_for_customer(ctx: ServiceContext, conversation_id: str) -> list[dict[str, Any]]:
    """What the widget shows a returning customer: each request's reference and status, and our answers.

    Internal notes, owners and due times stay inside; the customer sees only their words and ours.
    """
    async with reading(ctx) as conn:
        rows = await store.tickets_of_conversation(conn, conversation_id, CUSTOMER_STATUSES)
        result = []
        for row in rows:
            answers = await store.articles_of(conn, row["id"], [ARTICLE_REPLY])
            label = STATUS_LABELS_DE[TicketStatus(row["status"])]
            notice = (NOTICE_ANSWERED if answers else NOTICE_OPEN).format(reference=reference(row["number"]),
                                                                           status=label)
            result.append({
                "notice": notice if row["status"] != TicketStatus.CLOSED else None,
                "reference": reference(row["number"]), "status": row["status"],
                "status_label": STATUS_LABELS_DE[TicketStatus(row["status"])],
                "kind_label": KIND_LABELS_DE.get(row["kind"], row["kind"]), "created_at": iso(row["created_at"]),
                "answers": [{"text": a["text"], "created_at": iso(a["created_at"]), "author_name": a["author_name"]}
                            for a in answers if a["kind"] in PUBLIC_ARTICLE_KINDS],
            })
    return result
