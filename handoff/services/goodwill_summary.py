"""Goodwill over a period, for supervisors, admins and reports: per kind and per agent, in integer cents."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from handoff.domain import goodwill as domain
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.errors import Forbidden, ValidationError
from handoff.services.goodwill import DECIDE_ROLES
from handoff.services.ticket_lifecycle import load_actor
from handoff.services.unit_of_work import unit_of_work
from handoff.store import goodwill as store

MAX_DAYS = 366


async def summary(ctx: ServiceContext, actor_id: str, first_day: Any, last_day: Any) -> dict[str, Any]:
    """For supervisors and admins (and reports): goodwill per kind and per agent over whole days, in the company's
    time zone; `given` counts what reached customers (granted + approved), in cents."""
    days: list[date | None] = []
    for name, value in (("from", first_day), ("to", last_day)):
        try:
            days.append(date.fromisoformat(value) if isinstance(value, str) else None)
        except ValueError:
            days.append(None)
        if days[-1] is None:
            raise ValidationError(name, "Datum im Format JJJJ-MM-TT erwartet.")
    if days[1] < days[0] or (days[1] - days[0]).days > MAX_DAYS:
        raise ValidationError("to", "Das Ende muss nach dem Anfang liegen, höchstens ein Jahr später.")
    async with unit_of_work(ctx) as uow:
        actor = await load_actor(uow, actor_id)
        if actor["role"] not in DECIDE_ROLES:
            raise Forbidden("Die Kulanz-Übersicht sehen Supervisor und Admins.")
        zone = (await load_business_hours(uow.conn)).zone
        since = datetime.combine(days[0], time(0), zone)
        until = datetime.combine(days[1] + timedelta(days=1), time(0), zone)
        rows = await store.totals(uow.conn, since, until)
    given = {status.value for status in domain.GIVEN}
    kinds = {kind: {"kind": kind, "label": domain.KIND_LABELS_DE[kind], "given_count": 0, "given_cents": 0,
                    "requested_count": 0, "declined_count": 0, "approved_count": 0} for kind in domain.GOODWILL_KINDS}
    agents: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        entry = kinds[row["kind"]]
        if row["status"] in given:
            entry["given_count"] += row["count"]
            entry["given_cents"] += int(row["cents"])
            person = agents.setdefault(row["agent_id"], {"agent_id": row["agent_id"], "agent_name": row["agent_name"],
                                                         "given_count": 0, "given_cents": 0})
            person["given_count"] += row["count"]
            person["given_cents"] += int(row["cents"])
        if row["status"] in (domain.GrantStatus.REQUESTED, domain.GrantStatus.DECLINED, domain.GrantStatus.APPROVED):
            entry[f"{row['status']}_count"] += row["count"]
    return {"from": days[0].isoformat(), "to": days[1].isoformat(), "kinds": list(kinds.values()),
            "agents": sorted(agents.values(), key=lambda person: -person["given_cents"]),
            "given_cents": sum(entry["given_cents"] for entry in kinds.values())}
