"""A real SMTP server for the tests: aiosmtpd on a free port, recording every accepted mail.

It can refuse recipients with a 5xx (a mailbox that does not exist), and be started and stopped to play an outage.
"""
from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Callable

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)   # type: ignore[return-value]


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)          # address → "550 5.1.1 ..."
    on_data: Callable[[Received], None] | None = None               # runs before the 250 is sent

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return self.refused[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or b""))
        self.received.append(mail)
        if self.on_data is not None:
            self.on_data(mail)
        return "250 2.0.0 Ok: queued"

    def message_ids(self) -> list[str]:
        return [str(mail.message["Message-ID"]) for mail in self.received]


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
