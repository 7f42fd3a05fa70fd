"""A small week of support, written row by row, whose report figures are worked out by hand in the tests.

The week: Monday 10 to Sunday 16 March 2025 in Europe/Berlin (UTC+1). Default business hours: Mon–Fri 8–20,
Sat 9–16, Sun closed. Times below are UTC.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from handoff.store.tables import (
    agents, conversations, csat, csat_surveys, handoffs, messages, ticket_articles, tickets,
)

WEEK = {"kind": "week", "anchor": "2025-03-12"}
# When the report is read: the following Thursday (what is overdue, which SLA is still open, depends on it).
REPORT_TIME = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)
ALEX = "agent-alex"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=timezone.utc)


class Writer:
    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}

    def add(self, table: Any, **values: Any) -> None:
        self.rows.setdefault(table, []).append(values)

    def conversation(self, name: str, channel: str, created_at: datetime, status: str = "resolved") -> str:
        self.add(conversations, id=name, token_hash="x" * 64, channel=channel, external_id=None, status=status,
                 assignee_id=None, priority=0, created_at=created_at, updated_at=created_at, last_seq=0,
                 customer_email=None, locale="de")
        return name

    def message(self, conversation_id: str, sender_type: str, at: datetime, *, intent: str | None = None,
                confidence: float | None = None, tone: str | None = None, to_bot: bool = True,
                private: bool = False) -> None:
        seq = sum(1 for row in self.rows.get(messages, []) if row["conversation_id"] == conversation_id) + 1
        message_type = {"customer": "incoming", "system": "activity"}.get(sender_type, "outgoing")
        customer_to_bot = sender_type == "customer" and to_bot
        self.add(messages, id=str(uuid.uuid4()), conversation_id=conversation_id, seq=seq, client_id=None,
                 message_type=message_type, sender_type=sender_type, sender_id=None, private=private, text="…",
                 payload=None, intent=intent, confidence=confidence, tone_score=None, tone_label=tone,
                 created_at=at, routing_started_at=at if customer_to_bot else None,
                 routed_at=at if sender_type == "customer" else None)

    def handoff(self, conversation_id: str, requested_at: datetime, reasons: list[str], *,
                claimed_at: datetime | None = None, ended_at: datetime | None = None,
                outcome: str | None = None) -> None:
        self.add(handoffs, id=str(uuid.uuid4()), conversation_id=conversation_id, requested_at=requested_at,
                 reasons=[{"code": code, "value": 1.0, "detail": ""} for code in reasons], summary={},
                 rolling_tone=None, claimed_by=None, claimed_at=claimed_at, ended_at=ended_at, outcome=outcome)

    def agent(self, agent_id: str, name: str) -> None:
        self.add(agents, id=agent_id, email=f"{agent_id}@nordwind.test", display_name=name, password_hash="unused",
                 role="agent", active=True, capacity=3, failed_logins=0, locked_until=None, created_at=utc(1, 8))

    def ticket(self, conversation_id: str | None, kind: str, created_at: datetime, *, status: str = "open",
               owner: str | None = None, first_due: datetime | None = None, first_done: datetime | None = None,
               solution_due: datetime | None = None, solved_at: datetime | None = None,
               channel: str = "widget", emails: tuple[datetime, ...] = ()) -> None:
        number = len(self.rows.get(tickets, [])) + 1
        values = dict(id=str(uuid.uuid4()), conversation_id=conversation_id, kind=kind, email=None, note=None,
                      category=None, status=status, created_at=created_at, updated_at=created_at,
                      number=number, channel=channel, owner_id=owner, first_response_due_at=first_due,
                      first_response_at=first_done, solution_due_at=solution_due, solved_at=solved_at)
        # Only the columns the ticket schema has.
        self.add(tickets, **{key: value for key, value in values.items() if key in tickets.c})
        for seq, at in enumerate(emails, start=1):   # the customer's e-mails on this ticket
            self.add(ticket_articles, id=str(uuid.uuid4()), ticket_id=values["id"], seq=seq, kind="customer",
                     channel="email", sender_type="customer", author_id=None, author_name=None, text="…", meta=None,
                     created_at=at)

    def survey(self, conversation_id: str, sent_at: datetime, rating: int | None = None,
               rated_at: datetime | None = None) -> None:
        self.add(csat_surveys, conversation_id=conversation_id, sent_at=sent_at)
        if rating is not None:
            self.add(csat, conversation_id=conversation_id, rating=rating, comment=None,
                     created_at=rated_at or sent_at)

    async def write(self, engine: AsyncEngine) -> None:
        async with engine.begin() as conn:
            for table in (agents, conversations, messages, handoffs, tickets, ticket_articles, csat_surveys, csat):
                if self.rows.get(table):
                    await conn.execute(table.insert(), self.rows[table])


def the_week() -> Writer:
    w = Writer()
    # c1: Monday 00:30 local (Sunday 23:30 UTC) is inside the week. One question, answered by the bot: contained.
    w.conversation("c1", "widget", utc(9, 23, 30))
    w.message("c1", "customer", utc(9, 23, 30), intent="order_status", confidence=0.9, tone="calm")
    w.message("c1", "bot", utc(9, 23, 31))
    # c2: two questions, the bot answers both (one barely understood): contained.
    w.conversation("c2", "widget", utc(10, 8))
    w.message("c2", "customer", utc(10, 8), intent="order_status", confidence=0.5, tone="frustrated")
    w.message("c2", "bot", utc(10, 8, 1))
    w.message("c2", "customer", utc(10, 8, 2), intent="returns", confidence=0.95, tone="calm")
    w.message("c2", "bot", utc(10, 8, 3))
    # c3 (REST): handed off Wednesday 10:00 local, claimed after 3 min, first reply after 5, resolved after 20.
    w.conversation("c3", "rest", utc(12, 8, 58))
    w.message("c3", "customer", utc(12, 8, 59), intent="nlu_fallback", confidence=0.3, tone="frustrated")
    w.handoff("c3", utc(12, 9), ["customer_request"], claimed_at=utc(12, 9, 3), ended_at=utc(12, 9, 20),
              outcome="resolved")
    w.message("c3", "agent", utc(12, 9, 5))
    w.message("c3", "agent", utc(12, 9, 6), private=True)            # a note is not a response
    w.message("c3", "customer", utc(12, 9, 7), intent="greet", confidence=0.99, tone="calm", to_bot=False)
    w.survey("c3", utc(12, 9, 20), rating=5)
    # c4 (socket.io): handed off Friday 19:50 local, 10 minutes before closing; claimed Saturday 09:20 local,
    # first reply 09:30, handed back to the bot at 10:00.
    w.conversation("c4", "socketio", utc(14, 18, 45))
    w.message("c4", "customer", utc(14, 18, 49), intent="order_status", confidence=0.8, tone="abusive")
    w.handoff("c4", utc(14, 18, 50), ["tone", "fallbacks"], claimed_at=utc(15, 8, 20), ended_at=utc(15, 9),
              outcome="handed_back")
    w.message("c4", "agent", utc(15, 8, 30))
    w.survey("c4", utc(15, 9), rating=2)
    # c5: handed off on Sunday (closed): an after-hours ticket at once.
    w.conversation("c5", "widget", utc(16, 10, 59), status="ticket")
    w.message("c5", "customer", utc(16, 10, 59), intent="returns", confidence=0.7, tone="calm")
    w.handoff("c5", utc(16, 11), ["customer_request"], ended_at=utc(16, 11), outcome="ticket")
    # Its ticket: answered and solved on Sunday evening, both before their due times: SLA met.
    w.ticket("c5", "follow_up", utc(16, 11, 2), status="solved", owner=ALEX, first_due=utc(17, 11),
             first_done=utc(16, 19), solution_due=utc(18, 11), solved_at=utc(16, 20))
    # c6: handed off Thursday, nobody took it, the customer gave up after 30 minutes: an abandoned wait.
    w.conversation("c6", "widget", utc(13, 9, 58))
    w.message("c6", "customer", utc(13, 9, 59), intent="complaint", confidence=0.9, tone="frustrated")
    w.handoff("c6", utc(13, 10), ["tone"], ended_at=utc(13, 10, 30), outcome="resolved")
    w.survey("c6", utc(13, 10, 30))
    # c7: the widget was opened, nothing written: it could never have been handed off.
    w.conversation("c7", "widget", utc(11, 12), status="bot")
    # c8: an e-mail straight to people: the bot never saw it.
    w.conversation("c8", "email", utc(11, 13))
    w.message("c8", "customer", utc(11, 13), to_bot=False)
    w.message("c8", "agent", utc(11, 14))
    # c9: the bot took a problem report as a ticket: a person follows up, so not contained.
    w.conversation("c9", "widget", utc(11, 15))
    w.message("c9", "customer", utc(11, 15), intent="complaint", confidence=0.95, tone="calm")
    w.message("c9", "bot", utc(11, 15, 1))
    # Its ticket: first answer after the due time (missed), still open and past its solution due time: overdue.
    w.ticket("c9", "problem_report", utc(11, 15, 1), first_due=utc(11, 18, 1), first_done=utc(12, 8, 30),
             solution_due=utc(12, 15, 1))
    w.survey("c9", utc(11, 16), rating=4, rated_at=utc(11, 16, 5))
    # Tickets without a conversation (e-mail): t3 answered in time but solved late (missed); t4 answered in time,
    # waiting for the customer, its solution due only on the 25th (not decided yet, not overdue).
    w.agent(ALEX, "Alex Agent")
    # Both came by e-mail: t3 with one customer mail, t4 with two (the second on the 17th, the next week).
    w.ticket(None, "email", utc(12, 10), status="solved", owner=ALEX, first_due=utc(12, 14), first_done=utc(12, 11),
             solution_due=utc(13, 10), solved_at=utc(13, 12), channel="email", emails=(utc(12, 10),))
    w.ticket(None, "email", utc(14, 10), status="pending", owner=ALEX, first_due=utc(14, 14), first_done=utc(14, 13),
             solution_due=utc(25, 10), channel="email", emails=(utc(14, 10), utc(17, 9)))
    # t5: created the week before, solved in this one: counts as solved, not as created.
    w.ticket(None, "complaint", utc(5, 9), status="closed", first_due=utc(5, 13), first_done=utc(5, 10),
             solution_due=utc(6, 9), solved_at=utc(10, 9))
    # c10: Monday 00:30 local of the NEXT week: outside.
    w.conversation("c10", "widget", utc(16, 23, 30))
    w.message("c10", "customer", utc(16, 23, 30), intent="order_status", confidence=0.9, tone="calm")
    # c0: the week before: one conversation, handed off, rated 1.
    w.conversation("c0", "widget", utc(5, 10))
    w.message("c0", "customer", utc(5, 10), intent="order_status", confidence=0.9, tone="calm")
    w.handoff("c0", utc(5, 10, 1), ["customer_request"], claimed_at=utc(5, 10, 2), ended_at=utc(5, 10, 10),
              outcome="resolved")
    w.message("c0", "agent", utc(5, 10, 4))
    w.survey("c0", utc(5, 10, 10), rating=1)
    return w
