"""Administration: canned replies, business hours, export and deletion of one conversation."""
from __future__ import annotations

import logging
import re
from typing import Any, Mapping

from sqlalchemy.exc import IntegrityError

from handoff.domain.events import ConversationDeleted
from handoff.engine.contract import TrackerDeletion, capability
from handoff.services import goodwill, mail_privacy
from handoff.services.business_hours import get_business_hours, set_business_hours
from handoff.services.context import ServiceContext
from handoff.services.conversations import conversation_detail
from handoff.services.errors import Conflict, NotFound, ValidationError
from handoff.domain.vocabulary import MAX_CANNED_TEXT_CHARS, MAX_TITLE_CHARS
from handoff.services.mapping import new_id
from handoff.services.text_input import clean_text
from handoff.services.unit_of_work import reading, transaction, unit_of_work
from handoff.services.views import CannedReply
from handoff.store import accounts, conversations, report_facts

__all__ = [
    "list_canned_replies", "create_canned_reply", "update_canned_reply", "delete_canned_reply",
    "get_business_hours", "set_business_hours", "export_conversation", "delete_conversation",
    "erase_conversation",
]

logger = logging.getLogger(__name__)

SHORTCUT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")
MAX_TITLE_LENGTH = MAX_TITLE_CHARS
MAX_CANNED_TEXT = MAX_CANNED_TEXT_CHARS
EXPORT_FORMAT_VERSION = 1


def _canned(row: Mapping[str, Any]) -> CannedReply:
    return CannedReply(id=row["id"], shortcut=row["shortcut"], title=row["title"], text=row["text"])


def _shortcut(value: str) -> str:
    shortcut = (value or "").strip().lstrip("/").lower()
    if not SHORTCUT_PATTERN.match(shortcut):
        raise ValidationError("shortcut", "Kürzel: 2–32 Zeichen, Kleinbuchstaben, Ziffern, - oder _.")
    return shortcut


async def list_canned_replies(ctx: ServiceContext) -> list[CannedReply]:
    async with reading(ctx) as conn:
        return [_canned(row) for row in await accounts.list_canned(conn)]


async def create_canned_reply(ctx: ServiceContext, shortcut: str, title: str, text: str) -> CannedReply:
    values = {"id": new_id(), "shortcut": _shortcut(shortcut),
              "title": clean_text(title, MAX_TITLE_LENGTH, field="title"),
              "text": clean_text(text, MAX_CANNED_TEXT, field="text")}
    try:
        async with transaction(ctx) as conn:
            await accounts.insert_canned(conn, values)
    except IntegrityError:
        raise Conflict("Dieses Kürzel ist schon vergeben.") from None
    return _canned(values)


async def update_canned_reply(
    ctx: ServiceContext, reply_id: str, *, shortcut: str | None = None, title: str | None = None,
    text: str | None = None,
) -> CannedReply:
    changes: dict[str, Any] = {}
    if shortcut is not None:
        changes["shortcut"] = _shortcut(shortcut)
    if title is not None:
        changes["title"] = clean_text(title, MAX_TITLE_LENGTH, field="title")
    if text is not None:
        changes["text"] = clean_text(text, MAX_CANNED_TEXT, field="text")
    try:
        async with transaction(ctx) as conn:
            if await accounts.get_canned(conn, reply_id) is None:
                raise NotFound("Textbaustein nicht gefunden.")
            if changes:
                await accounts.update_canned(conn, reply_id, **changes)
            row = await accounts.get_canned(conn, reply_id)
    except IntegrityError:
        raise Conflict("Dieses Kürzel ist schon vergeben.") from None
    return _canned(row)


async def delete_canned_reply(ctx: ServiceContext, reply_id: str) -> None:
    async with transaction(ctx) as conn:
        if not await accounts.delete_canned(conn, reply_id):
            raise NotFound("Textbaustein nicht gefunden.")


async def export_conversation(ctx: ServiceContext, conversation_id: str) -> dict[str, Any]:
    """Everything stored about one conversation (data subject access request), incl. private notes."""
    detail = await conversation_detail(ctx, conversation_id)
    async with reading(ctx) as conn:   # goodwill granted in it or on its tickets (issue 14)
        grants = await goodwill.grants_for_export(conn, conversation_id)
    # the mails of its tickets, sent and received (issue 16)
    mail = await mail_privacy.export_conversation_mail(ctx, conversation_id)
    return {"format_version": EXPORT_FORMAT_VERSION, "exported_at": ctx.now().isoformat(), **detail,
            "goodwill": grants, "mail": mail}


async def delete_conversation(ctx: ServiceContext, conversation_id: str) -> None:
    """Deletes messages, handoffs, tickets, CSAT and the conversation; erase_conversation also the tracker."""
    async with unit_of_work(ctx) as uow:
        # Its report facts go with it; the days it counted in are counted again at the next refresh.
        await report_facts.forget_conversations(uow.conn, [conversation_id])
        if not await conversations.delete_conversation(uow.conn, conversation_id):
            raise NotFound("Gespräch nicht gefunden.")
        uow.record(ConversationDeleted(conversation_id))


async def erase_conversation(ctx: ServiceContext, conversation_id: str) -> bool:
    """Right to erasure and retention: the conversation with everything of it, then its Rasa tracker when the
    bot engine can delete one. True if the tracker went too; NotFound if there is no such conversation."""
    await delete_conversation(ctx, conversation_id)
    deleting = capability(ctx.bot, TrackerDeletion)
    if deleting is None:
        return False
    try:
        # The service talks to the bot with the conversation id as Rasa sender id.
        await deleting.delete_tracker(conversation_id)
        return True
    except Exception:   # the conversation is gone already; a tracker left behind is logged, not fatal
        logger.exception("deleting the Rasa tracker of %s failed", conversation_id)
        return False
