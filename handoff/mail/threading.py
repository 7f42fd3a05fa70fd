"""Which ticket an inbound mail belongs to: the rules, pure. The service looks the candidates up and asks `decide`.

Order (issue 16):
1. the reply token in a recipient address (To, Cc, Delivered-To: the mail server may have rewritten To);
2. In-Reply-To, then References (newest first), against the Message-IDs we stored;
3. the subject reference "[NW#1234]", accepted only when the sender is the ticket's customer.
Another customer's mail that quotes a reference opens a new ticket and is never appended to a stranger's ticket
(zammad#5064). A mail with no usable reference opens a new ticket.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from handoff.mail.addresses import same_address

SUBJECT_REFERENCE = re.compile(r"\[?\s*NW\s*#\s*(\d{1,9})\s*\]?", re.IGNORECASE)

VIA_TOKEN = "token"
VIA_MESSAGE_ID = "message_id"
VIA_SUBJECT = "subject"


@dataclass(frozen=True)
class TicketRef:
    ticket_id: str
    number: int
    customer_email: str | None


@dataclass(frozen=True)
class Candidates:
    """What the store found for one mail, in the rules' order; None where that rule found nothing."""
    sender: str
    by_token: TicketRef | None = None
    by_message_id: TicketRef | None = None
    by_subject: TicketRef | None = None


@dataclass(frozen=True)
class Decision:
    ticket: TicketRef | None     # None: open a new ticket
    via: str | None              # token | message_id | subject
    refused_reference: int | None = None   # a quoted [NW#n] of another customer: noted on the new ticket


def subject_numbers(subject: str) -> list[int]:
    numbers: list[int] = []
    for match in SUBJECT_REFERENCE.finditer(subject or ""):
        number = int(match.group(1))
        if number not in numbers:
            numbers.append(number)
    return numbers


def decide(candidates: Candidates) -> Decision:
    if candidates.by_token is not None:
        return Decision(candidates.by_token, VIA_TOKEN)
    if candidates.by_message_id is not None:
        return Decision(candidates.by_message_id, VIA_MESSAGE_ID)
    ticket = candidates.by_subject
    if ticket is not None:
        if same_address(candidates.sender, ticket.customer_email):
            return Decision(ticket, VIA_SUBJECT)
        return Decision(None, None, refused_reference=ticket.number)
    return Decision(None, None)


def message_id_order(in_reply_to: list[str], references: list[str]) -> list[str]:
    """In-Reply-To first, then References from the newest (last) to the oldest, each once."""
    ordered: list[str] = []
    for message_id in [*in_reply_to, *reversed(references)]:
        if message_id not in ordered:
            ordered.append(message_id)
    return ordered
