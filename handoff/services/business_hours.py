"""Business hours live in the settings table so admins can change them without a restart."""
from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.hours import BusinessHours, InvalidBusinessHours
from handoff.services.context import ServiceContext
from handoff.services.errors import ValidationError
from handoff.store import accounts
from handoff.services.unit_of_work import reading, transaction

BUSINESS_HOURS_KEY = "business_hours"


async def load_business_hours(conn: AsyncConnection) -> BusinessHours:
    stored = await accounts.get_setting(conn, BUSINESS_HOURS_KEY)
    return BusinessHours.from_dict(stored) if stored else BusinessHours()


async def get_business_hours(ctx: ServiceContext) -> BusinessHours:
    async with reading(ctx) as conn:
        return await load_business_hours(conn)


async def set_business_hours(ctx: ServiceContext, data: dict[str, Any]) -> BusinessHours:
    """`data` as BusinessHours.to_dict() produces it; ValidationError on bad input."""
    try:
        hours = BusinessHours.from_dict(data)
    except InvalidBusinessHours as error:
        raise ValidationError(error.field, error.message) from None
    async with transaction(ctx) as conn:
        await accounts.put_setting(conn, BUSINESS_HOURS_KEY, hours.to_dict())
    return hours
