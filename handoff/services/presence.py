"""Agent presence: the status an agent chose (online takes conversations, away does not) and who is connected.

One source of truth for every instance: the chosen status is stored with the agent (database); the presence
store of the bus (in-process or Redis, with a TTL) only knows who is connected right now, and each heartbeat
copies the stored status into it. Before, the status lived in the memory of the instance that served PUT /status,
and the heartbeat of an agent socket on another instance announced "online" again.
"""
from __future__ import annotations

from handoff.bus.base import PRESENCE_ONLINE, PRESENCE_STATUSES
from handoff.services.context import ServiceContext
from handoff.services.errors import NotFound, ValidationError
from handoff.services.unit_of_work import reading, unit_of_work
from handoff.store import accounts


async def choose_status(ctx: ServiceContext, agent_id: str, status: str) -> str:
    if status not in PRESENCE_STATUSES:
        raise ValidationError("status", f"Status muss einer von {', '.join(PRESENCE_STATUSES)} sein.")
    async with unit_of_work(ctx) as uow:
        if not await accounts.set_presence_status(uow.conn, agent_id, status):
            raise NotFound("Agent nicht gefunden.")
    await ctx.presence.heartbeat(agent_id, status)
    return status


async def chosen_status(ctx: ServiceContext, agent_id: str) -> str:
    async with reading(ctx) as conn:
        return await accounts.presence_status(conn, agent_id) or PRESENCE_ONLINE


async def renew(ctx: ServiceContext, agent_id: str) -> str:
    """A connected console's heartbeat: the agent stays present, with the status they chose (wherever)."""
    status = await chosen_status(ctx, agent_id)
    await ctx.presence.heartbeat(agent_id, status)
    return status


async def disconnected(ctx: ServiceContext, agent_id: str) -> None:
    """The agent's last console closed, or they logged out: not present, whatever they chose."""
    await ctx.presence.forget(agent_id)
