"""`python -m handoff serve | migrate | purge | create-agent | train | validate`: the one entry point of the service."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from typing import Sequence

from handoff.domain.vocabulary import ROLES
# Before SQLAlchemy is imported: Rasa's declarative models would otherwise print its 2.0 migration notice.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from handoff import logs  # noqa: E402 - after the environment above
from handoff.settings import Settings, SettingsError  # noqa: E402

NEW_AGENT_PASSWORD_VARIABLE = "NEW_AGENT_PASSWORD"

logger = logging.getLogger("handoff")


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m handoff", description="Nordwind support service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate, ensure an admin, load the bot, serve HTTP + WebSocket")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (needs REDIS_URL when > 1)")
    serve.add_argument("--host", help="overrides HOST")
    serve.add_argument("--port", type=int, help="overrides PORT")
    commands.add_parser("migrate", help="apply the database migrations")
    commands.add_parser("purge", help="delete conversations older than RETENTION_DAYS (the app also does it hourly)")
    create = commands.add_parser("create-agent", help=f"create an agent; password from ${NEW_AGENT_PASSWORD_VARIABLE} "
                                                      "or prompted")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=ROLES, default="agent")
    create.add_argument("--capacity", type=int, default=3)
    from handoff.rasa_cli import add_commands

    add_commands(commands)
    return parser.parse_args(argv)


def migrate(settings: Settings) -> None:
    from handoff.store.migrate import upgrade

    upgrade(settings.database_url)


async def _with_setup_context(settings: Settings, work):
    """A ServiceContext for set-up use cases (no bot needed: they never route a message)."""
    from handoff.bus.factory import create_bus, create_presence
    from handoff.engine.rasa.engine import UnavailableBotEngine
    from handoff.services.context import ServiceContext
    from handoff.store.database import create_engine
    from handoff.web.app import service_config

    engine = create_engine(settings.database_url)
    bus, presence = create_bus(None), create_presence(None)
    ctx = ServiceContext(db=engine, bus=bus, presence=presence,
                         bot=UnavailableBotEngine("set-up commands do not load the bot"),
                         config=service_config(settings))
    try:
        return await work(ctx)
    finally:
        await bus.close()
        await presence.close()
        await engine.dispose()


def ensure_admin(settings: Settings) -> str | None:
    """The generated password when the admin account was created just now (only its hash is stored)."""
    from handoff.services.auth import ensure_admin as ensure

    return asyncio.run(_with_setup_context(
        settings, lambda ctx: ensure(ctx, settings.admin_email, settings.admin_password)))


def banner(base: str, admin_email: str, new_password: str | None, password_from_environment: bool) -> str:
    """What `make run` ends with: where to go, how to log in, how to stop."""
    if new_password:
        login = f"{admin_email}  password: {new_password}  (shown only now: note it down)"
    elif password_from_environment:
        login = f"{admin_email}  password: as set in ADMIN_PASSWORD"
    else:
        login = f"{admin_email}  password: as shown on the first start (python -m handoff create-agent adds agents)"
    rule = "-" * 78
    return "\n".join((
        rule,
        "  Nordwind support assistant is running",
        f"  Demo shop with the chat widget: {base}/",
        f"  Agent console:                  {base}/console/",
        f"  Admin, trainer, reports pages:  {base}/console/admin.html, {base}/trainer, {base}/reports",
        f"  API description:                {base}/openapi.json",
        f"  Admin login:                    {login}",
        "  Stop with Ctrl+C.",
        rule,
    ))


def create_agent(settings: Settings, arguments: argparse.Namespace) -> int:
    from handoff.services.auth import create_agent as create
    from handoff.services.errors import ServiceError

    password = os.environ.get(NEW_AGENT_PASSWORD_VARIABLE) or getpass.getpass("Passwort: ")
    try:
        agent = asyncio.run(_with_setup_context(settings, lambda ctx: create(
            ctx, arguments.email, arguments.name, password, role=arguments.role, capacity=arguments.capacity)))
    except ServiceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"created {agent.role} {agent.email} ({agent.id})")
    return 0


def purge(settings: Settings) -> int:
    from handoff.services.retention import purge_expired

    result = asyncio.run(_with_setup_context(settings, lambda ctx: purge_expired(ctx, settings.retention_days)))
    print(f"deleted {result.deleted} conversations last updated before {result.cutoff.isoformat()}")
    return 0


def serve(settings: Settings, arguments: argparse.Namespace) -> int:
    # Before the app imports prometheus-client, which picks its value store once: several workers share one
    # metrics directory (handoff/metrics/multiprocess.py).
    from handoff.metrics.multiprocess import prepare

    prepare(os.environ, arguments.workers)
    from handoff.web.app import create_app

    host = arguments.host or settings.host
    port = arguments.port or settings.port
    if arguments.workers > 1 and not settings.redis_url:
        print("error: --workers > 1 needs REDIS_URL (the in-process bus does not reach other workers)",
              file=sys.stderr)
        return 2
    taken = port_taken(host, port)
    if taken:
        print(f"error: cannot listen on {host}:{port} ({taken}); another program (an earlier `make run`?) uses it: "
              f"stop it, or choose another port, e.g. PORT={5080 if port != 5080 else 5081} make run",
              file=sys.stderr)
        return 2
    migrate(settings)
    new_password = ensure_admin(settings)
    base = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
    configure_logging(settings)   # again: importing Sanic put its own warning filters first
    app = create_app(settings)
    configure_logging(settings)   # and again: Sanic configured its own loggers in create_app
    text = banner(base, settings.admin_email, new_password, settings.admin_password is not None)

    async def show_banner(_app: object, _loop: object) -> None:
        print(text, flush=True)

    # When the server accepts connections (the bot is loaded by then); once, in the main process, with workers.
    app.register_listener(show_banner, "after_server_start" if arguments.workers == 1 else "main_process_start")
    app.run(host=host, port=port, workers=arguments.workers, access_log=settings.access_log, motd=False)
    return 0


def port_taken(host: str, port: int) -> str | None:
    """Why the port cannot be used, before minutes of model loading end in Sanic's traceback (None: free)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.strerror or str(error)
    return None


def configure_logging(settings: Settings) -> None:
    logs.configure(settings.log_level, settings.log_format, verbose=logs.verbose_from(os.environ),
                   access_log=settings.access_log)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings)
    if arguments.command in ("train", "validate"):
        from handoff.rasa_cli import run

        return run(arguments, logs.verbose_from(os.environ))
    if arguments.command == "migrate":
        migrate(settings)
        print(f"database migrated: {settings.database_url.split('@')[-1]}")
        return 0
    if arguments.command == "purge":
        migrate(settings)
        return purge(settings)
    if arguments.command == "create-agent":
        migrate(settings)
        return create_agent(settings, arguments)
    return serve(settings, arguments)


if __name__ == "__main__":
    sys.exit(main())
