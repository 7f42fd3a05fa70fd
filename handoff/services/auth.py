"""Agents, passwords (argon2), sessions and presence status."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from handoff.bus.base import PRESENCE_STATUSES
from handoff.services.context import ServiceContext
from handoff.domain.vocabulary import MAX_DISPLAY_NAME_CHARS, ROLE_ADMIN, ROLES
from handoff.services.errors import AuthenticationFailed, Conflict, NotFound, ValidationError
from handoff.services.mapping import new_id
from handoff.services.text_input import clean_email
from handoff.services.views import AgentView, Login
from handoff.store import accounts
from handoff.services.unit_of_work import reading, transaction

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_CAPACITY = 20
MAX_DISPLAY_NAME = MAX_DISPLAY_NAME_CHARS
TOKEN_BYTES = 32
GENERATED_PASSWORD_BYTES = 18

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so that response time does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("nordwind-timing-equaliser")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _agent_view(row: Mapping[str, Any]) -> AgentView:
    return AgentView(id=row["id"], email=row["email"], display_name=row["display_name"], role=row["role"],
                     active=bool(row["active"]), capacity=row["capacity"])


def _validate_password(password: str) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValidationError("password", f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} Zeichen.")


def _validate_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError("role", f"Unbekannte Rolle; erlaubt: {', '.join(ROLES)}.")


def _validate_capacity(capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError("capacity", f"Kapazität muss zwischen 1 und {MAX_CAPACITY} liegen.")


def _clean_name(display_name: str) -> str:
    name = (display_name or "").strip()
    if not name or len(name) > MAX_DISPLAY_NAME:
        raise ValidationError("display_name", "Bitte einen Anzeigenamen angeben (höchstens 128 Zeichen).")
    return name


async def create_agent(
    ctx: ServiceContext, email: str, display_name: str, password: str, role: str = "agent", capacity: int = 3
) -> AgentView:
    email = clean_email(email).lower()
    name = _clean_name(display_name)
    _validate_password(password)
    _validate_role(role)
    _validate_capacity(capacity)
    values = {"id": new_id(), "email": email, "display_name": name, "password_hash": _hasher.hash(password),
              "role": role, "active": True, "capacity": capacity, "failed_logins": 0, "locked_until": None,
              "created_at": ctx.now()}
    try:
        async with transaction(ctx) as conn:
            await accounts.insert_agent(conn, values)
    except IntegrityError:
        raise Conflict("Es gibt bereits ein Konto mit dieser E-Mail-Adresse.") from None
    return _agent_view(values)


async def update_agent(
    ctx: ServiceContext, agent_id: str, *, display_name: str | None = None, role: str | None = None,
    active: bool | None = None, capacity: int | None = None, password: str | None = None,
) -> AgentView:
    changes: dict[str, Any] = {}
    if display_name is not None:
        changes["display_name"] = _clean_name(display_name)
    if role is not None:
        _validate_role(role)
        changes["role"] = role
    if active is not None:
        changes["active"] = bool(active)
    if capacity is not None:
        _validate_capacity(capacity)
        changes["capacity"] = capacity
    if password is not None:
        _validate_password(password)
        changes.update(password_hash=_hasher.hash(password), failed_logins=0, locked_until=None)
    async with transaction(ctx) as conn:
        if await accounts.get_agent(conn, agent_id) is None:
            raise NotFound("Konto nicht gefunden.")
        if changes:
            await accounts.update_agent(conn, agent_id, **changes)
        if active is False or password is not None:
            await accounts.delete_sessions_of(conn, agent_id)
        row = await accounts.get_agent(conn, agent_id)
    if active is False:
        await ctx.presence.forget(agent_id)
    return _agent_view(row)


async def list_agents(ctx: ServiceContext) -> list[AgentView]:
    async with reading(ctx) as conn:
        return [_agent_view(row) for row in await accounts.list_agents(conn)]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def login(ctx: ServiceContext, email: str, password: str, ip: str | None = None) -> Login:
    """Returns Login (iterable as agent, session_token, csrf_token); AuthenticationFailed otherwise.

    Lockout counts failures per account (not per IP, which attackers rotate); the message never says why.
    """
    now = ctx.now()
    normalised = (email or "").strip().lower()
    async with transaction(ctx) as conn:
        agent = await accounts.agent_by_email(conn, normalised)
        if agent is None:
            _verify(_DUMMY_HASH, password or "")
            raise AuthenticationFailed()
        locked = agent["locked_until"] is not None and agent["locked_until"] > now
        if locked or not agent["active"]:
            raise AuthenticationFailed()
        if not _verify(agent["password_hash"], password or ""):
            failures = await accounts.count_failed_login(conn, agent["id"])
            if failures >= ctx.config.lockout_after_failed_logins:
                await accounts.update_agent(conn, agent["id"], failed_logins=0,
                                            locked_until=now + ctx.config.lockout_duration)
            failed = True
        else:
            failed = False
            changes: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
            if _hasher.check_needs_rehash(agent["password_hash"]):
                changes["password_hash"] = _hasher.hash(password)
            await accounts.update_agent(conn, agent["id"], **changes)
            token, csrf = secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES)
            expires_at = now + ctx.config.session_lifetime
            await accounts.delete_expired_sessions(conn, now)
            await accounts.insert_session(conn, {"token_hash": _token_hash(token), "agent_id": agent["id"],
                                                 "created_at": now, "expires_at": expires_at, "csrf_token": csrf})
    # Raised after the block so the failure counter is committed, not rolled back.
    if failed:
        raise AuthenticationFailed()
    return Login(agent=_agent_view(agent), session_token=token, csrf_token=csrf, expires_at=expires_at)


async def logout(ctx: ServiceContext, session_token: str) -> None:
    async with transaction(ctx) as conn:
        session = await accounts.get_session(conn, _token_hash(session_token or ""))
        await accounts.delete_session(conn, _token_hash(session_token or ""))
    if session is not None:
        await ctx.presence.forget(session["agent_id"])


async def _session(ctx: ServiceContext, session_token: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    async with reading(ctx) as conn:
        session = await accounts.get_session(conn, _token_hash(session_token or ""))
        if session is None or session["expires_at"] <= ctx.now():
            raise AuthenticationFailed("Sitzung abgelaufen. Bitte erneut anmelden.")
        agent = await accounts.get_agent(conn, session["agent_id"])
    if agent is None or not agent["active"]:
        raise AuthenticationFailed("Sitzung abgelaufen. Bitte erneut anmelden.")
    return session, agent


async def agent_for_session(ctx: ServiceContext, session_token: str) -> AgentView:
    _session_row, agent = await _session(ctx, session_token)
    return _agent_view(agent)


async def csrf_for_session(ctx: ServiceContext, session_token: str) -> str:
    session, _agent = await _session(ctx, session_token)
    return session["csrf_token"]


def csrf_matches(expected: str, given: str | None) -> bool:
    return hmac.compare_digest(expected.encode(), (given or "").encode())


async def ensure_admin(ctx: ServiceContext, email: str, password: str | None = None) -> str | None:
    """On first start create an admin; returns the generated password (to show once), else None."""
    async with reading(ctx) as conn:
        if await accounts.any_admin(conn):
            return None
    generated = password is None
    password = password or secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    try:
        await create_agent(ctx, email, "Administrator", password, role=ROLE_ADMIN)
    except Conflict:
        return None  # another process created it first
    return password if generated else None
