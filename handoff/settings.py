"""The service's configuration: one frozen value, built from the environment at start-up (never at import)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Callable, Mapping, TypeVar

from handoff.store.urls import DatabaseUrlError, async_database_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/handoff.db"
DEFAULT_MODEL_PATH = "models/nordwind.tar.gz"
DEFAULT_ENDPOINTS = "endpoints.yml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5005
DEFAULT_ADMIN_EMAIL = "admin@nordwind.local"
DEFAULT_SESSION_HOURS = 12
DEFAULT_MAX_MESSAGE_CHARS = 2000
DEFAULT_LOG_LEVEL = "INFO"
DEFAULT_BOT_TIMEOUT_SECONDS = 10.0
# ~15 KB each: 5,000 conversations are ~75 MB; more active ones than that need a tracker store (endpoints.yml).
DEFAULT_BOT_TRACKERS_KEPT = 5000
DEFAULT_RATE_LIMIT_PER_MINUTE = 30
DEFAULT_RETENTION_DAYS = 90
# Redis pub/sub channels are global to a Redis server, not per database: deployments (and test runs) sharing one
# server need their own namespace, or they receive each other's events.
DEFAULT_REDIS_NAMESPACE = "nordwind"
# As the password rule of handoff/services/auth.py, so that a bad ADMIN_PASSWORD fails before start-up.
ADMIN_PASSWORD_MIN_CHARS = 12
# A bearer token for /metrics from other hosts: long enough not to be guessed.
METRICS_TOKEN_MIN_CHARS = 16

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")   # json: one object per line (handoff/logs.py)
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")

T = TypeVar("T")


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    redis_namespace: str = DEFAULT_REDIS_NAMESPACE
    model_path: str = DEFAULT_MODEL_PATH
    endpoints: str = DEFAULT_ENDPOINTS
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: str | None = None
    session_hours: int = DEFAULT_SESSION_HOURS
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    cookie_secure: bool = False
    log_level: str = DEFAULT_LOG_LEVEL
    log_format: str = "text"
    # One line per HTTP request (Sanic's access log): off by default, the product logs its own events.
    access_log: bool = False
    bot_timeout_seconds: float = DEFAULT_BOT_TIMEOUT_SECONDS
    # Conversations whose Rasa context the bot keeps in memory (without a tracker store in endpoints.yml).
    bot_trackers_kept: int = DEFAULT_BOT_TRACKERS_KEPT
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE
    retention_days: int = DEFAULT_RETENTION_DAYS
    redact_transcripts: bool = False
    # /metrics answers loopback clients; with this token (Authorization: Bearer ...) any client.
    metrics_token: str | None = None

    def __post_init__(self) -> None:
        _require(bool(self.database_url), "DATABASE_URL", "must not be empty")
        try:
            # frozen: the normalised URL replaces the one given, before anything reads it
            object.__setattr__(self, "database_url", async_database_url(self.database_url))
        except DatabaseUrlError as error:
            raise SettingsError(f"DATABASE_URL {error}") from None
        _require(1 <= self.port <= 65535, "PORT", "must be between 1 and 65535")
        _require("@" in self.admin_email, "ADMIN_EMAIL", "must be an e-mail address")
        _require(self.admin_password is None or len(self.admin_password) >= ADMIN_PASSWORD_MIN_CHARS,
                 "ADMIN_PASSWORD", f"must have at least {ADMIN_PASSWORD_MIN_CHARS} characters")
        _require(self.session_hours > 0, "SESSION_HOURS", "must be positive")
        _require(self.max_message_chars > 0, "MAX_MESSAGE_CHARS", "must be positive")
        _require(self.log_level in LOG_LEVELS, "LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}")
        _require(self.log_format in LOG_FORMATS, "LOG_FORMAT", f"must be one of {', '.join(LOG_FORMATS)}")
        _require(self.bot_timeout_seconds > 0, "BOT_TIMEOUT_SECONDS", "must be positive")
        _require(self.bot_trackers_kept > 0, "BOT_TRACKERS_KEPT", "must be positive")
        _require(self.rate_limit_per_minute > 0, "RATE_LIMIT_PER_MINUTE", "must be positive")
        _require(self.retention_days > 0, "RETENTION_DAYS", "must be positive")
        _require(self.metrics_token is None or len(self.metrics_token) >= METRICS_TOKEN_MIN_CHARS,
                 "METRICS_TOKEN", f"must have at least {METRICS_TOKEN_MIN_CHARS} characters")
        _require(bool(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", self.redis_namespace)), "REDIS_NAMESPACE",
                 "must be 1 to 64 letters, digits, '_', '.' or '-'")

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """Read every field from its upper-case variable; absent or blank optional values keep the default."""
        return cls(
            database_url=_get(environ, "DATABASE_URL", str, DEFAULT_DATABASE_URL),
            redis_url=_get(environ, "REDIS_URL", str, None),
            redis_namespace=_get(environ, "REDIS_NAMESPACE", str, DEFAULT_REDIS_NAMESPACE),
            model_path=_get(environ, "MODEL_PATH", str, DEFAULT_MODEL_PATH),
            endpoints=_get(environ, "ENDPOINTS", str, DEFAULT_ENDPOINTS),
            host=_get(environ, "HOST", str, DEFAULT_HOST),
            port=_get(environ, "PORT", _parse_int, DEFAULT_PORT),
            admin_email=_get(environ, "ADMIN_EMAIL", str, DEFAULT_ADMIN_EMAIL),
            admin_password=_get(environ, "ADMIN_PASSWORD", str, None),
            session_hours=_get(environ, "SESSION_HOURS", _parse_int, DEFAULT_SESSION_HOURS),
            max_message_chars=_get(environ, "MAX_MESSAGE_CHARS", _parse_int, DEFAULT_MAX_MESSAGE_CHARS),
            cookie_secure=_get(environ, "COOKIE_SECURE", _parse_bool, False),
            log_level=_get(environ, "LOG_LEVEL", str.upper, DEFAULT_LOG_LEVEL),
            log_format=_get(environ, "LOG_FORMAT", str.lower, "text"),
            access_log=_get(environ, "ACCESS_LOG", _parse_bool, False),
            bot_timeout_seconds=_get(environ, "BOT_TIMEOUT_SECONDS", _parse_float, DEFAULT_BOT_TIMEOUT_SECONDS),
            bot_trackers_kept=_get(environ, "BOT_TRACKERS_KEPT", _parse_int, DEFAULT_BOT_TRACKERS_KEPT),
            rate_limit_per_minute=_get(environ, "RATE_LIMIT_PER_MINUTE", _parse_int,
                                       DEFAULT_RATE_LIMIT_PER_MINUTE),
            retention_days=_get(environ, "RETENTION_DAYS", _parse_int, DEFAULT_RETENTION_DAYS),
            redact_transcripts=_get(environ, "REDACT_TRANSCRIPTS", _parse_bool, False),
            metrics_token=_get(environ, "METRICS_TOKEN", str, None),
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)

    def redacted(self) -> dict[str, object]:
        """For start-up logs: every value except secrets."""
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.admin_password is not None:
            shown["admin_password"] = "***"
        if self.metrics_token is not None:
            shown["metrics_token"] = "***"
        return shown


def _require(condition: bool, variable: str, problem: str) -> None:
    if not condition:
        raise SettingsError(f"{variable} {problem}")


def _get(environ: Mapping[str, str], variable: str, parse: Callable[[str], T], default: T) -> T:
    raw = environ.get(variable)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw.strip())
    except ValueError as exc:
        raise SettingsError(f"{variable}={raw!r}: {exc}") from None


def _parse_int(raw: str) -> int:
    return int(raw, 10)


def _parse_float(raw: str) -> float:
    return float(raw)


def _parse_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ValueError(f"expected one of {TRUE_WORDS + FALSE_WORDS}")
