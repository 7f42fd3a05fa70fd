"""The service's configuration: one frozen value, built from the environment at start-up (never at import)."""
from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass, field, fields
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
DEFAULT_PRESENCE_HEARTBEAT_SECONDS = 20.0
MAX_PRESENCE_HEARTBEAT_SECONDS = 45.0
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


# --- E-mail (issue 16, docs/email.md): without SMTP_HOST nothing is sent and mails wait in the outbox. ---
SMTP_SECURITIES = ("starttls", "ssl", "none")
SMTP_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
IMAP_SECURITIES = ("ssl", "starttls", "none")   # ssl: implicit TLS; none: only for a server on the same host
IMAP_DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
DEFAULT_MAIL_FROM = "Nordwind Kundenservice <support@nordwind.local>"
_MAIL_ADDRESS = re.compile(r"^[^@\s<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$|^[^@\s<>\"]{1,64}@localhost$"
                           r"|^[^@\s<>\"]{1,64}@[A-Za-z0-9-]{1,63}\.local$")


@dataclass(frozen=True)
class MailSettings:
    """SMTP_* (sending), MAIL_* (addresses, limits, retries), SMTP_INTAKE_* (receiver), IMAP_* (polling)."""
    smtp_host: str | None = None
    smtp_port: int | None = None            # default by security: 587 starttls, 465 ssl, 25 none
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_security: str = "starttls"
    smtp_timeout_seconds: float = 30.0
    mail_from: str = DEFAULT_MAIL_FROM      # "Name <address>" or an address
    reply_domain: str | None = None         # support+<token>@<domain>; default: the domain of MAIL_FROM
    max_attempts: int = 8                   # then the ticket gets an internal note and is reopened
    retry_seconds: float = 30.0             # first back-off; doubles per attempt, at most one hour
    max_mail_bytes: int = 25 * 1024 * 1024  # larger inbound mails are refused by the receiver
    max_attachment_bytes: int = 10 * 1024 * 1024
    intake_port: int | None = None          # the in-service SMTP receiver; off unless set
    intake_host: str = "127.0.0.1"
    imap_host: str | None = None
    imap_port: int | None = None
    imap_username: str | None = None
    imap_password: str | None = field(default=None, repr=False)
    imap_security: str = "ssl"              # default port by security: 993 ssl, 143 starttls and none
    imap_folder: str = "INBOX"
    imap_poll_seconds: float = 60.0

    def __post_init__(self) -> None:
        _require(self.smtp_security in SMTP_SECURITIES, "SMTP_SECURITY", f"must be one of {', '.join(SMTP_SECURITIES)}")
        _require(self.imap_security in IMAP_SECURITIES, "IMAP_SECURITY", f"must be one of {', '.join(IMAP_SECURITIES)}")
        for variable, port in (("SMTP_PORT", self.smtp_port), ("SMTP_INTAKE_PORT", self.intake_port),
                               ("IMAP_PORT", self.imap_port)):
            _require(port is None or 1 <= port <= 65535, variable, "must be between 1 and 65535")
        _require((self.smtp_username is None) == (self.smtp_password is None), "SMTP_USERNAME",
                 "and SMTP_PASSWORD must be set together")
        _require(self.smtp_username is None or self.smtp_host is not None, "SMTP_HOST",
                 "must be set when SMTP_USERNAME is")
        _require(self.imap_host is None or (self.imap_username is not None and self.imap_password is not None),
                 "IMAP_USERNAME", "and IMAP_PASSWORD must be set when IMAP_HOST is")
        _require(_MAIL_ADDRESS.match(self.from_address) is not None and "\n" not in self.mail_from
                 and "\r" not in self.mail_from, "MAIL_FROM", "must be an e-mail address, e.g. "
                 "'Nordwind Kundenservice <support@example.de>'")
        _require(re.fullmatch(r"[A-Za-z0-9.-]{1,253}", self.reply_domain_or_default) is not None,
                 "MAIL_REPLY_DOMAIN", "must be a domain name, e.g. example.de")
        _require(self.max_attempts >= 1, "MAIL_MAX_ATTEMPTS", "must be at least 1")
        _require(self.retry_seconds > 0, "MAIL_RETRY_SECONDS", "must be positive")
        _require(self.smtp_timeout_seconds > 0, "SMTP_TIMEOUT_SECONDS", "must be positive")
        _require(self.max_mail_bytes >= 10_000, "MAIL_MAX_BYTES", "must be at least 10000")
        _require(0 < self.max_attachment_bytes <= self.max_mail_bytes, "MAIL_ATTACHMENT_MAX_BYTES",
                 "must be positive and at most MAIL_MAX_BYTES")
        _require(self.imap_poll_seconds > 0, "IMAP_POLL_SECONDS", "must be positive")
        _require(bool(self.imap_folder) and not any(ch in self.imap_folder for ch in "\r\n\""), "IMAP_FOLDER",
                 "must be a folder name without quotes or line breaks")

    @property
    def sending_enabled(self) -> bool:
        return self.smtp_host is not None

    @property
    def from_name(self) -> str:
        return self.mail_from.split("<", 1)[0].strip().strip('"') if "<" in self.mail_from else ""

    @property
    def from_address(self) -> str:
        if "<" in self.mail_from:
            return self.mail_from.split("<", 1)[1].rstrip().rstrip(">").strip()
        return self.mail_from.strip()

    @property
    def mailbox(self) -> str:
        """The local part that plus-addressing extends: support → support+<token>."""
        return self.from_address.split("@", 1)[0].split("+", 1)[0]

    @property
    def reply_domain_or_default(self) -> str:
        return (self.reply_domain or self.from_address.rpartition("@")[2]).lower()

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or SMTP_DEFAULT_PORTS[self.smtp_security]

    @property
    def imap_port_or_default(self) -> int:
        return self.imap_port or IMAP_DEFAULT_PORTS[self.imap_security]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "MailSettings":
        return cls(
            smtp_host=_get(environ, "SMTP_HOST", str, None),
            smtp_port=_get(environ, "SMTP_PORT", _parse_int, None),
            smtp_username=_get(environ, "SMTP_USERNAME", str, None),
            smtp_password=_secret(environ, "SMTP_PASSWORD"),
            smtp_security=_get(environ, "SMTP_SECURITY", str.lower, "starttls"),
            smtp_timeout_seconds=_get(environ, "SMTP_TIMEOUT_SECONDS", _parse_float, 30.0),
            mail_from=_get(environ, "MAIL_FROM", str, DEFAULT_MAIL_FROM),
            reply_domain=_get(environ, "MAIL_REPLY_DOMAIN", str, None),
            max_attempts=_get(environ, "MAIL_MAX_ATTEMPTS", _parse_int, 8),
            retry_seconds=_get(environ, "MAIL_RETRY_SECONDS", _parse_float, 30.0),
            max_mail_bytes=_get(environ, "MAIL_MAX_BYTES", _parse_int, 25 * 1024 * 1024),
            max_attachment_bytes=_get(environ, "MAIL_ATTACHMENT_MAX_BYTES", _parse_int, 10 * 1024 * 1024),
            intake_port=_get(environ, "SMTP_INTAKE_PORT", _parse_int, None),
            intake_host=_get(environ, "SMTP_INTAKE_HOST", str, "127.0.0.1"),
            imap_host=_get(environ, "IMAP_HOST", str, None),
            imap_port=_get(environ, "IMAP_PORT", _parse_int, None),
            imap_username=_get(environ, "IMAP_USERNAME", str, None),
            imap_password=_secret(environ, "IMAP_PASSWORD"),
            imap_security=_get(environ, "IMAP_SECURITY", str.lower, "ssl"),
            imap_folder=_get(environ, "IMAP_FOLDER", str, "INBOX"),
            imap_poll_seconds=_get(environ, "IMAP_POLL_SECONDS", _parse_float, 60.0),
        )

    def redacted(self) -> dict[str, object]:
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("smtp_password", "imap_password"):
            if shown[name] is not None:
                shown[name] = "***"
        return shown


def _secret(environ: Mapping[str, str], variable: str) -> str | None:
    """A password as given (spaces are allowed in passwords), never echoed in an error."""
    raw = environ.get(variable)
    return raw if raw else None


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
    # How often a connected console renews its agent's presence (the presence store forgets after 60 s).
    presence_heartbeat_seconds: float = DEFAULT_PRESENCE_HEARTBEAT_SECONDS
    # The trainer loop's project (docs/training.md): where data/, domain.yml and config.yml are, where candidate
    # models go, and another config.yml for training; tests and dry runs point these at a copy.
    training_project_root: str = "."
    training_models_dir: str | None = None
    training_config: str | None = None
    retention_days: int = DEFAULT_RETENTION_DAYS
    redact_transcripts: bool = False
    # /metrics answers loopback clients; with this token (Authorization: Bearer ...) any client.
    metrics_token: str | None = None
    # Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client (docs/deployment.md);
    # from any other peer the header is ignored. Empty: the socket peer is the client.
    trusted_proxies: tuple[str, ...] = ()
    mail: MailSettings = field(default_factory=MailSettings)

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
        _require(0 < self.presence_heartbeat_seconds <= MAX_PRESENCE_HEARTBEAT_SECONDS, "PRESENCE_HEARTBEAT_SECONDS",
                 f"must be between 0 and {MAX_PRESENCE_HEARTBEAT_SECONDS:g} (the presence store forgets after 60 s)")
        _require(self.retention_days > 0, "RETENTION_DAYS", "must be positive")
        _require(self.metrics_token is None or len(self.metrics_token) >= METRICS_TOKEN_MIN_CHARS,
                 "METRICS_TOKEN", f"must have at least {METRICS_TOKEN_MIN_CHARS} characters")
        _require(bool(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", self.redis_namespace)), "REDIS_NAMESPACE",
                 "must be 1 to 64 letters, digits, '_', '.' or '-'")
        for entry in self.trusted_proxies:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise SettingsError(f"TRUSTED_PROXIES: '{entry}' is not an IP address or network "
                                    "(e.g. 127.0.0.1 or 10.0.0.0/8)") from None

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
            presence_heartbeat_seconds=_get(environ, "PRESENCE_HEARTBEAT_SECONDS", _parse_float,
                                            DEFAULT_PRESENCE_HEARTBEAT_SECONDS),
            training_project_root=_get(environ, "TRAINING_PROJECT_ROOT", str, "."),
            training_models_dir=_get(environ, "TRAINING_MODELS_DIR", str, None),
            training_config=_get(environ, "TRAINING_CONFIG", str, None),
            redact_transcripts=_get(environ, "REDACT_TRANSCRIPTS", _parse_bool, False),
            metrics_token=_get(environ, "METRICS_TOKEN", str, None),
            trusted_proxies=_get(environ, "TRUSTED_PROXIES", _parse_list, ()),
            mail=MailSettings.from_env(environ),
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)

    def redacted(self) -> dict[str, object]:
        """For start-up logs: every value except secrets."""
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.admin_password is not None:
            shown["admin_password"] = "***"
        shown["mail"] = self.mail.redacted()
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


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(entry.strip() for entry in raw.split(",") if entry.strip())


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
