"""Runs the real app in its own process for the integration tests, with the in-memory FakeBotEngine.

`python -m tests.integration.handoff.web.server_main` reads the same environment as `python -m handoff serve`.
"""
from __future__ import annotations

import os

from handoff.settings import Settings
from handoff.__main__ import configure_logging, ensure_admin, migrate
from handoff.web.app import create_app
from tests.fakes import FakeBotEngine


async def fake_bot_engine(_settings: Settings) -> FakeBotEngine:
    return FakeBotEngine()


def main() -> None:
    settings = Settings.from_env(os.environ)
    configure_logging(settings)
    migrate(settings)
    ensure_admin(settings)
    app = create_app(settings, bot_engine_factory=fake_bot_engine)
    configure_logging(settings)   # as `serve` does: after Sanic's own logging set-up
    app.run(host=settings.host, port=settings.port, workers=1, access_log=settings.access_log, motd=False)


if __name__ == "__main__":
    main()
