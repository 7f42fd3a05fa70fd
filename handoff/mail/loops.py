"""Mails that must never be answered automatically, and what kind of automatic mail they are.

RFC 3834 (Auto-Submitted), Microsoft's X-Auto-Response-Suppress, Precedence bulk/list/junk, X-Loop, the empty
return path of bounces and auto-replies, and our own mails. A mail may still be a person's reply (and be threaded)
while we must not answer it automatically: `no_auto_answer` says why not; `kind` says what the mail is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handoff.mail.parse import InboundMail


class MailKind(StrEnum):
    PERSON = "person"          # written by someone: threaded or a new ticket
    AUTO_REPLY = "auto_reply"  # out of office and similar: recorded on the ticket, never reopens, never a new ticket
    BOUNCE = "bounce"          # a delivery status notification
    BULK = "bulk"              # newsletters, mailing lists: never a ticket
    OWN = "own"                # a mail we sent ourselves, come back: dropped


@dataclass(frozen=True)
class Verdict:
    kind: MailKind
    no_auto_answer: str | None   # why no automatic mail may go to the sender; None: one may

    @property
    def may_auto_answer(self) -> bool:
        return self.no_auto_answer is None


_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(abwesenheitsnotiz|automatische antwort|auto:|autoreply|auto-reply|automatic reply|out of office"
    r"|abwesend|urlaub\b|ich bin (derzeit |zurzeit )?nicht im büro|office closed)", re.IGNORECASE)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|unzustellbar|delivery status notification|returned mail|mail delivery failed"
    r"|nicht zustellbar|failure notice|zustellung fehlgeschlagen)", re.IGNORECASE)


def classify(mail: InboundMail, own_addresses: frozenset[str], own_domain: str) -> Verdict:
    kind = _kind(mail, own_addresses, own_domain)
    return Verdict(kind, _no_auto_answer(mail, kind))


def _kind(mail: InboundMail, own_addresses: frozenset[str], own_domain: str) -> MailKind:
    if mail.from_address in own_addresses:
        return MailKind.OWN
    headers = mail.headers
    # Before the Message-ID test: our own mail server's bounces may carry a Message-ID of our domain.
    if mail.delivery_status or "report-type=delivery-status" in headers.get("content-type", "").replace(" ", ""):
        return MailKind.BOUNCE
    if _BOUNCE_SENDER.match(mail.from_address) and (_BOUNCE_SUBJECT.search(mail.subject) or "x-failed-recipients"
                                                    in headers):
        return MailKind.BOUNCE
    if mail.message_id is not None and own_domain and mail.message_id.endswith(f"@{own_domain.lower()}>"):
        return MailKind.OWN
    auto_submitted = headers.get("auto-submitted", "no")
    if auto_submitted.startswith("auto-replied") or "x-autoreply" in headers or "x-autorespond" in headers:
        return MailKind.AUTO_REPLY
    if _AUTO_REPLY_SUBJECT.match(mail.subject) and ("x-auto-response-suppress" in headers
                                                    or auto_submitted != "no" or mail.return_path == ""):
        return MailKind.AUTO_REPLY
    if headers.get("precedence") in ("bulk", "list", "junk") or "list-id" in headers or "list-unsubscribe" in headers:
        return MailKind.BULK
    if auto_submitted != "no":   # auto-generated: notifications of other systems
        return MailKind.BULK
    return MailKind.PERSON


def _no_auto_answer(mail: InboundMail, kind: MailKind) -> str | None:
    if kind is not MailKind.PERSON:
        return kind.value
    headers = mail.headers
    if headers.get("auto-submitted", "no") != "no":
        return "Auto-Submitted"
    if "x-auto-response-suppress" in headers:
        return "X-Auto-Response-Suppress"
    if headers.get("precedence") in ("bulk", "list", "junk"):
        return "Precedence"
    if "x-loop" in headers:
        return "X-Loop"
    if mail.return_path == "":
        return "leerer Return-Path"
    return None
