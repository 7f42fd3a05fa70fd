"""Agents, passwords (argon2), sessions and presence status."""
from __future__ import annotations

from handoff.services.context import ServiceContext
from handoff.services.views import AgentView, Login


async def create_agent(
    ctx: ServiceContext, email: str, display_name: str, password: str, role: str = "agent", capacity: int = 3
) -> AgentView:
    raise NotImplementedError


async def update_agent(
    ctx: ServiceContext,
    agent_id: str,
    *,
    display_name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    capacity: int | None = None,
    password: str | None = None,
) -> AgentView:
    raise NotImplementedError


async def list_agents(ctx: ServiceContext) -> list[AgentView]:
    raise NotImplementedError


async def login(ctx: ServiceContext, email: str, password: str, ip: str | None = None) -> Login:
    """Returns Login (iterable as agent, session_token, csrf_token); AuthenticationFailed otherwise."""
    raise NotImplementedError


async def logout(ctx: ServiceContext, session_token: str) -> None:
    raise NotImplementedError


async def agent_for_session(ctx: ServiceContext, session_token: str) -> AgentView:
    raise NotImplementedError


async def csrf_for_session(ctx: ServiceContext, session_token: str) -> str:
    raise NotImplementedError


async def set_status(ctx: ServiceContext, agent_id: str, status: str) -> None:
    raise NotImplementedError


async def ensure_admin(ctx: ServiceContext, email: str, password: str | None = None) -> str | None:
    raise NotImplementedError
