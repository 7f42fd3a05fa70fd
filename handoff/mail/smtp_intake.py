"""The SMTP receiver inside the service (aiosmtpd), off by default (SMTP_INTAKE_PORT), for a mail server that
forwards our mailbox to it. It runs on the app's event loop (the database engine lives there).

Only recipients of our own domains are accepted (no relay). A mail is acknowledged with 250 only after its
transaction committed; if processing fails the sender gets 451 and delivers again later: nothing is lost. Larger
mails than MAIL_MAX_BYTES are refused with 552 by aiosmtpd, so the sender's server tells the customer.
"""
from __future__ import annotations

import asyncio
import logging

from aiosmtpd.smtp import SMTP

from handoff.services.context import ServiceContext
from handoff.services.mail_intake import receive_mail
from handoff.settings import MailSettings

log = logging.getLogger(__name__)


class IntakeHandler:
    def __init__(self, ctx: ServiceContext, settings: MailSettings) -> None:
        self.ctx = ctx
        self.domains = {settings.reply_domain_or_default, settings.from_address.rpartition("@")[2].lower()}

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options) -> str:
        if address.rpartition("@")[2].lower() not in self.domains:
            return "550 5.7.1 Relaying denied: not a mailbox of this service"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        content = bytes(envelope.original_content or envelope.content or b"")
        # What a delivering server adds, on top (the first Return-Path counts): loop detection reads the empty
        # path <> of bounces and auto-replies from the envelope, not from what the sender wrote.
        content = f"Return-Path: <{envelope.mail_from or ''}>\r\n".encode("ascii", "replace") + content
        try:
            result = await receive_mail(self.ctx, content, "smtp")
        except Exception:
            log.exception("smtp intake: mail from %s not processed; sender asked to retry", envelope.mail_from)
            return "451 4.3.0 Temporary processing failure, please retry"
        return f"250 2.0.0 Ok: {result.outcome}"


async def start_smtp_intake(ctx: ServiceContext, settings: MailSettings) -> asyncio.AbstractServer:
    loop = asyncio.get_running_loop()
    handler = IntakeHandler(ctx, settings)
    server = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=settings.max_mail_bytes, hostname=settings.reply_domain_or_default,
                     ident="Nordwind SMTP-Eingang", decode_data=False),
        host=settings.intake_host, port=settings.intake_port)
    log.info("smtp intake listening on %s:%s", settings.intake_host, settings.intake_port)
    return server
