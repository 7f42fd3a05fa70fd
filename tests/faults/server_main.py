"""The real app in its own process with a FakeBotEngine whose failure mode is chosen by FAKE_BOT_MODE.

Modes: `ok` (answers), `unavailable` (the engine reports BotUnavailable, as RasaBotEngine does when the
action server is unreachable or the model is missing), `raise` (an unexpected exception, like a custom action
bug escaping), `slow` (answers after FAKE_BOT_DELAY_SECONDS, beyond BOT_TIMEOUT_SECONDS).
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from handoff.__main__ import ensure_admin, migrate
from handoff.engine.contract import BotReply, BotUnavailable
from handoff.settings import Settings
from handoff.web.app import create_app
from tests.fakes import FakeBotEngine

MODE_VARIABLE = "FAKE_BOT_MODE"
DELAY_VARIABLE = "FAKE_BOT_DELAY_SECONDS"
OK, UNAVAILABLE, RAISE, SLOW = "ok", "unavailable", "raise", "slow"


class FaultyBotEngine(FakeBotEngine):
    """Fails the way the real engine can; the timeout is enforced as RasaBotEngine does (wait_for)."""

    def __init__(self, mode: str, delay_seconds: float, timeout_seconds: float) -> None:
        super().__init__(fail=mode == UNAVAILABLE)
        self.mode = mode
        self.delay_seconds = delay_seconds
        self.timeout_seconds = timeout_seconds

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        if self.mode == RAISE:
            raise RuntimeError("custom action exploded")
        if self.mode == SLOW:
            try:
                return await asyncio.wait_for(self._slow(sender_id, text, metadata), self.timeout_seconds)
            except asyncio.TimeoutError as error:
                raise BotUnavailable("timeout") from error
        return await super().reply(sender_id, text, metadata)

    async def _slow(self, sender_id: str, text: str, metadata: dict[str, Any] | None) -> BotReply:
        await asyncio.sleep(self.delay_seconds)
        return await super().reply(sender_id, text, metadata)


def main() -> None:
    settings = Settings.from_env(os.environ)
    logging.basicConfig(level=settings.log_level_number, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = os.environ.get(MODE_VARIABLE, OK)
    delay = float(os.environ.get(DELAY_VARIABLE, "5"))

    async def factory(_settings: Settings) -> FaultyBotEngine:
        return FaultyBotEngine(mode, delay, settings.bot_timeout_seconds)

    migrate(settings)
    ensure_admin(settings)
    app = create_app(settings, bot_engine_factory=factory)
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
