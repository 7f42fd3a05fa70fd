"""Everything a use case needs, passed explicitly: storage, bus, presence, bot, clock and configuration."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from handoff.engine.contract import BotEngine
from handoff.bus.base import Bus, Presence
from handoff.domain.vocabulary import MAX_MESSAGE_CHARS
from handoff.settings import MailSettings

MAX_MESSAGE_LENGTH = MAX_MESSAGE_CHARS
SESSION_LIFETIME = timedelta(hours=12)
LOCKOUT_AFTER_FAILED_LOGINS = 5
LOCKOUT_DURATION = timedelta(minutes=15)
DEFAULT_HANDLING_MINUTES = 6.0
# A routing claim older than this belongs to a dead or stuck process: the bot's timeout (10 s by default) plus a
# margin for storing the answer. The app derives it from BOT_TIMEOUT_SECONDS (bot_routing.stale_after_for).
ROUTING_STALE_AFTER = timedelta(seconds=15)
ROUTING_SWEEP_BATCH = 50


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class ServiceConfig:
    max_message_length: int = MAX_MESSAGE_LENGTH
    session_lifetime: timedelta = SESSION_LIFETIME
    lockout_after_failed_logins: int = LOCKOUT_AFTER_FAILED_LOGINS
    lockout_duration: timedelta = LOCKOUT_DURATION
    # Used for the wait estimate until enough conversations were handled to measure it.
    default_handling_minutes: float = DEFAULT_HANDLING_MINUTES
    # REDACT_TRANSCRIPTS: customer texts are stored redacted (the bot still reads the original).
    redact_transcripts: bool = False
    # Re-routing of customer messages whose bot answer never got stored (docs/reliability.md, finding 1).
    routing_stale_after: timedelta = ROUTING_STALE_AFTER
    routing_sweep_batch: int = ROUTING_SWEEP_BATCH
    # E-mail (issue 16): addresses, limits and retries; without an SMTP host mails wait in the outbox.
    mail: MailSettings = field(default_factory=MailSettings)


@dataclass
class ServiceContext:
    db: AsyncEngine   # the database (SQLAlchemy's async engine); `engine` names the bot seam
    bus: Bus
    presence: Presence
    bot: BotEngine
    clock: Callable[[], datetime] = utc_now
    config: ServiceConfig = field(default_factory=ServiceConfig)
    # Failures survived on the honest path (bot down, timeouts): counted so that /ready shows them to operators.
    failures: Counter[str] = field(default_factory=Counter)

    def now(self) -> datetime:
        return self.clock()
