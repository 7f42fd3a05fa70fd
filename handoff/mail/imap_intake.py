"""IMAP polling (aioimaplib), for providers that only offer a mailbox: every unseen mail is handed to the intake
service and then flagged \\Seen. A mail whose processing fails stays unseen and is tried again at the next poll;
a mail processed twice (a crash between commit and flag) is recognised by its digest and Message-ID.
aioimaplib has no STARTTLS: IMAP_SECURITY is `ssl` (port 993) or `none` (a local server only).
"""
from __future__ import annotations

import asyncio
import logging
import re
import ssl

import aioimaplib

from handoff.services.context import ServiceContext
from handoff.services.mail_intake import receive_mail
from handoff.settings import MailSettings

log = logging.getLogger(__name__)

FETCH_HEADER = re.compile(rb"^\d+ FETCH \(.*BODY\[\] \{\d+\}$")


class ImapError(Exception):
    pass


async def poll_once(ctx: ServiceContext, settings: MailSettings) -> int:
    """One poll: log in, take every unseen mail of the folder, log out. Returns how many were processed."""
    if settings.imap_security == "ssl":
        client: aioimaplib.IMAP4 = aioimaplib.IMAP4_SSL(host=settings.imap_host, port=settings.imap_port_or_default,
                                                        timeout=30, ssl_context=ssl.create_default_context())
    else:
        client = aioimaplib.IMAP4(host=settings.imap_host, port=settings.imap_port_or_default, timeout=30)
    await client.wait_hello_from_server()
    processed = 0
    try:
        _ok(await client.login(settings.imap_username, settings.imap_password), "Anmeldung")
        _ok(await client.select(settings.imap_folder), f"Ordner {settings.imap_folder}")
        found = _ok(await client.uid_search("UNSEEN"), "Suche")
        uids = [uid for line in found.lines[:1] for uid in line.decode("ascii", "replace").split() if uid.isdigit()]
        for uid in uids:
            fetched = _ok(await client.uid("fetch", uid, "(BODY.PEEK[])"), f"Abruf von {uid}")
            raw = _message_bytes(fetched.lines)
            if raw is None:
                log.warning("imap: message %s has no body in the FETCH answer; left unseen", uid)
                continue
            try:
                result = await receive_mail(ctx, raw, "imap")
            except Exception:
                # one mail that cannot be processed now must not hold up the others: it stays unseen
                log.exception("imap: message %s not processed; left unseen for the next poll", uid)
                continue
            _ok(await client.uid("store", uid, "+FLAGS", "(\\Seen)"), f"Markieren von {uid}")
            processed += result.outcome != "duplicate"
    finally:
        try:
            await client.logout()
        except (aioimaplib.AioImapException, OSError, asyncio.TimeoutError):
            pass
    return processed


def _ok(response, what: str):
    if response.result != "OK":
        # the server's words, never the password
        raise ImapError(f"IMAP: {what} fehlgeschlagen: {response.result} "
                        f"{b' '.join(bytes(line) for line in response.lines)[:200]!r}")
    return response


def _message_bytes(lines) -> bytes | None:
    for index, line in enumerate(lines):
        if isinstance(line, (bytes, bytearray)) and FETCH_HEADER.match(bytes(line)) and index + 1 < len(lines):
            return bytes(lines[index + 1])
    return None


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
