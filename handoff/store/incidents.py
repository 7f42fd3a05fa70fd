"""Queries and commands on incidents and their reports (2.0 style, AsyncConnection, inside the caller's transaction).

A report is a problem-report ticket; its words are the ticket's collected problem (details.problem) or its note.
Counts and first/latest report times are aggregated from the members, so they are never out of date.
"""
from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.store.tables import agents, incident_reports, incidents, tickets

LOCK_NAMESPACE = "incident-category:"
REPORT_COLUMNS = (tickets.c.id.label("ticket_id"), tickets.c.number, tickets.c.category, tickets.c.note,
                  tickets.c.details, tickets.c.created_at, tickets.c.conversation_id, tickets.c.status)


async def lock_category(conn: AsyncConnection, category: str) -> None:
    """Serialise grouping per category, so two reports arriving at once cannot open two incidents.

    PostgreSQL: a transaction-scoped advisory lock. SQLite needs none: every transaction holds the write lock from
    BEGIN IMMEDIATE (store/database.py).
    """
    if conn.dialect.name == "postgresql":
        key = zlib.crc32((LOCK_NAMESPACE + category).encode()) - 2 ** 31   # a stable signed 32-bit key
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def report_tickets(conn: AsyncConnection, ticket_ids: Sequence[str]) -> Sequence[RowMapping]:
    """The given tickets that are reports (carry a problem category) and belong to no incident yet."""
    if not ticket_ids:
        return []
    grouped = select(incident_reports.c.ticket_id)
    result = await conn.execute(select(*REPORT_COLUMNS).where(
        tickets.c.id.in_(list(ticket_ids)), tickets.c.category.isnot(None), tickets.c.id.notin_(grouped))
        .order_by(tickets.c.created_at, tickets.c.number))
    return result.mappings().all()


async def loose_reports(conn: AsyncConnection, category: str, since: datetime) -> Sequence[RowMapping]:
    """Reports of `category` since `since` that belong to no incident."""
    grouped = select(incident_reports.c.ticket_id)
    result = await conn.execute(select(*REPORT_COLUMNS).where(
        tickets.c.category == category, tickets.c.created_at >= since, tickets.c.id.notin_(grouped))
        .order_by(tickets.c.created_at, tickets.c.number))
    return result.mappings().all()


async def open_incident_reports(conn: AsyncConnection, category: str) -> Sequence[RowMapping]:
    """Every report of every open incident of `category` (incident_id with the report's columns)."""
    result = await conn.execute(
        select(incident_reports.c.incident_id, *REPORT_COLUMNS)
        .select_from(incident_reports.join(incidents, incidents.c.id == incident_reports.c.incident_id)
                     .join(tickets, tickets.c.id == incident_reports.c.ticket_id))
        .where(incidents.c.status == "open", incidents.c.category == category)
        .order_by(incident_reports.c.incident_id, tickets.c.created_at))
    return result.mappings().all()


async def insert_incident(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(incidents).values(**values))


async def add_report(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(incident_reports).values(**values))


def _summary_query():
    stats = (select(incident_reports.c.incident_id, func.count().label("report_count"),
                    func.min(tickets.c.created_at).label("first_reported_at"),
                    func.max(tickets.c.created_at).label("last_reported_at"))
             .select_from(incident_reports.join(tickets, tickets.c.id == incident_reports.c.ticket_id))
             .group_by(incident_reports.c.incident_id).subquery())
    return (select(incidents, agents.c.display_name.label("owner_name"), stats.c.report_count,
                   stats.c.first_reported_at, stats.c.last_reported_at)
            .select_from(incidents.outerjoin(agents, agents.c.id == incidents.c.owner_id)
                         .outerjoin(stats, stats.c.incident_id == incidents.c.id)))


async def get_incident(conn: AsyncConnection, incident_id: str) -> RowMapping | None:
    result = await conn.execute(_summary_query().where(incidents.c.id == incident_id))
    return result.mappings().first()


async def list_incidents(conn: AsyncConnection, status: str | None, limit: int) -> Sequence[RowMapping]:
    query = _summary_query()
    if status:
        query = query.where(incidents.c.status == status)
    result = await conn.execute(query.order_by(incidents.c.updated_at.desc(), incidents.c.id).limit(limit))
    return result.mappings().all()


async def count_open(conn: AsyncConnection) -> int:
    result = await conn.execute(select(func.count()).select_from(incidents).where(incidents.c.status == "open"))
    return int(result.scalar_one())


async def reports_of(conn: AsyncConnection, incident_id: str) -> Sequence[RowMapping]:
    """The members with why they were grouped and the number of the report each matched."""
    matched = tickets.alias("matched")
    result = await conn.execute(
        select(*REPORT_COLUMNS, incident_reports.c.added_at, incident_reports.c.similarity,
               incident_reports.c.reason, incident_reports.c.shared_words,
               matched.c.number.label("matched_number"))
        .select_from(incident_reports.join(tickets, tickets.c.id == incident_reports.c.ticket_id)
                     .outerjoin(matched, matched.c.id == incident_reports.c.matched_ticket_id))
        .where(incident_reports.c.incident_id == incident_id)
        .order_by(tickets.c.created_at, tickets.c.number))
    return result.mappings().all()


async def incident_of_ticket(conn: AsyncConnection, ticket_id: str) -> str | None:
    result = await conn.execute(select(incident_reports.c.incident_id).where(incident_reports.c.ticket_id == ticket_id))
    return result.scalar_one_or_none()


async def touch(conn: AsyncConnection, incident_id: str, now: datetime) -> None:
    await conn.execute(update(incidents).where(incidents.c.id == incident_id).values(updated_at=now))


async def change_if(conn: AsyncConnection, incident_id: str, expected_status: str, **values: Any) -> bool:
    """Conditional UPDATE: only while the status is still `expected_status`. True if this caller changed it."""
    result = await conn.execute(update(incidents).where(
        incidents.c.id == incident_id, incidents.c.status == expected_status).values(**values))
    return result.rowcount == 1


async def first_reports(conn: AsyncConnection, incident_ids: Sequence[str]) -> dict[str, RowMapping]:
    """The earliest remaining report of each incident (its words name the incident; they go with the ticket)."""
    if not incident_ids:
        return {}
    earliest = (select(incident_reports.c.incident_id, func.min(tickets.c.created_at).label("created_at"))
                .select_from(incident_reports.join(tickets, tickets.c.id == incident_reports.c.ticket_id))
                .where(incident_reports.c.incident_id.in_(list(incident_ids)))
                .group_by(incident_reports.c.incident_id).subquery())
    result = await conn.execute(
        select(incident_reports.c.incident_id, tickets.c.note, tickets.c.details)
        .select_from(incident_reports.join(tickets, tickets.c.id == incident_reports.c.ticket_id)
                     .join(earliest, (earliest.c.incident_id == incident_reports.c.incident_id)
                           & (earliest.c.created_at == tickets.c.created_at)))
        .order_by(incident_reports.c.incident_id, tickets.c.number))
    first: dict[str, RowMapping] = {}
    for row in result.mappings():
        first.setdefault(row["incident_id"], row)
    return first
