"""Incidents: grouping problem reports as they arrive, and the agents' side (list, detail, take, close).

`group_new_reports_in` runs in the bot's answer's transaction (bot_routing.py, after the bot's own messages): every
problem report stored in it is grouped (handoff/domain/incidents.py) and, when it joined an incident that was
already known, the customer is told so in German, with the offer of a person. Closing an incident sends the
agent's note to every reporter's conversation; a closed incident is never mentioned again.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain import incidents as domain
from handoff.domain.events import IncidentChanged, TicketCreated
from handoff.domain.ticket_words import ARTICLE_SYSTEM, CHANNEL_CONSOLE, reference
from handoff.domain.vocabulary import AGENT, BOT, OUTGOING, ROLE_ADMIN, ROLE_AGENT, ROLE_SUPERVISOR
from handoff.services import deescalation
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.errors import Conflict, Forbidden, NotFound, ValidationError
from handoff.services.mapping import append_message, new_id
from handoff.services.text_input import optional_note
from handoff.services.ticket_lifecycle import add_article, load_actor
from handoff.services.unit_of_work import UnitOfWork, reading, unit_of_work
from handoff.store import accounts
from handoff.store import incidents as store

GROUPING_KEY = "incident_grouping"
OVERRIDE_ROLES = frozenset({ROLE_SUPERVISOR, ROLE_ADMIN})
OWNER_ROLES = frozenset({ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN})
LIST_LIMIT = 200
CHANGED = "Die Störung wurde gerade geändert. Bitte neu laden."
NOT_FOUND = "Störung nicht gefunden."


async def load_grouping(conn: AsyncConnection) -> domain.GroupingSettings:
    stored = await accounts.get_setting(conn, GROUPING_KEY)
    if not stored:
        return domain.GroupingSettings()
    try:
        return domain.GroupingSettings.from_dict(stored)
    except domain.InvalidIncidentSettings:
        return domain.GroupingSettings()


async def get_grouping(ctx: ServiceContext) -> domain.GroupingSettings:
    async with reading(ctx) as conn:
        return await load_grouping(conn)


async def set_grouping(ctx: ServiceContext, data: Any) -> domain.GroupingSettings:
    """Admins set threshold, window and minimum number of reports; applies to reports from now on."""
    try:
        settings = domain.GroupingSettings.from_dict(data)
    except domain.InvalidIncidentSettings as error:
        raise ValidationError(error.field, error.message) from None
    async with unit_of_work(ctx) as uow:
        await accounts.put_setting(uow.conn, GROUPING_KEY, settings.to_dict())
    return settings


# --- Grouping, where reports arrive ---

def _words(row: Mapping[str, Any]) -> str:
    details = row["details"] or {}
    return str(details.get("problem") or row["note"] or "")


def _report(row: Mapping[str, Any]) -> domain.Report:
    return domain.Report(row["ticket_id"], row["category"], _words(row), row["created_at"], reference(row["number"]),
                         row["conversation_id"] or row["ticket_id"])


async def group_new_reports_in(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str) -> bool:
    """Group the problem reports stored so far in this unit of work; tell the customer of a known incident.

    True when the customer was told (that message offers a person). The one hook in the bot's answer
    (bot_routing.py), called after the bot's own messages so that the customer reads it after the confirmation.
    """
    created = [event.ticket_id for event in uow.events
               if isinstance(event, TicketCreated) and event.conversation_id == conversation_id]
    rows = await store.report_tickets(uow.conn, created)
    if not rows:
        return False
    settings = await load_grouping(uow.conn)
    now = ctx.now()
    known: list[datetime] = []
    for row in rows:
        await store.lock_category(uow.conn, row["category"])
        _, first_reported = await _group_one(uow, _report(row), settings, now)
        if first_reported is not None:
            known.append(first_reported)
    if known:
        await _tell_known(uow, ctx, conversation_id, min(known), now)
    return bool(known)


async def _group_one(uow: UnitOfWork, report: domain.Report, settings: domain.GroupingSettings,
                     now: datetime) -> tuple[str | None, datetime | None]:
    """(incident id or None, first report time of an incident that was known before this report, or None)."""
    members: dict[str, list[domain.Report]] = {}
    for row in await store.open_incident_reports(uow.conn, report.category):
        members.setdefault(row["incident_id"], []).append(_report(row))
    open_incidents = [domain.OpenIncident(incident_id, report.category, tuple(reports))
                      for incident_id, reports in members.items()]
    loose = [_report(row) for row in await store.loose_reports(uow.conn, report.category, now - settings.window)]
    grouping = domain.group(report, open_incidents, loose, settings, now)
    if grouping is None:
        return None, None
    if grouping.opens_incident:
        incident_id = new_id()
        await store.insert_incident(uow.conn, {
            # No customer's words in the incident itself: they stay with the report's ticket and go with it
            # (retention, erasure); the console shows the earliest remaining report's words as the title.
            "id": incident_id, "category": report.category, "title": domain.category_label(report.category),
            "status": domain.IncidentStatus.OPEN.value,
            "created_at": now, "updated_at": now})
        first_known = None
    else:
        incident_id = grouping.incident_id
        first_known = min(r.reported_at for r in members[incident_id])
        await store.touch(uow.conn, incident_id, now)
    for member in grouping.members:
        await store.add_report(uow.conn, {
            "ticket_id": member.ticket_id, "incident_id": incident_id, "added_at": now,
            "similarity": member.similarity, "matched_ticket_id": member.matched_ticket_id,
            "shared_words": list(member.shared_words), "reason": member.reason[:500]})
    uow.record(IncidentChanged("", incident_id=incident_id, change="opened" if first_known is None else "report"))
    return incident_id, first_known


async def _tell_known(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str, first_reported: datetime,
                      now: datetime) -> None:
    zone = (await load_business_hours(uow.conn)).zone
    text = domain.known_incident_text(first_reported.astimezone(zone), now.astimezone(zone))
    button = deescalation.OFFER_PERSON_BUTTON
    await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=BOT, text=text,
                         payload={"buttons": [{"title": button.title, "payload": button.payload}]})


# --- The agents' side ---

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def incident_view(row: Mapping[str, Any], first: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        "id": row["id"], "category": row["category"], "category_label": domain.category_label(row["category"]),
        "title": domain.title_for(_words(first)) if first is not None else row["title"], "status": row["status"],
        "status_label": domain.STATUS_LABELS_DE[domain.IncidentStatus(row["status"])],
        "owner_id": row["owner_id"], "owner_name": row["owner_name"], "report_count": int(row["report_count"] or 0),
        "first_reported_at": _iso(row["first_reported_at"]), "last_reported_at": _iso(row["last_reported_at"]),
        "created_at": _iso(row["created_at"]), "closed_at": _iso(row["closed_at"]), "close_note": row["close_note"],
    }


def report_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ticket_id": row["ticket_id"], "number": row["number"], "reference": reference(row["number"]),
        "conversation_id": row["conversation_id"], "text": _words(row), "reported_at": _iso(row["created_at"]),
        "ticket_status": row["status"], "similarity": row["similarity"], "reason": row["reason"],
        "shared_words": list(row["shared_words"] or []),
        "matched_reference": reference(row["matched_number"]) if row["matched_number"] is not None else None,
    }


async def list_incidents(ctx: ServiceContext, status: str | None = None) -> dict[str, Any]:
    if status is not None and status not in {s.value for s in domain.IncidentStatus}:
        raise ValidationError("status", "open oder closed erwartet.")
    async with reading(ctx) as conn:
        rows = await store.list_incidents(conn, status, LIST_LIMIT)
        first = await store.first_reports(conn, [row["id"] for row in rows])
        open_count = await store.count_open(conn)
    return {"incidents": [incident_view(row, first.get(row["id"])) for row in rows], "open_count": open_count}


async def incident_detail(ctx: ServiceContext, incident_id: str) -> dict[str, Any]:
    async with reading(ctx) as conn:
        row = await store.get_incident(conn, incident_id) if isinstance(incident_id, str) else None
        if row is None:
            raise NotFound(NOT_FOUND)
        reports = await store.reports_of(conn, incident_id)
        settings = await load_grouping(conn)
    return {"incident": incident_view(row, reports[0] if reports else None),
            "reports": [report_view(r) for r in reports],
            "grouping": settings.to_dict(), "proposed_close_note": domain.DEFAULT_CLOSE_NOTE}


async def _load(uow: UnitOfWork, incident_id: str) -> Mapping[str, Any]:
    row = await store.get_incident(uow.conn, incident_id) if isinstance(incident_id, str) else None
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def _ensure_may_act(incident: Mapping[str, Any], actor: Mapping[str, Any]) -> None:
    if actor["role"] not in OWNER_ROLES:
        raise Forbidden("Störungen bearbeiten Agents, Supervisor und Admins.")
    owner = incident["owner_id"]
    if owner is not None and owner != actor["id"] and actor["role"] not in OVERRIDE_ROLES:
        raise Forbidden(f"Diese Störung betreut {incident['owner_name'] or 'eine Kollegin oder ein Kollege'}. "
                        "Bitte sprechen Sie sich ab.")


async def assign(ctx: ServiceContext, incident_id: str, actor_id: str, owner_id: str | None) -> dict[str, Any]:
    """Take the incident (owner = yourself) or, as supervisor/admin, give it to a colleague (or nobody)."""
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        incident = await _load(uow, incident_id)
        _ensure_may_act(incident, actor)
        if owner_id is not None and owner_id != actor["id"] and actor["role"] not in OVERRIDE_ROLES:
            raise Forbidden("Nur Supervisor und Admins weisen Störungen anderen zu.")
        if owner_id is not None:
            owner = await accounts.get_agent(uow.conn, owner_id)
            if owner is None or not owner["active"]:
                raise ValidationError("owner_id", "Unbekanntes oder deaktiviertes Konto.")
            if owner["role"] not in OWNER_ROLES:
                raise ValidationError("owner_id", "Störungen betreuen Agents, Supervisor und Admins.")
        try:
            domain.next_incident_status(incident["status"], domain.IncidentTrigger.ASSIGNED)
        except domain.InvalidIncidentTransition as error:
            raise Conflict(str(error)) from None
        if not await store.change_if(uow.conn, incident_id, incident["status"], owner_id=owner_id, updated_at=now):
            raise Conflict(CHANGED)
        uow.record(IncidentChanged("", incident_id=incident_id, change="assigned"))
    return await incident_detail(ctx, incident_id)


async def close(ctx: ServiceContext, incident_id: str, actor_id: str, note: str | None) -> dict[str, Any]:
    """Close: the note (if any) goes to every reporter's conversation and into each report's ticket history."""
    note = optional_note(note, domain.MAX_CLOSE_NOTE_CHARS)
    now = ctx.now()
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        incident = await _load(uow, incident_id)
        _ensure_may_act(incident, actor)
        # Reports of the category are grouped under this lock: none can join while it closes and be told "known".
        await store.lock_category(uow.conn, incident["category"])
        try:
            new = domain.next_incident_status(incident["status"], domain.IncidentTrigger.CLOSED)
        except domain.InvalidIncidentTransition as error:
            raise Conflict(str(error)) from None
        if not await store.change_if(uow.conn, incident_id, incident["status"], status=new.value, closed_at=now,
                                     closed_by=actor["id"], close_note=note, updated_at=now):
            raise Conflict(CHANGED)
        told: set[str] = set()
        for report in await store.reports_of(uow.conn, incident_id):
            history = "Störung geschlossen" + (f". Nachricht an die Meldenden: {note}" if note else ".")
            await add_article(uow, report["ticket_id"], now, kind=ARTICLE_SYSTEM, channel=CHANNEL_CONSOLE,
                              sender_type=AGENT, author_id=actor["id"], author_name=actor["display_name"],
                              text=history, meta={"incident_id": incident_id, "change": "incident_closed"})
            conversation_id = report["conversation_id"]
            if note and conversation_id and conversation_id not in told:
                told.add(conversation_id)
                await append_message(uow, now, conversation_id, message_type=OUTGOING, sender_type=AGENT,
                                     sender_id=actor["id"], text=domain.closing_note_text(note))
        uow.record(IncidentChanged("", incident_id=incident_id, change="closed"))
    return await incident_detail(ctx, incident_id)
