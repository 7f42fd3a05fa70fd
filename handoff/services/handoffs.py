"""Handing a conversation from the bot to people: request, queue, position and honest wait."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain import summary as handoff_summary
from handoff.domain.events import HandoffRequested
from handoff.domain.states import Status, Trigger
from handoff.domain.waiting import estimate_wait_minutes, handling_minutes, position_phrase, wait_phrase
from handoff.services import tickets
from handoff.services.business_hours import load_business_hours
from handoff.services.context import ServiceContext
from handoff.services.mapping import ACTIVITY, SYSTEM, append_message, new_id
from handoff.services.transitions import apply, load
from handoff.services.unit_of_work import UnitOfWork, reading, unit_of_work
from handoff.services.views import QueueItem
from handoff.store import conversations, handoffs, messages

OUTCOME_TICKET = "ticket"
TICKET_FORM_OFFER = "ticket_form"
ALREADY_WITH_PEOPLE = (Status.QUEUED.value, Status.AGENT.value)

QUEUED_TEXT = "Ich habe Ihr Anliegen an unser Team übergeben; die Kollegin oder der Kollege sieht unser bisheriges Gespräch. {position} {wait}"
CLOSED_TEXT = ("Unser Team ist gerade nicht erreichbar – wir sind {opening} wieder für Sie da. Hinterlassen Sie uns gern "
               "Ihre E-Mail-Adresse und Ihr Anliegen, dann melden wir uns. Ich helfe Ihnen bis dahin auch gern weiter.")
NOBODY_FREE_TEXT = ("Gerade ist leider niemand aus unserem Team erreichbar. Hinterlassen Sie uns gern Ihre E-Mail-Adresse "
                    "und Ihr Anliegen, dann melden wir uns so bald wie möglich. Ich helfe Ihnen bis dahin auch gern weiter.")
# Asked again while the earlier request still waits as a ticket: the customer has read the long text once already.
STILL_CLOSED_TEXT = "Auch das habe ich für unser Team festgehalten. Wir sind {opening} wieder für Sie da."
STILL_NOBODY_FREE_TEXT = "Auch das habe ich für unser Team festgehalten. Gerade ist leider noch niemand frei."
EMAIL_MISSING_TEXT = " Mit Ihrer E-Mail-Adresse können wir uns dann bei Ihnen melden."
EMAIL_KNOWN_TEXT = " Wir melden uns unter der E-Mail-Adresse, die Sie uns gegeben haben."


async def _wait_minutes(ctx: ServiceContext, conn: AsyncConnection, position: int, online: int) -> int | None:
    minutes = handling_minutes(await handoffs.recent_handling_seconds(conn),
                               ctx.config.default_handling_minutes)
    return estimate_wait_minutes(position, online, minutes)


async def request_handoff_in(
    uow: UnitOfWork, ctx: ServiceContext, conversation: Mapping[str, Any],
    reasons: list[dict[str, Any]], summary: dict[str, Any],
) -> str:
    """The handoff inside an open unit of work (also used when the bot's reply asks for it)."""
    if conversation["status"] in ALREADY_WITH_PEOPLE:
        return conversation["status"]
    now = ctx.now()
    reasons = handoff_summary.normalise_reasons(reasons)
    summary = handoff_summary.normalise_summary(summary)
    priority = handoff_summary.priority_for(reasons)
    hours = await load_business_hours(uow.conn)
    online = await ctx.presence.online_agents()
    ahead = [row for row in await conversations.queued(uow.conn) if row["priority"] >= priority]
    position = len(ahead) + 1
    open_now = hours.is_open(now)
    wait = await _wait_minutes(ctx, uow.conn, position, len(online)) if open_now and online else None

    handoff_id = new_id()
    await handoffs.insert_handoff(uow.conn, {
        "id": handoff_id, "conversation_id": conversation["id"], "requested_at": now, "reasons": reasons,
        "summary": summary, "rolling_tone": handoff_summary.rolling_tone(summary),
    })
    uow.record(HandoffRequested(conversation["id"], handoff_id=handoff_id, reasons=tuple(reasons)))
    await apply(uow, conversation, Trigger.HANDOFF_REQUESTED, now, waiting_since=now, priority=priority,
                assignee_id=None, queue_position=position, wait_minutes=wait)

    if open_now and online:
        text = QUEUED_TEXT.format(position=position_phrase(position), wait=wait_phrase(wait))
        await append_message(uow, now, conversation["id"], message_type=ACTIVITY, sender_type=SYSTEM, text=text)
        return Status.QUEUED.value

    queued_row = await load(uow, conversation["id"])
    await apply(uow, queued_row, Trigger.NO_AGENT_AVAILABLE, now, waiting_since=None)
    await handoffs.update_open_handoff(uow.conn, conversation["id"], ended_at=now, outcome=OUTCOME_TICKET)
    # The promise ("wir melden uns") gets an owner at once: a ticket in the inbox, with due times (tickets.py).
    await tickets.ticket_for_handoff_in(uow, ctx, conversation, reasons, summary)
    text, payload = _unavailable_text(conversation, hours.opening_phrase(now), open_now)
    await append_message(uow, now, conversation["id"], message_type=ACTIVITY, sender_type=SYSTEM, text=text,
                         payload=payload)
    return Status.TICKET.value


def _unavailable_text(conversation: Mapping[str, Any], opening: str | None, open_now: bool,
                      ) -> tuple[str, dict[str, Any] | None]:
    """What the customer reads when nobody can take over now; shorter when they already read it in this ticket.
    Without any opening hours there is no time to promise ("wir sind derzeit nicht wieder für Sie da" was said)."""
    open_now = open_now or opening is None
    if conversation["status"] != Status.TICKET.value:
        return (NOBODY_FREE_TEXT if open_now else CLOSED_TEXT.format(opening=opening)), {"offer": TICKET_FORM_OFFER}
    text = STILL_NOBODY_FREE_TEXT if open_now else STILL_CLOSED_TEXT.format(opening=opening)
    if conversation.get("customer_email"):
        return text + EMAIL_KNOWN_TEXT, None
    return text + EMAIL_MISSING_TEXT, {"offer": TICKET_FORM_OFFER}


async def request_handoff(
    ctx: ServiceContext, conversation_id: str, reasons: list[dict[str, Any]], summary: dict[str, Any]
) -> str:
    """bot/ticket → queued, or on to ticket when closed / nobody online. Returns the new status."""
    async with unit_of_work(ctx) as uow:
        conversation = await load(uow, conversation_id)
        return await request_handoff_in(uow, ctx, conversation, reasons, summary)


def _waiting_seconds(now: datetime, since: datetime | None) -> int:
    return max(0, int((now - since).total_seconds())) if since else 0


async def queue(ctx: ServiceContext) -> list[QueueItem]:
    now = ctx.now()
    async with reading(ctx) as conn:
        rows = await conversations.queued(conn)
        ids = [row["id"] for row in rows]
        latest = await handoffs.latest_handoffs(conn, ids)
        first_messages = await messages.first_customer_messages(conn, ids)
    items = []
    for position, row in enumerate(rows, start=1):
        handoff = latest.get(row["id"])
        items.append(QueueItem(
            conversation_id=row["id"], channel=row["channel"], priority=row["priority"],
            waiting_since=row["waiting_since"], waiting_seconds=_waiting_seconds(now, row["waiting_since"]),
            reasons=list(handoff["reasons"]) if handoff else [],
            rolling_tone=handoff["rolling_tone"] if handoff else None,
            summary=dict(handoff["summary"]) if handoff else {},
            first_customer_message=first_messages.get(row["id"]), position=position,
        ))
    return items


async def queue_position(ctx: ServiceContext, conversation_id: str) -> tuple[int | None, int | None]:
    """(1-based position, honest wait in minutes) while queued, else (None, None)."""
    online = await ctx.presence.online_agents()
    async with reading(ctx) as conn:
        ids = [row["id"] for row in await conversations.queued(conn)]
        if conversation_id not in ids:
            return None, None
        position = ids.index(conversation_id) + 1
        return position, await _wait_minutes(ctx, conn, position, len(online))
