"""Where the reply path's time goes: the product's use case (`customer_writes`) driven in-process.

Runs as its own process (`python -m bench.profile_reply <turns>`, JSON on stdout) with the product's real pieces:
SQLite file database, in-process bus, the Rasa engine with in-process actions. Two passes over the same turns:
1. wall-clock timers around each stage (store the customer message, bot, store + publish the replies) and around
   every Rasa graph node (each NLU component and each policy), the tracker store and the action runs;
2. cProfile over the same work, for the functions that dominate.
"""
from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from bench.conversations import conversations, demo_order_numbers
from bench.paths import PRODUCT_MODEL
from bench.stats import percentile

TOP_FUNCTIONS = 25
GRAPH_NODE_PREFIX = "run_"


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def sync(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
        return timed

    def coroutine(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
        return timed


def instrument(engine: Any, timers: Timers) -> None:
    """Timers around Rasa's graph nodes, the tracker store and action runs of this process's agent."""
    processor = engine.rasa_agent.processor
    for name, node in processor.graph_runner._instantiated_nodes.items():
        if name.startswith(GRAPH_NODE_PREFIX):
            node._fn = timers.sync(f"graph: {name[len(GRAPH_NODE_PREFIX):]}", node._fn)
    processor.parse_message = timers.coroutine("rasa: parse_message (NLU total)", processor.parse_message)
    processor._predict_next_with_tracker = timers.sync("rasa: predict next action (policies total)",
                                                       processor._predict_next_with_tracker)
    processor._run_action = timers.coroutine("rasa: run actions (incl. custom actions, NLG)", processor._run_action)
    store = processor.tracker_store
    store.retrieve = timers.coroutine("rasa: tracker store retrieve", store.retrieve)
    store.save = timers.coroutine("rasa: tracker store save", store.save)


class StatementCounter:
    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.engine = engine.sync_engine
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self.seen)

    def seen(self, *_args: Any) -> None:
        self.count += 1

    def stop(self) -> int:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self.seen)
        return self.count


def count_statements(engine: Any) -> StatementCounter:
    """SQL statements the service sends through cursors (BEGIN and SAVEPOINT count, COMMIT does not)."""
    return StatementCounter(engine)


async def build_context(workdir: Path) -> Any:
    from handoff.bus.in_process import InProcessBus, InProcessPresence
    from handoff.engine.rasa.engine import load_rasa_engine
    from handoff.engine.settings import EngineSettings
    from handoff.services.context import ServiceContext
    from handoff.store.database import create_engine
    from handoff.store.migrate import upgrade_async

    url = f"sqlite+aiosqlite:///{workdir / 'profile.db'}"
    await upgrade_async(url)
    bot = await load_rasa_engine(EngineSettings(PRODUCT_MODEL, None, 30.0))
    return ServiceContext(db=create_engine(url), bus=InProcessBus(), presence=InProcessPresence(), bot=bot)


async def play(ctx: Any, turns: int, timers: Timers | None, first: int = 0) -> list[float]:
    """Whole conversations (from template `first` on) until `turns` customer messages were answered; wall ms."""
    from handoff.services import conversations as conversation_services
    from handoff.services import customer

    per_turn = []
    items = conversations(demo_order_numbers(), first + turns)[first:]
    for texts in items:
        conversation, _token = await conversation_services.start_conversation(ctx, "widget")
        for text in texts:
            started = time.perf_counter()
            if timers is None:
                await customer.customer_writes(ctx, conversation.id, None, text)
            else:
                message, _ = await timers.coroutine("service: store customer message",
                                                    customer.receive_customer_message)(ctx, conversation.id, None, text)
                await timers.coroutine("service: route (bot + store/publish replies)",
                                       customer.route_customer_message)(ctx, conversation.id, message)
            per_turn.append((time.perf_counter() - started) * 1000)
            if len(per_turn) >= turns:
                return per_turn
    return per_turn


def turn_figures(per_turn: list[float]) -> dict[str, float]:
    return {"mean": sum(per_turn) / len(per_turn), "p50": percentile(per_turn, 50), "p99": percentile(per_turn, 99)}


def top_functions(profile: cProfile.Profile) -> str:
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).strip_dirs().sort_stats("cumulative").print_stats(TOP_FUNCTIONS)
    return buffer.getvalue()


async def profile(turns: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as directory:
        ctx = await build_context(Path(directory))
        await play(ctx, min(turns, 30), None)  # warm-up: TF graphs, caches
        timers = Timers()
        instrument(ctx.bot, timers)
        original_reply = ctx.bot.reply
        ctx.bot.reply = timers.coroutine("service: bot reply (Rasa, under its lock)", original_reply)
        statements = count_statements(ctx.db)
        per_turn = await play(ctx, turns, timers)
        statements_seen = statements.stop()
        stages = dict(timers.seconds)  # the timers stay installed; the cProfile pass must not add to them
        profiler = cProfile.Profile()
        profiler.enable()
        await play(ctx, turns, None)
        profiler.disable()
        await ctx.db.dispose()
    count = len(per_turn)
    return {
        "turns": count,
        "turn_ms": turn_figures(per_turn),
        "sql_statements_per_turn": statements_seen / count,
        "stages_ms_per_turn": {name: seconds * 1000 / count
                               for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1])},
        "cprofile_top": top_functions(profiler),
    }


def main() -> int:
    turns = int(sys.argv[1])
    print(json.dumps(asyncio.run(profile(turns))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
