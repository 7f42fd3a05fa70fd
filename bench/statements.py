"""Database statements and transactions per customer message, on PostgreSQL (the production store).

The service's use case for a customer message (`customer.customer_writes`: store it, claim it for the bot, ask the
bot, store and publish the answer) runs in this process against a throwaway PostgreSQL database, with the test
suite's FakeBotEngine (the bot process does not use the database), the in-process bus and presence, and a listener
on the engine counting every statement and every COMMIT. Counted over the first and the last `WINDOW` messages of
one long conversation, so a cost that grows with the conversation shows as a difference.

`python -m bench.statements [--turns 200]` prints JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from bench.throwaway import throwaway_postgres

WINDOW = 30


async def count(database_url: str, turns: int) -> dict[str, Any]:
    from sqlalchemy import event

    from handoff.bus.in_process import InProcessBus, InProcessPresence
    from handoff.services import conversations, customer
    from handoff.services.context import ServiceContext
    from handoff.store.database import create_engine
    from handoff.store.migrate import upgrade_async
    from tests.fakes import FakeBotEngine

    await upgrade_async(database_url)
    engine = create_engine(database_url)
    counters = {"statements": 0, "commits": 0}

    def statement(*_args: Any) -> None:
        counters["statements"] += 1

    def commit(*_args: Any) -> None:
        counters["commits"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine, "commit", commit)
    bus = InProcessBus()
    ctx = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(), bot=FakeBotEngine())
    try:
        conversation, _ = await conversations.start_conversation(ctx, "widget")
        windows = []
        for turn in range(turns):
            if turn % WINDOW == 0:
                windows.append(dict(counters))
            await customer.customer_writes(ctx, conversation.id, f"c{turn}", f"Frage Nummer {turn}")
        windows.append(dict(counters))
    finally:
        await bus.close()
        await engine.dispose()

    def per_message(start: dict[str, int], end: dict[str, int], messages: int) -> dict[str, float]:
        return {name: round((end[name] - start[name]) / messages, 2) for name in start}

    last_size = turns - (len(windows) - 2) * WINDOW
    return {"turns": turns, "first_window": per_message(windows[0], windows[1], WINDOW),
            "last_window": per_message(windows[-2], windows[-1], last_size)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.statements", description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    arguments = parser.parse_args(argv)
    with throwaway_postgres() as url:
        print(json.dumps(asyncio.run(count(url, arguments.turns)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
