"""What runs of e-mail beside the web app: the outbox sender (when SMTP_HOST is set), the SMTP receiver (when
SMTP_INTAKE_PORT is set) and IMAP polling (when IMAP_HOST is set). Started after the server started, stopped
before it stops, with the other jobs (handoff/jobs.py); without mail settings nothing runs and mails wait."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from handoff.mail.imap_intake import run_imap_polling
from handoff.mail.outbox import OutboxSender, SmtpTransport
from handoff.mail.smtp_intake import start_smtp_intake
from handoff.services.context import ServiceContext
from handoff.settings import MailSettings

log = logging.getLogger(__name__)


@dataclass
class MailRuntime:
    sender: OutboxSender | None = None
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    smtp_server: asyncio.AbstractServer | None = None

    @classmethod
    async def start(cls, ctx: ServiceContext, settings: MailSettings) -> "MailRuntime":
        runtime = cls()
        loop = asyncio.get_running_loop()
        if settings.sending_enabled:
            runtime.sender = OutboxSender(ctx, SmtpTransport(settings))
            runtime.tasks.append(loop.create_task(runtime.sender.run(), name="mail-outbox"))
            log.info("mail: sending through %s:%s (%s) as %s", settings.smtp_host, settings.smtp_port_or_default,
                     settings.smtp_security, settings.from_address)
        else:
            log.warning("mail: SMTP_HOST is not set: e-mails wait in the outbox until it is (docs/email.md)")
        if settings.intake_port is not None:
            runtime.smtp_server = await start_smtp_intake(ctx, settings)
        if settings.imap_host is not None:
            runtime.tasks.append(loop.create_task(run_imap_polling(ctx, settings), name="mail-imap"))
            log.info("mail: polling %s:%s folder %s every %.0f s", settings.imap_host,
                     settings.imap_port_or_default, settings.imap_folder, settings.imap_poll_seconds)
        return runtime

    def wake_sender(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    async def stop(self) -> None:
        if self.smtp_server is not None:
            self.smtp_server.close()
            await self.smtp_server.wait_closed()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
