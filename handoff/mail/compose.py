"""The outgoing mail: German plain text with an HTML alternative, our Message-ID, the ticket reference in the
subject, the Reply-To with the ticket's token, threading headers, and Auto-Submitted on automatic mails.

Header injection is impossible: a CR or LF in a subject, a name or an address is refused (`HeaderInjection`)
before anything is built, and the email package encodes every non-ASCII header word (RFC 2047).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from handoff.mail.addresses import InvalidAddress, validate_address

AUTO_GENERATED = "auto-generated"   # acknowledgement, transcript: RFC 3834
AUTO_REPLIED = "auto-replied"


class HeaderInjection(ValueError):
    """A header value contains a line break."""


@dataclass(frozen=True)
class OutgoingMail:
    from_address: str
    from_name: str
    to_address: str
    to_name: str
    subject: str
    text: str
    reference: str | None = None          # "NW#1234": the subject starts with "[NW#1234] "
    reply_to: str | None = None           # support+<token>@reply-domain
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    auto_submitted: str | None = None     # None for a person's answer
    date: datetime | None = None


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain).lower()


def subject_with_reference(subject: str, reference: str | None) -> str:
    subject = _checked("Betreff", subject).strip()
    if reference and f"[{reference}]".lower() not in subject.lower():
        subject = f"[{reference}] {subject}".strip()
    return subject


def compose(mail: OutgoingMail, message_id: str) -> EmailMessage:
    for label, value in (("Name", mail.from_name), ("Name", mail.to_name), ("Betreff", mail.subject),
                         ("Message-ID", message_id), ("In-Reply-To", mail.in_reply_to or "")):
        _checked(label, value)
    message = EmailMessage()
    message["From"] = _address(mail.from_name, mail.from_address)
    message["To"] = _address(mail.to_name, mail.to_address)
    if mail.reply_to:
        message["Reply-To"] = _address(mail.from_name, mail.reply_to)
    message["Subject"] = subject_with_reference(mail.subject, mail.reference)
    message["Message-ID"] = message_id
    if mail.date is not None:
        message["Date"] = format_datetime(mail.date)
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    references = [_checked("References", ref) for ref in mail.references if ref]
    if references:
        message["References"] = " ".join(references[-20:])   # the newest; some servers refuse long headers
    if mail.auto_submitted:
        message["Auto-Submitted"] = mail.auto_submitted
        message["X-Auto-Response-Suppress"] = "All"   # Outlook/Exchange: no out-of-office to an automatic mail
    message.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(text_to_html(mail.text), subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = "de"   # after set_content, which replaces every Content-* header
    return message


def text_to_html(text: str) -> str:
    """The HTML alternative of the plain text: escaped, paragraphs and line breaks kept, links clickable."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(f"<p>{_linked(html.escape(p)).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return ('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"></head>\n'
            '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5;">\n'
            f"{body}\n</body></html>\n")


def _linked(escaped: str) -> str:
    return re.sub(r"(https?://[^\s<>\"]+)", r'<a href="\1">\1</a>', escaped)


def _checked(label: str, value: str) -> str:
    if any(ch in value for ch in "\r\n\0"):
        raise HeaderInjection(f"{label} darf keinen Zeilenumbruch enthalten.")
    return value


def _address(name: str, address: str) -> Address:
    try:
        normal = validate_address(address)
    except InvalidAddress as error:
        raise HeaderInjection(str(error)) from None
    local, domain = normal.split("@")
    return Address(display_name=name.strip(), username=local, domain=domain)
