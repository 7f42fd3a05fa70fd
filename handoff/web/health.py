"""`/health` (the process answers) and `/ready` (it can do its job: database reachable, bot model loaded)."""
from __future__ import annotations

import logging

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy import text

from handoff.engine import contract
from handoff.web.context import app_context
from handoff.web.openapi import BOOLEAN, STRING, Operation, obj

logger = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_UNAVAILABLE = "unavailable"
READY_SCHEMA = obj(("status", "database", "model"), status=STRING, database=BOOLEAN, model=BOOLEAN,
                   failures={"type": "object", "additionalProperties": {"type": "integer"}})


def bot_model_loaded(bot: object | None) -> bool:
    # Without a model (or while the bot process restarts) the bot still answers honestly (a person or a ticket),
    # but the instance is not ready.
    return contract.model_loaded(bot)


async def database_reachable(request: Request) -> bool:
    engine = app_context(request).db
    if engine is None:
        return False
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception as error:
        logger.warning("readiness: database unreachable: %s", error)
        return False


def blueprint() -> Blueprint:
    bp = Blueprint("health")

    @bp.get("/health", ctx_api=Operation("Liveness: the process answers", "meta",
                                         {200: obj(("status",), status=STRING)}))
    async def health(request: Request) -> HTTPResponse:
        return json({"status": STATUS_OK})

    @bp.get("/ready", ctx_api=Operation("Readiness: database reachable and bot model loaded", "meta",
                                        {200: READY_SCHEMA, 503: READY_SCHEMA}))
    async def ready(request: Request) -> HTTPResponse:
        database = await database_reachable(request)
        model = bot_model_loaded(app_context(request).bot)
        ok = database and model
        services = app_context(request).services
        failures = dict(services.failures) if services is not None else {}
        return json({"status": STATUS_OK if ok else STATUS_UNAVAILABLE, "database": database, "model": model,
                     "failures": failures}, status=200 if ok else 503)

    return bp
