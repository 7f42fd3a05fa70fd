"""The background sender: delivers committed outbox rows over SMTP (aiosmtplib), with retries and back-off.

One SMTP transaction per mail. The server's answer decides: 250 → sent; a 5xx for the recipient → the address is
undeliverable and nothing more goes to it; any other failure (connection refused, timeout, 4xx, a refused login)
→ retried later, until MAIL_MAX_ATTEMPTS, then the ticket gets an internal note and opens again.
Without SMTP_HOST the sender does not run and mails wait in the outbox (the console says so).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiosmtplib

from handoff.mail.addresses import masked_address
from handoff.services import mail_delivery
from handoff.services.context import ServiceContext
from handoff.settings import MailSettings

log = logging.getLogger(__name__)

BATCH = 20
IDLE_POLL_SECONDS = 5.0


@dataclass(frozen=True)
class SendFailure(Exception):
    error: str
    smtp_code: int | None
    permanent: bool
    recipient_refused: bool


class SmtpTransport:
    """Sends one composed mail to one recipient; raises SendFailure with the server's verdict."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    async def send(self, raw: bytes, sender: str, recipient: str) -> int:
        s = self.settings
        try:
            errors, response = await aiosmtplib.send(
                raw, sender=sender, recipients=[recipient], hostname=s.smtp_host, port=s.smtp_port_or_default,
                username=s.smtp_username, password=s.smtp_password, use_tls=s.smtp_security == "ssl",
                start_tls=True if s.smtp_security == "starttls" else False, timeout=s.smtp_timeout_seconds)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            first = refused.recipients[0] if refused.recipients else None
            code = first.code if first is not None else None
            raise SendFailure(_describe(code, first.message if first else str(refused)), code,
                              permanent=bool(code and code >= 500), recipient_refused=True) from None
        except aiosmtplib.SMTPAuthenticationError as error:
            raise SendFailure(f"Anmeldung am SMTP-Server abgelehnt ({error.code})", error.code, permanent=False,
                              recipient_refused=False) from None
        except aiosmtplib.SMTPResponseException as error:
            # A 5xx after DATA refuses this mail (content, size): retrying the same bytes cannot help.
            permanent = error.code >= 500 and isinstance(error, aiosmtplib.SMTPDataError)
            raise SendFailure(_describe(error.code, error.message), error.code, permanent=permanent,
                              recipient_refused=False) from None
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as error:
            raise SendFailure(f"SMTP-Server nicht erreichbar: {type(error).__name__}: {error}"[:500], None,
                              permanent=False, recipient_refused=False) from None
        if recipient in errors:
            code, message = errors[recipient].code, errors[recipient].message
            raise SendFailure(_describe(code, message), code, permanent=code >= 500, recipient_refused=True)
        return int(response.split(" ", 1)[0]) if response[:3].isdigit() else 250


def _describe(code: int | None, message: str) -> str:
    return f"{code or ''} {message}".strip()[:500]


async def deliver_due(ctx: ServiceContext, transport: SmtpTransport, limit: int = BATCH) -> int:
    """One pass: every due mail once. Returns how many were handed to the server."""
    sent = 0
    for mail in await mail_delivery.claim_due(ctx, limit):
        try:
            code = await transport.send(mail.raw, mail.from_address, mail.to_address)
        except SendFailure as failure:
            status = await mail_delivery.record_failure(ctx, mail, failure.error, failure.smtp_code,
                                                        failure.permanent, failure.recipient_refused)
            log.warning("outbox: mail %s to %s not sent (%s), now %s", mail.message_id,
                        masked_address(mail.to_address),
                        failure.error, status)
            continue
        # THE window: the server said 250, our commit follows as the very next step (docs/email.md).
        await mail_delivery.record_sent(ctx, mail, code)
        sent += 1
    return sent


class OutboxSender:
    """Runs `deliver_due` until cancelled; `wake()` after an enqueue shortens the wait."""

    def __init__(self, ctx: ServiceContext, transport: SmtpTransport, poll_seconds: float = IDLE_POLL_SECONDS):
        self.ctx = ctx
        self.transport = transport
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                busy = await deliver_due(self.ctx, self.transport) > 0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox: delivery pass failed; retrying in %.0f s", self.poll_seconds)
                busy = False
            if busy:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except asyncio.TimeoutError:
                pass
