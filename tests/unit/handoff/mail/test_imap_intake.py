"""The IMAP intake without a mail server: folder names as IMAP wants them (modified UTF-7, quoted), and a server
that never answers (a local socket): the poll ends with a clear error at the timeout, and a cancelled poll cuts its
connection at once instead of leaving its thread blocked. Polling a real dovecot: tests/integration/handoff/mail."""
from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from handoff.mail import imap_intake
from handoff.mail.imap_intake import ImapError, mailbox_name, poll_once
from handoff.settings import MailSettings


@pytest.mark.parametrize("folder,wire", [
    ("INBOX", '"INBOX"'),
    ("Support Eingang", '"Support Eingang"'),                  # a space: only quoted it is one argument
    ("Entwürfe", '"Entw&APw-rfe"'),                            # RFC 3501 5.1.3
    ("Posteingang/Rückfragen", '"Posteingang/R&APw-ckfragen"'),
    ("Größe ÄÖÜ", '"Gr&APYA3w-e &AMQA1gDc-"'),
    ("A&B", '"A&-B"'),                                         # a literal & is escaped as &-
    ("a\\b", '"a\\\\b"'),                                      # a backslash is escaped inside the quotes
    ("~peter/mail/台北/日本語", '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'),   # the RFC's own example
])
def test_folder_names_are_modified_utf7_and_quoted(folder, wire):
    assert mailbox_name(folder) == wire


class SilentServer:
    """A TCP server that accepts and never answers (an IMAP server that hangs); it notes when the client hangs up."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.hung_up = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.settimeout(60)
            try:
                while connection.recv(1024):
                    pass
            except OSError:
                pass
            self.hung_up.set()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def _settings(port: int) -> MailSettings:
    return MailSettings(imap_host="127.0.0.1", imap_port=port, imap_security="none", imap_username="u",
                        imap_password="Geheim-4711")


async def test_a_server_that_never_answers_ends_the_poll_with_a_clear_error(silent_server, monkeypatch):
    monkeypatch.setattr(imap_intake, "IMAP_TIMEOUT_SECONDS", 0.5)
    with pytest.raises(ImapError) as error:
        await poll_once(None, _settings(silent_server.port))
    assert str(error.value).startswith(f"IMAP: Verbindung zu 127.0.0.1:{silent_server.port} (none) fehlgeschlagen")
    assert "Timeout" in str(error.value) and "Geheim" not in str(error.value)


async def test_a_cancelled_poll_cuts_its_connection_at_once(silent_server):
    # the timeout stays at 30 s: only the cut ends the blocked step in its thread
    poll = asyncio.ensure_future(poll_once(None, _settings(silent_server.port)))
    await asyncio.sleep(0.3)
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    assert await asyncio.to_thread(silent_server.hung_up.wait, 5)
