"""Runs the real app for the browser tests in its own process: `python -m tests.browser.server PORT DB_URL`.

A subprocess rather than a thread because Sanic 21.12 wants the main thread (signals) and because Playwright's
sync API must not share an event loop with the server. The bot is `tests.fakes.FakeBotEngine`; two accounts are
seeded through the service layer before the server accepts requests.
"""
from __future__ import annotations

import sys

ADMIN = {"email": "admin@nordwind.test", "display_name": "Ada Admin", "password": "admin-passwort-123", "role": "admin"}
AGENT = {"email": "lena@nordwind.test", "display_name": "Lena Berger", "password": "agent-passwort-123", "role": "agent"}


def main(argv: list[str]) -> None:
    # Imported inside main: the test process imports ADMIN/AGENT from here without loading the app.
    from sanic import Sanic

    from handoff.services import auth
    from handoff.settings import Settings
    from handoff.store.migrate import upgrade
    from handoff.web.app import create_app
    from tests.fakes import FakeBotEngine

    port, database_url = int(argv[0]), argv[1]
    settings = Settings.from_env({
        "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING",
        "ADMIN_EMAIL": ADMIN["email"], "ADMIN_PASSWORD": ADMIN["password"],
        # The suite sends many messages from one loopback address within a minute.
        "RATE_LIMIT_PER_MINUTE": "1000",
    })
    upgrade(database_url)

    async def fake_bot(_settings: Settings) -> FakeBotEngine:
        return FakeBotEngine()

    app = create_app(settings, bot_engine_factory=fake_bot)

    async def seed_accounts(app: Sanic, _loop: object) -> None:
        services = app.ctx.service_context()
        for account in (ADMIN, AGENT):
            await auth.create_agent(services, account["email"], account["display_name"], account["password"],
                                    role=account["role"])

    app.register_listener(seed_accounts, "before_server_start")
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main(sys.argv[1:])
