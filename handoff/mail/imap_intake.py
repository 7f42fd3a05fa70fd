"""IMAP polling, for providers that only offer a mailbox: every unseen mail is handed to the intake service and then
flagged \\Seen. A mail whose processing fails stays unseen and is tried again at the next poll; a mail processed
twice (a crash between commit and flag) is recognised by its digest and Message-ID.

The client is the standard library's `imaplib` (PSF licence, maintained with Python, IMAP4_SSL and STARTTLS), not an
asyncio IMAP library: the maintained one, aioimaplib, is GPL-3.0-only and has no STARTTLS. One poll is one blocking
session whose steps run one at a time in a worker thread (`asyncio.to_thread`), each bounded by a socket timeout;
the intake service itself runs on the event loop between them.
"""
from __future__ import annotations

import asyncio
import base64
import imaplib
import logging
import re
import socket
import ssl
from contextlib import contextmanager
from typing import Iterator

from handoff.services.context import ServiceContext
from handoff.services.mail_intake import receive_mail
from handoff.settings import MailSettings

log = logging.getLogger(__name__)

# Per socket operation (connect, TLS handshake, each read): a server that stops answering ends the poll, not the loop.
IMAP_TIMEOUT_SECONDS = 30.0
FETCH_LABEL = re.compile(rb"\bBODY\[\] \{\d+\}$")


class ImapError(Exception):
    pass


async def poll_once(ctx: ServiceContext, settings: MailSettings) -> int:
    """One poll: log in, take every unseen mail of the folder, log out. Returns how many were processed."""
    mailbox = _Mailbox(settings)
    try:
        await asyncio.to_thread(mailbox.open)
        processed = 0
        for uid in await asyncio.to_thread(mailbox.unseen_uids):
            raw = await asyncio.to_thread(mailbox.fetch, uid)
            if raw is None:
                log.warning("imap: message %s has no body in the FETCH answer; left unseen", uid)
                continue
            try:
                result = await receive_mail(ctx, raw, "imap")
            except Exception:
                # one mail that cannot be processed now must not hold up the others: it stays unseen
                log.exception("imap: message %s not processed; left unseen for the next poll", uid)
                continue
            # only after its transaction committed: a crash before this line leaves it unseen (a duplicate next time)
            await asyncio.to_thread(mailbox.mark_seen, uid)
            processed += result.outcome != "duplicate"
        return processed
    except asyncio.CancelledError:
        # a step may still be running in its thread: cut the connection under it instead of talking over it
        mailbox.abort()
        raise
    finally:
        if not mailbox.aborted:
            await asyncio.to_thread(mailbox.logout)


class _Mailbox:
    """One blocking imaplib session. Its methods run in a worker thread, strictly one after the other."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.imap: imaplib.IMAP4 | None = None
        self.sock: socket.socket | None = None    # known before imaplib's constructor has read the greeting
        self.aborted = False

    def open(self) -> None:
        settings = self.settings
        where = f"{settings.imap_host}:{settings.imap_port_or_default}"
        with _step(f"Verbindung zu {where} ({settings.imap_security})"):
            if settings.imap_security == "ssl":
                self.imap = _client(imaplib.IMAP4_SSL, self)(settings.imap_host, settings.imap_port_or_default,
                                                             ssl_context=ssl.create_default_context(),
                                                             timeout=IMAP_TIMEOUT_SECONDS)
            else:
                self.imap = _client(imaplib.IMAP4, self)(settings.imap_host, settings.imap_port_or_default,
                                                         timeout=IMAP_TIMEOUT_SECONDS)
            if settings.imap_security == "starttls":
                # never falls back to plain text: a server without STARTTLS, or with a certificate that does not
                # verify for IMAP_HOST, is an error before the password is sent
                self.imap.starttls(ssl_context=ssl.create_default_context())
        with _step("Anmeldung"):
            self._login(settings.imap_username or "", settings.imap_password or "")
        with _step(f"Ordner {settings.imap_folder}"):
            _ok(self.imap.select(mailbox_name(settings.imap_folder)))

    def _login(self, username: str, password: str) -> None:
        if username.isascii() and password.isascii():
            # imaplib quotes the password itself, not the user name
            self.imap.login(_quoted(username), password)
        else:
            # LOGIN is ASCII only in imaplib; SASL PLAIN carries UTF-8 (RFC 4616), e.g. a password with an umlaut
            credentials = b"\0" + username.encode() + b"\0" + password.encode()
            self.imap.authenticate("PLAIN", lambda _challenge: credentials)

    def unseen_uids(self) -> list[str]:
        with _step("Suche"):
            data = _ok(self.imap.uid("SEARCH", "UNSEEN"))
        return [uid for line in data[:1] if isinstance(line, bytes)
                for uid in line.decode("ascii", "replace").split() if uid.isdigit()]

    def fetch(self, uid: str) -> bytes | None:
        with _step(f"Abruf von {uid}"):
            data = _ok(self.imap.uid("FETCH", uid, "(BODY.PEEK[])"))
        # (b'12 (UID 7 BODY[] {2345}', b'<the mail>'), b')'; other untagged answers may be mixed in
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and FETCH_LABEL.search(item[0]):
                return item[1]
        return None

    def mark_seen(self, uid: str) -> None:
        with _step(f"Markieren von {uid}"):
            _ok(self.imap.uid("STORE", uid, "+FLAGS", "(\\Seen)"))

    def logout(self) -> None:
        if self.imap is None:
            return
        try:
            self.imap.logout()   # closes the socket even when the server does not answer
        except (imaplib.IMAP4.error, OSError, EOFError):
            pass

    def abort(self) -> None:
        """From the event loop, while a step may be blocked in its thread: shut the socket down so that step ends
        at once. Only the OS socket's shutdown, which takes no lock the reading thread holds."""
        self.aborted = True
        # after STARTTLS imaplib holds the TLS socket, which took over the connection from the first one
        sock = self.imap.sock if self.imap is not None else self.sock
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


def _client(base: type[imaplib.IMAP4], mailbox: _Mailbox) -> type[imaplib.IMAP4]:
    """imaplib's class that tells the session its socket as soon as it exists (before the greeting is read), so
    that a poll cancelled while the server keeps silent can still be cut."""

    class Client(base):
        def _create_socket(self, timeout):
            mailbox.sock = super()._create_socket(timeout)
            return mailbox.sock

    return Client


@contextmanager
def _step(what: str) -> Iterator[None]:
    try:
        yield
    except imaplib.IMAP4.error as error:
        # the server's words, never the password
        raise ImapError(f"IMAP: {what} fehlgeschlagen: {str(error)[:200]}") from None
    except (OSError, EOFError) as error:
        raise ImapError(f"IMAP: {what} fehlgeschlagen: {type(error).__name__}: {str(error)[:200]}") from error


def _ok(response: tuple[str, list]) -> list:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{status} {b' '.join(d for d in data if isinstance(d, bytes))[:200]!r}")
    return data


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailbox_name(folder: str) -> str:
    """A folder name as IMAP4rev1 wants it: modified UTF-7 (RFC 3501 5.1.3), quoted ("Entwürfe" → "Entw&APw-rfe")."""
    encoded, pending = [], []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            encoded.append("&" + chunk.decode("ascii") + "-")
            pending.clear()

    for char in folder:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return _quoted("".join(encoded))


async def run_imap_polling(ctx: ServiceContext, settings: MailSettings) -> None:
    """Poll until cancelled; a failed poll (server away, wrong password) is logged and retried at the next one."""
    while True:
        try:
            count = await poll_once(ctx, settings)
            if count:
                log.info("imap: %d mails taken from %s", count, settings.imap_folder)
        except asyncio.CancelledError:
            raise
        except Exception as error:   # the loop must survive anything one poll runs into
            log.warning("imap: poll of %s failed: %s", settings.imap_host, error)
        await asyncio.sleep(settings.imap_poll_seconds)
