"""`create_app(settings)`: the one Sanic app serving the widget, the Rasa channels, the console and the admin API."""
from __future__ import annotations

import itertools
import logging

from sanic import Sanic

from handoff.engine.contract import BotEngine
from handoff.logs import install_request_context
from handoff.services.context import ServiceConfig, ServiceContext
from handoff.settings import Settings
from handoff.web import admin, agent, health, rest_channel, sanic_compat, socketio_channel, static, trainer, widget
from handoff.web import metrics as metrics_web, reports as reports_web
from handoff.web import goodwill as goodwill_web, incidents as incidents_web
from handoff.web import tickets as tickets_web
from handoff.web import mail as mail_web
from handoff.web.context import AppContext, BotEngineFactory
from handoff.web.errors import JsonErrorHandler
from handoff.web.openapi import openapi_blueprint
from handoff.web.security import MessageLimits, install_security
from handoff.web.upgrade import install_handshake_check

logger = logging.getLogger(__name__)

APP_NAME_PREFIX = "nordwind_handoff"
# Customer and agent bodies are short texts; admin bodies are small lists. Anything bigger is a mistake or abuse.
REQUEST_MAX_BYTES = 256 * 1024
# Above the longest allowed message (with JSON escaping) so that too-long texts get an error frame, not a drop.
WEBSOCKET_MAX_BYTES = 64 * 1024
SHUTDOWN_DRAIN_SECONDS = 5.0

_app_numbers = itertools.count(1)


async def load_rasa_bot_engine(settings: Settings) -> BotEngine:
    """The Rasa bot in its own process (handoff/engine/process.py); this process never imports Rasa."""
    from handoff.engine.process import start_bot_process
    from handoff.engine.settings import engine_settings

    return await start_bot_process(engine_settings(settings))


def service_config(settings: Settings) -> ServiceConfig:
    from datetime import timedelta

    from handoff.services.bot_routing import stale_after_for

    return ServiceConfig(max_message_length=settings.max_message_chars,
                         session_lifetime=timedelta(hours=settings.session_hours),
                         redact_transcripts=settings.redact_transcripts,
                         # A claim on a message outlives the bot's own timeout before another caller may retry it.
                         routing_stale_after=stale_after_for(settings.bot_timeout_seconds),
                         mail=settings.mail)


def create_app(settings: Settings, bot_engine_factory: BotEngineFactory | None = None) -> Sanic:
    sanic_compat.install()
    context = AppContext(
        settings=settings,
        bot_engine_factory=bot_engine_factory or load_rasa_bot_engine,
        limits=MessageLimits(settings.rate_limit_per_minute),
    )
    # Unique names and no global registry: tests run several apps in one process.
    app = Sanic(f"{APP_NAME_PREFIX}_{next(_app_numbers)}", ctx=context, error_handler=JsonErrorHandler(),
                register=False, env_prefix="NORDWIND_SANIC_")
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.WEBSOCKET_MAX_SIZE = WEBSOCKET_MAX_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.ACCESS_LOG = settings.access_log

    install_request_context(app)

    install_security(app)
    install_handshake_check(app)
    for blueprint in (
        health.blueprint(), widget.blueprint(), rest_channel.blueprint(), agent.blueprint(),
        admin.blueprint(), trainer.blueprint(), reports_web.blueprint(), reports_web.page_blueprint(),
        incidents_web.blueprint(), goodwill_web.blueprint(), tickets_web.blueprint(),
        metrics_web.blueprint(), mail_web.blueprint(), openapi_blueprint(), static.blueprint(),
    ):
        app.blueprint(blueprint)
    socketio_channel.attach(app)

    app.register_listener(_open_resources, "before_server_start")
    app.register_listener(_start_jobs, "after_server_start")
    app.register_listener(_stop_jobs, "before_server_stop")
    app.register_listener(_close_resources, "after_server_stop")
    return app


async def _open_resources(app: Sanic, _loop: object) -> None:
    from handoff.bus.factory import create_bus, create_presence
    from handoff.store.database import create_engine

    context: AppContext = app.ctx
    settings = context.settings
    context.db = create_engine(settings.database_url)
    context.bus = create_bus(settings.redis_url, namespace=settings.redis_namespace)
    context.presence = create_presence(settings.redis_url, namespace=settings.redis_namespace)
    context.bot = await context.bot_engine_factory(settings)
    context.services = ServiceContext(db=context.db, bus=context.bus, presence=context.presence,
                                      bot=context.bot, config=service_config(settings))
    logger.info("handoff app ready: database %s, bus %s", context.db.url.get_backend_name(),
                "redis" if settings.redis_url else "in-process")


async def _start_jobs(app: Sanic, _loop: object) -> None:
    from handoff.jobs import Jobs

    app.ctx.jobs = await Jobs.start(app.ctx)


async def _stop_jobs(app: Sanic, _loop: object) -> None:
    context: AppContext = app.ctx
    if context.jobs is not None:
        await context.jobs.stop(context)
        context.jobs = None


async def _close_resources(app: Sanic, _loop: object) -> None:
    context: AppContext = app.ctx
    await context.drain(SHUTDOWN_DRAIN_SECONDS)
    for resource in (context.bot, context.bus, context.presence):
        if resource is not None:
            try:
                await resource.close()
            except Exception:
                logger.exception("closing %s failed", type(resource).__name__)
    if context.db is not None:
        await context.db.dispose()
    context.services = None
