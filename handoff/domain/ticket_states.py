"""Ticket states and their transition table: the only place where a ticket's status change is decided.

Like the conversation's table (states.py), it is data; services ask `next_ticket_status` and never assign a status
on their own. The states are the ones helpdesk users know from Zammad: new → open → pending (waiting for the
customer, with a reminder time) → solved → closed (automatically, some days after solving), and merged.
Who may act (owner, supervisor) is the services' question; whether the ticket's state allows it is this table's.
"""
from __future__ import annotations

from enum import StrEnum

from handoff.domain.lifecycle import Lifecycle, TransitionRefused


class TicketStatus(StrEnum):
    NEW = "new"            # nobody has touched it yet
    OPEN = "open"          # someone works on it
    PENDING = "pending"    # waiting for the customer until `pending_until`, then a reminder to the owner
    SOLVED = "solved"      # answered; closes by itself after the configured days unless the customer replies
    CLOSED = "closed"      # final: a customer reply opens a follow-up ticket instead
    MERGED = "merged"      # final: a duplicate, its history moved to the ticket named in `merged_into_id`


class TicketTrigger(StrEnum):
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    SET_PENDING = "set_pending"
    REMINDER_DUE = "reminder_due"
    SOLVED = "solved"
    REOPENED = "reopened"
    CUSTOMER_REPLIED = "customer_replied"
    AUTO_CLOSED = "auto_closed"
    MERGED = "merged"


ACTIVE = frozenset({TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.SOLVED})
FINAL = frozenset({TicketStatus.CLOSED, TicketStatus.MERGED})
# Due times are watched only here (Zammad ignores escalation in every other state); pending time does not count.
DUE_WATCHED = frozenset({TicketStatus.NEW, TicketStatus.OPEN})

S, T = TicketStatus, TicketTrigger
TICKET_TRANSITIONS: dict[tuple[TicketStatus, TicketTrigger], TicketStatus] = {
    (S.NEW, T.CLAIMED): S.OPEN,
    (S.OPEN, T.CLAIMED): S.OPEN,
    (S.PENDING, T.CLAIMED): S.PENDING,
    (S.NEW, T.ASSIGNED): S.OPEN,
    (S.OPEN, T.ASSIGNED): S.OPEN,
    (S.PENDING, T.ASSIGNED): S.PENDING,
    (S.NEW, T.ANSWERED): S.OPEN,
    (S.OPEN, T.ANSWERED): S.OPEN,
    (S.PENDING, T.ANSWERED): S.PENDING,
    (S.NEW, T.SET_PENDING): S.PENDING,
    (S.OPEN, T.SET_PENDING): S.PENDING,
    (S.PENDING, T.SET_PENDING): S.PENDING,     # a new reminder time
    (S.PENDING, T.REMINDER_DUE): S.OPEN,
    (S.NEW, T.SOLVED): S.SOLVED,
    (S.OPEN, T.SOLVED): S.SOLVED,
    (S.PENDING, T.SOLVED): S.SOLVED,
    (S.PENDING, T.REOPENED): S.OPEN,
    (S.SOLVED, T.REOPENED): S.OPEN,
    (S.NEW, T.CUSTOMER_REPLIED): S.NEW,
    (S.OPEN, T.CUSTOMER_REPLIED): S.OPEN,
    (S.PENDING, T.CUSTOMER_REPLIED): S.OPEN,
    (S.SOLVED, T.CUSTOMER_REPLIED): S.OPEN,
    (S.SOLVED, T.AUTO_CLOSED): S.CLOSED,
    (S.NEW, T.MERGED): S.MERGED,
    (S.OPEN, T.MERGED): S.MERGED,
    (S.PENDING, T.MERGED): S.MERGED,
    (S.SOLVED, T.MERGED): S.MERGED,
}
del S, T

STATUS_LABELS_DE = {
    TicketStatus.NEW: "neu", TicketStatus.OPEN: "offen", TicketStatus.PENDING: "wartet auf Kunde",
    TicketStatus.SOLVED: "gelöst", TicketStatus.CLOSED: "geschlossen", TicketStatus.MERGED: "zusammengeführt",
}
TRIGGER_LABELS_DE = {
    TicketTrigger.CLAIMED: "übernehmen", TicketTrigger.ASSIGNED: "zuweisen", TicketTrigger.ANSWERED: "antworten",
    TicketTrigger.SET_PENDING: "auf wartend setzen", TicketTrigger.REMINDER_DUE: "Erinnerung",
    TicketTrigger.SOLVED: "lösen", TicketTrigger.REOPENED: "wieder öffnen",
    TicketTrigger.CUSTOMER_REPLIED: "Kundenantwort", TicketTrigger.AUTO_CLOSED: "automatisch schließen",
    TicketTrigger.MERGED: "zusammenführen",
}


class InvalidTicketTransition(TransitionRefused):
    """A trigger the ticket table does not allow from the current status; the message is German for the console."""

    def explain(self) -> str:
        status = STATUS_LABELS_DE.get(self.current, self.current)   # type: ignore[call-overload]
        action = TRIGGER_LABELS_DE.get(self.trigger, self.trigger)  # type: ignore[call-overload]
        return f"Im Status „{status}“ ist „{action}“ nicht möglich."


TICKET_LIFECYCLE: Lifecycle[TicketStatus, TicketTrigger] = Lifecycle(
    TicketStatus, TicketTrigger, TICKET_TRANSITIONS, InvalidTicketTransition)
next_ticket_status = TICKET_LIFECYCLE.next_status
can_ticket_transition = TICKET_LIFECYCLE.allows
ticket_sources_of = TICKET_LIFECYCLE.sources_of   # conditional UPDATEs: WHERE status IN (its sources)
