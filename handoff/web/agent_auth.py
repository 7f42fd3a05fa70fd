"""Who is calling the agent and admin APIs: session cookie (+ CSRF header) or bearer session token, and role."""
from __future__ import annotations

from dataclasses import dataclass

from sanic.request import Request
from sanic.response import HTTPResponse

from handoff.domain.vocabulary import ROLE_ADMIN, ROLE_AGENT, ROLE_SUPERVISOR, ROLE_TRAINER, ROLES  # noqa: F401
from handoff.services import auth
from handoff.services.views import AgentView
from handoff.web.context import app_context, services
from handoff.web.errors import forbidden, unauthenticated
from handoff.web.inputs import bearer_token
from handoff.web.security import check_csrf

SESSION_COOKIE = "nw_session"
ALL_ROLES = frozenset(ROLES)
# Supervisors are agents too: they chat and work tickets, and see more.
CHAT_ROLES = frozenset({ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN})
SUPERVISOR_ROLES = frozenset({ROLE_SUPERVISOR, ROLE_ADMIN})
ADMIN_ROLES = frozenset({ROLE_ADMIN})


@dataclass(frozen=True)
class Caller:
    agent: AgentView
    session_token: str
    via_cookie: bool


def session_token_of(request: Request, allow_query: bool = False) -> tuple[str | None, bool]:
    """(token, via_cookie). A bearer header wins; `?token=` only for WebSockets (browsers cannot set headers)."""
    token = bearer_token(request)
    if token:
        return token, False
    if allow_query and request.args.get("token"):
        return request.args.get("token"), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def authenticate(request: Request, roles: frozenset[str] = ALL_ROLES, allow_query: bool = False) -> Caller:
    token, via_cookie = session_token_of(request, allow_query)
    if not token:
        raise unauthenticated()
    ctx = services(request)
    agent = await auth.agent_for_session(ctx, token)
    if via_cookie:
        check_csrf(request, await auth.csrf_for_session(ctx, token))
    if agent.role not in roles:
        raise forbidden("Diese Funktion ist für Ihre Rolle nicht freigegeben.")
    return Caller(agent, token, via_cookie)


def set_session_cookie(request: Request, response: HTTPResponse, token: str) -> None:
    response.cookies[SESSION_COOKIE] = token
    cookie = response.cookies[SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["secure"] = app_context(request).settings.cookie_secure
    cookie["max-age"] = app_context(request).settings.session_hours * 3600


def clear_session_cookie(response: HTTPResponse) -> None:
    response.cookies[SESSION_COOKIE] = ""
    response.cookies[SESSION_COOKIE]["max-age"] = 0
    response.cookies[SESSION_COOKIE]["path"] = "/"
