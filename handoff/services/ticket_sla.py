"""SLA settings per ticket kind, kept in the settings table so admins change them without a restart."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.hours import BusinessHours
from handoff.domain.sla import DueTimes, InvalidSla, SlaSettings, due_times
from handoff.services.context import ServiceContext
from handoff.services.errors import ValidationError
from handoff.store import accounts
from handoff.services.unit_of_work import reading, transaction

SLA_KEY = "ticket_sla"


async def load_sla_settings(conn: AsyncConnection) -> SlaSettings:
    stored = await accounts.get_setting(conn, SLA_KEY)
    if not stored:
        return SlaSettings()
    try:
        return SlaSettings.from_dict(stored)
    except InvalidSla:   # stored by an older version with other kinds: the defaults are safer than no due times
        return SlaSettings()


async def get_sla_settings(ctx: ServiceContext) -> SlaSettings:
    async with reading(ctx) as conn:
        return await load_sla_settings(conn)


async def set_sla_settings(ctx: ServiceContext, data: Any) -> SlaSettings:
    """`data` as SlaSettings.to_dict() produces it (labels ignored); ValidationError (German) on bad input.

    Applies to tickets created from now on; tickets already open keep the due times they were promised.
    """
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "kind_labels"}
    try:
        settings = SlaSettings.from_dict(data)
    except InvalidSla as error:
        raise ValidationError(error.field, error.message) from None
    stored = settings.to_dict()
    stored.pop("kind_labels", None)
    async with transaction(ctx) as conn:
        await accounts.put_setting(conn, SLA_KEY, stored)
    return settings


def due_times_for(settings: SlaSettings, hours: BusinessHours, kind: str, created_at: datetime) -> DueTimes:
    return due_times(settings.policy_for(kind), hours, created_at)
