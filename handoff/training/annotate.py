"""Annotating an inbox message: confirm or correct its intent, keep it as a tone example, or dismiss it.

The text is redacted here, once, before it is stored: annotations are what becomes training data.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Collection

from sqlalchemy.ext.asyncio import AsyncConnection

from handoff.domain.redaction import redact
from handoff.domain.vocabulary import CUSTOMER
from handoff.store import annotations as store, messages

CONFIRM, CORRECT, TONE_EXAMPLE, DISMISS = "confirm", "correct", "tone", "dismiss"
ACTIONS = (CONFIRM, CORRECT, TONE_EXAMPLE, DISMISS)
INTENT_ACTIONS = (CONFIRM, CORRECT)
TONE_LABELS = ("calm", "frustrated", "abusive")
FALLBACK_INTENT = "nlu_fallback"


class AnnotationError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class AlreadyAnnotated(Exception):
    pass


class MessageNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Annotator:
    id: str | None
    name: str


def _intent_for(action: str, message: Any, intent: str | None, known_intents: Collection[str]) -> str | None:
    if action == CONFIRM:
        intent = message["intent"]
        if not intent or intent == FALLBACK_INTENT:
            raise AnnotationError("intent", "Nichts zu bestätigen: der Bot hat die Nachricht nicht erkannt.")
    elif action == CORRECT:
        if not intent:
            raise AnnotationError("intent", "Bitte den richtigen Intent wählen.")
    else:
        return None
    if intent not in known_intents:
        raise AnnotationError("intent", f"Unbekannter Intent: {intent}")
    return intent


def _tone_for(action: str, tone_label: str | None) -> str | None:
    if action != TONE_EXAMPLE:
        return None
    if tone_label not in TONE_LABELS:
        raise AnnotationError("tone_label", f"Tonlage muss eine von {', '.join(TONE_LABELS)} sein.")
    return tone_label


async def annotate(conn: AsyncConnection, message_id: str, action: str, annotator: Annotator, now: datetime,
                   known_intents: Collection[str], intent: str | None = None,
                   tone_label: str | None = None) -> dict[str, Any]:
    if action not in ACTIONS:
        raise AnnotationError("action", f"Aktion muss eine von {', '.join(ACTIONS)} sein.")
    message = await messages.get_message(conn, message_id)
    if message is None or message["sender_type"] != CUSTOMER or not message["text"]:
        raise MessageNotFound(message_id)
    if await store.is_annotated(conn, message_id):
        raise AlreadyAnnotated(message_id)
    values = {
        "id": str(uuid.uuid4()), "message_id": message_id, "conversation_id": message["conversation_id"],
        "action": action, "intent": _intent_for(action, message, intent, known_intents),
        "tone_label": _tone_for(action, tone_label),
        "text": None if action == DISMISS else redact(message["text"]),
        "annotated_by": annotator.id, "annotator_name": annotator.name, "annotated_at": now,
    }
    await store.insert_annotation(conn, values)
    return {**values, "annotated_at": now.isoformat()}


async def pending_exports(conn: AsyncConnection) -> list[Any]:
    """Annotations that carry training data and were not exported yet, oldest first."""
    return list(await store.not_exported(conn, except_action=DISMISS))
