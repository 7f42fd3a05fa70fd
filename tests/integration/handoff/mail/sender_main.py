"""The outbox sender as a process of its own, for the crash test: `python -m tests.integration.handoff.mail.sender_main
<database_url> <smtp_port>`. Runs until killed."""
from __future__ import annotations

import asyncio
import dataclasses
import sys

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.mail.outbox import OutboxSender, SmtpTransport
from handoff.services.context import ServiceConfig, ServiceContext
from handoff.store.database import create_engine
from tests.fakes import FakeBotEngine
from tests.integration.handoff.mail.conftest import CORPUS_MAIL


async def main(database_url: str, port: int) -> None:
    settings = dataclasses.replace(CORPUS_MAIL, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                                   smtp_timeout_seconds=1, retry_seconds=1)
    ctx = ServiceContext(db=create_engine(database_url), bus=InProcessBus(), presence=InProcessPresence(),
                         bot=FakeBotEngine(), config=ServiceConfig(mail=settings))
    print("ready", flush=True)
    await OutboxSender(ctx, SmtpTransport(settings), poll_seconds=0.2).run()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
