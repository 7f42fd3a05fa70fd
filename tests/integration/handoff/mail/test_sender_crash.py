"""The one unavoidable window, measured: the sender process is killed at the moment the SMTP server accepts a mail
(inside the server's DATA handler, so the sender can never record the 250). A new sender takes the mail over once
the lease ran out and sends it again, with the same Message-ID: at most that one duplicate, every other mail once,
and the cut-short attempt recorded as `interrupted`."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoff.store import mail as mail_store
from handoff.services.context import utc_now
from tests.integration.handoff.mail.smtp_server import SmtpServer
from tests.integration.handoff.mail.test_outbox import _answer, _ticket

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[4]


def _start_sender(database_url: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.handoff.mail.sender_main", database_url, str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_killed_between_the_servers_250_and_the_commit_gives_at_most_one_duplicate(mail_ctx, database_url):
    ctx = mail_ctx
    ctx.clock = utc_now   # the sender process runs on the real clock: the mails must be due for it
    ticket_id = await _ticket(ctx)
    sent = [(await _answer(ctx, ticket_id, f"Antwort {n}")).message_id for n in range(3)]

    server = SmtpServer().start()
    sender = _start_sender(database_url, server.port)
    first: dict[str, str] = {}

    def kill_at_first_mail(mail) -> None:
        if not first:
            first["message_id"] = str(mail.message["Message-ID"])
            os.kill(sender.pid, signal.SIGKILL)     # before the 250 leaves the server

    server.handler.on_data = kill_at_first_mail
    try:
        assert sender.wait(timeout=30) == -signal.SIGKILL
        replacement = _start_sender(database_url, server.port)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                async with ctx.db.connect() as conn:
                    statuses = {(await mail_store.get_outbox(conn, row))["status"]
                                for row in [r["id"] for r in await mail_store.outbox_of_ticket(conn, ticket_id)]}
                if statuses == {"sent"}:
                    break
                await asyncio.sleep(0.2)
            assert statuses == {"sent"}
        finally:
            replacement.send_signal(signal.SIGTERM)
            replacement.wait(timeout=10)
    finally:
        server.stop()
    received = server.handler.message_ids()
    assert received.count(first["message_id"]) == 2           # the one documented duplicate
    assert sorted(set(received)) == sorted(sent)
    assert all(received.count(message_id) == 1 for message_id in sent if message_id != first["message_id"])
    async with ctx.db.connect() as conn:
        rows = {row["message_id"]: row for row in await mail_store.outbox_of_ticket(conn, ticket_id)}
        attempts = await mail_store.attempts_of(conn, rows[first["message_id"]]["id"])
    assert [a["outcome"] for a in attempts] == ["interrupted", "sent"]
