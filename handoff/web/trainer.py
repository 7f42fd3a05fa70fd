"""Trainer API under `/api/trainer` (role trainer or admin) and the trainer page at `/trainer`.

Review inbox, annotate, export (into data/ or as a patch), retrain + evaluate in the background with progress,
the model registry, promote (hot swap; overriding the gate needs role admin) and rollback.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from sanic import Blueprint
from sanic.blueprint_group import BlueprintGroup
from sanic.request import Request
from sanic.response import HTTPResponse, file, json

from handoff.training.annotate import ACTIONS, TONE_LABELS, AlreadyAnnotated, AnnotationError, Annotator, \
    MessageNotFound
from handoff.training.inbox import REASONS, InboxFilter
from handoff.training.promotion import Actor, PromotionRefused, UnknownModel
from handoff.training.retrain import TrainingBusy
from handoff.training.runtime import Trainer
from handoff.web.agent_auth import ADMIN_ROLES, ROLE_ADMIN, ROLE_TRAINER, authenticate
from handoff.web.context import app_context
from handoff.web.errors import ApiError, CONFLICT, forbidden, invalid, not_found
from handoff.web.inputs import json_object, optional_text, required_text
from handoff.web.openapi import AGENT_BEARER, AGENT_SESSION, ANY_OBJECT, STRING, Operation, obj

logger = logging.getLogger(__name__)

TAG = "trainer"
AUTH = (AGENT_SESSION, AGENT_BEARER)
# 503: the trainer area is still starting (trainer_of).
ERRORS = (400, 401, 403, 404, 409, 422, 503)
TRAINER_ROLES = frozenset({ROLE_TRAINER, ROLE_ADMIN})
PAGE = Path(__file__).resolve().parent.parent / "static" / "trainer" / "index.html"
HTML_TYPE = "text/html; charset=utf-8"
ID_CHARS, ACTION_CHARS, LABEL_CHARS, NAME_CHARS, REASON_CHARS = 64, 16, 16, 128, 1000
MAX_INBOX = 500
EXPORT_MODES = ("write", "patch")


# A group is at most what the inbox scans (handoff/store/inbox.py SCAN_LIMIT).
MAX_GROUP = 2000
GROUP_ANNOTATION_REQUEST = obj(("message_ids", "action"), message_ids={"type": "array", "items": STRING},
                               action={"type": "string", "enum": list(ACTIONS)}, intent=STRING, tone_label=STRING)
ANNOTATION_REQUEST = obj(("message_id", "action"), message_id=STRING, action={"type": "string", "enum": list(ACTIONS)},
                         intent=STRING, tone_label={"type": "string", "enum": list(TONE_LABELS)})


def _operation(summary: str, status: int = 200, request: dict | None = None) -> Operation:
    return Operation(summary, TAG, {status: ANY_OBJECT}, request=request, security=AUTH, errors=ERRORS)


def trainer_of(request: Request) -> Trainer:
    trainer = getattr(app_context(request), "trainer", None)
    if trainer is None:
        raise ApiError(503, "unavailable", "Der Trainer-Bereich startet noch.")
    return trainer


def conflict(message: str, reasons: list[str] | None = None) -> HTTPResponse:
    return json({"error": {"code": CONFLICT, "message": message, "reasons": reasons or []}}, status=409)


def _date(request: Request, name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid(name, "Datum im Format JJJJ-MM-TT erwartet.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _inbox_filter(request: Request) -> InboxFilter:
    reason = request.args.get("reason") or None
    if reason is not None and reason not in REASONS:
        raise invalid("reason", f"Einer von {', '.join(REASONS)} erwartet.")
    try:
        limit = min(int(request.args.get("limit", 100)), MAX_INBOX)
    except ValueError:
        raise invalid("limit", "Ganze Zahl erwartet.") from None
    return InboxFilter(_date(request, "since"), _date(request, "until"), request.args.get("intent") or None,
                       reason, limit)


def blueprint() -> BlueprintGroup:
    """The API and the page, registered together with one `app.blueprint(trainer.blueprint())`."""
    return Blueprint.group(api_blueprint(), page_blueprint())


def api_blueprint() -> Blueprint:
    bp = Blueprint("trainer", url_prefix="/api/trainer")

    @bp.get("/inbox", ctx_api=_operation("Customer messages worth a look, ranked"))
    async def inbox(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        filters = _inbox_filter(request)
        trainer = trainer_of(request)
        # items: one by one, best first; groups: identical and near-identical wordings, most frequent first.
        return json({"items": await trainer.inbox(filters), "groups": await trainer.inbox_groups(filters),
                     "reasons": list(REASONS)})

    @bp.post("/annotations/group", ctx_api=_operation("One annotation for every message of an inbox group", 201,
                                                      GROUP_ANNOTATION_REQUEST))
    async def annotate_group(request: Request) -> HTTPResponse:
        caller = await authenticate(request, TRAINER_ROLES)
        body = json_object(request)
        message_ids = body.get("message_ids")
        if (not isinstance(message_ids, list) or not 1 <= len(message_ids) <= MAX_GROUP
                or not all(isinstance(i, str) and 0 < len(i) <= ID_CHARS for i in message_ids)):
            raise invalid("message_ids", f"Liste von 1 bis {MAX_GROUP} Nachrichten-IDs erwartet.")
        annotator = Annotator(caller.agent.id, caller.agent.display_name)
        try:
            result = await trainer_of(request).annotate_group(
                message_ids, required_text(body, "action", ACTION_CHARS), annotator,
                intent=optional_text(body, "intent", NAME_CHARS),
                tone_label=optional_text(body, "tone_label", LABEL_CHARS))
        except AnnotationError as error:
            raise invalid(error.field, str(error)) from None
        except MessageNotFound:
            raise not_found("Eine Nachricht der Gruppe gibt es nicht mehr.") from None
        return json(result, status=201)

    @bp.get("/intents", ctx_api=_operation("Intent names a message can be annotated with"))
    async def intents(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        return json({"intents": trainer_of(request).known_intents()})

    @bp.post("/annotations", ctx_api=_operation("Annotate a message (confirm, correct, tone, dismiss)", 201,
                                                        ANNOTATION_REQUEST))
    async def annotate(request: Request) -> HTTPResponse:
        caller = await authenticate(request, TRAINER_ROLES)
        body = json_object(request)
        annotator = Annotator(caller.agent.id, caller.agent.display_name)
        try:
            annotation = await trainer_of(request).annotate(
                required_text(body, "message_id", ID_CHARS), required_text(body, "action", ACTION_CHARS),
                annotator, intent=optional_text(body, "intent", NAME_CHARS),
                tone_label=optional_text(body, "tone_label", LABEL_CHARS))
        except AnnotationError as error:
            raise invalid(error.field, str(error)) from None
        except MessageNotFound:
            raise not_found("Nachricht nicht gefunden.") from None
        except AlreadyAnnotated:
            return conflict("Diese Nachricht ist schon annotiert.")
        return json({"annotation": annotation}, status=201)

    @bp.post("/export", ctx_api=_operation("Export annotations into data/ (write) or as a diff (patch)"))
    async def export(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        mode = (json_object(request).get("mode") if request.body else None) or "write"
        if mode not in EXPORT_MODES:
            raise invalid("mode", "write oder patch erwartet.")
        return json(await trainer_of(request).export(write=mode == "write"))

    @bp.post("/training", ctx_api=_operation("Retrain and evaluate a candidate in the background", 202))
    async def train(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        try:
            cycle = trainer_of(request).start_cycle()
        except TrainingBusy:
            return conflict("Es läuft bereits ein Training.")
        return json(cycle.to_dict(), status=202)

    @bp.get("/training", ctx_api=_operation("Progress of the current training and evaluation"))
    async def training_status(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        return json(trainer_of(request).cycle.to_dict())

    @bp.get("/models", ctx_api=_operation("The model registry"))
    async def models(request: Request) -> HTTPResponse:
        await authenticate(request, TRAINER_ROLES)
        return json({"models": await trainer_of(request).models()})

    @bp.post("/models/<model_id>/promote", ctx_api=_operation("Make a model live (gated; admin override)"))
    async def promote(request: Request, model_id: str) -> HTTPResponse:
        caller = await authenticate(request, TRAINER_ROLES)
        body = json_object(request) if request.body else {}
        reason = optional_text(body, "override_reason", REASON_CHARS)
        if reason is not None and caller.agent.role not in ADMIN_ROLES:
            raise forbidden("Nur Admins dürfen die Freigaberegeln übergehen.")
        try:
            result = await trainer_of(request).promote(
                model_id, Actor(caller.agent.display_name, caller.agent.role), reason)
        except UnknownModel:
            raise not_found("Modell nicht gefunden.") from None
        except PromotionRefused as error:
            return conflict("Freigabe verweigert.", error.reasons)
        return json(result)

    @bp.post("/rollback", ctx_api=_operation("Back to the previous live model"))
    async def rollback(request: Request) -> HTTPResponse:
        caller = await authenticate(request, TRAINER_ROLES)
        try:
            result = await trainer_of(request).rollback(Actor(caller.agent.display_name, caller.agent.role))
        except PromotionRefused as error:
            return conflict("Kein Rollback möglich.", error.reasons)
        return json(result)

    return bp


def page_blueprint() -> Blueprint:
    """`/trainer`: the trainer page; its scripts and styles come from the static blueprint (/trainer/...)."""
    bp = Blueprint("trainer_page")

    @bp.get("/trainer", ctx_api=Operation("Trainer page (HTML)", "ui", {200: None}, errors=(404,)))
    async def trainer_page(request: Request) -> HTTPResponse:
        if not PAGE.is_file():
            raise not_found()
        return await file(PAGE, mime_type=HTML_TYPE, headers={"Cache-Control": "no-cache"})

    return bp
