"""Long conversations: does a turn cost more the longer the conversation is? (issue 18)

One customer writes `turns` messages in a row (sequentially, each after the answer to the previous one) to:
- the product over Rasa's REST channel and over the widget WebSocket (`python -m handoff serve`, SQLite,
  in-memory trackers: the default set-up),
- plain `rasa run` with the product's model and `rasa run actions` (Rasa's own tracker handling),
- plain `rasa run` with the `rasa init` project, as a new user first meets Rasa (issue 18's own comparison; its
  English model answers the German questions with whatever it guesses, which costs the same per turn).
For each, the median turn latency over turns 1-30 and over the last 30, their ratio, and the server's CPU time per
message in the same windows (process time of the server and its children, e.g. the product's bot process, from
/proc: steadier than wall time on a shared machine).

`python -m bench.long_conversation [--turns 500] [--targets rest,widget,rasa]` prints a JSON report; also
`python -m bench --only long`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import aiohttp

from bench import targets as servers
from bench.baseline import ensure_baseline_project
from bench.clients import RestConversation, WidgetConversation
from bench.processes import tree_cpu_seconds as cpu_seconds

# Calm, understood questions that neither repeat the previous one nor ask for a person: the bot answers each turn.
MESSAGES = ("Wie lange dauert der Versand nach Österreich?", "Kann ich auch per Rechnung zahlen?", "Danke",
            "Wie kann ich etwas zurückschicken?", "Was kostet der Versand in die Schweiz?",
            "Gibt es Garantie auf Elektrogeräte?", "Wie melde ich mich vom Newsletter ab?", "ok danke")
DEFAULT_TURNS = 500
WINDOW = 30
REPLY_TIMEOUT_SECONDS = 60.0
TARGETS = ("rest", "widget", "rasa", "rasa_init")


async def play(say: Callable[[str], Any], turns: int, pid: int) -> tuple[list[float], list[float]]:
    """Latency (ms) of every turn, and CPU ms per message for each window of WINDOW turns."""
    latencies, cpu_per_window = [], []
    window_cpu = cpu_seconds(pid)
    for turn in range(turns):
        latencies.append(await say(MESSAGES[turn % len(MESSAGES)]))
        if (turn + 1) % WINDOW == 0 or turn + 1 == turns:
            now = cpu_seconds(pid)
            size = WINDOW if (turn + 1) % WINDOW == 0 else (turn + 1) % WINDOW
            cpu_per_window.append((now - window_cpu) * 1000 / size)
            window_cpu = now
    return latencies, cpu_per_window


def summary(latencies: list[float], cpu_per_window: list[float]) -> dict[str, Any]:
    first, last = statistics.median(latencies[:WINDOW]), statistics.median(latencies[-WINDOW:])
    return {"turns": len(latencies), "first_median_ms": round(first, 1), "last_median_ms": round(last, 1),
            "ratio": round(last / first, 2), "first_cpu_ms_per_message": round(cpu_per_window[0], 1),
            "last_cpu_ms_per_message": round(cpu_per_window[-1], 1),
            "cpu_ratio": round(cpu_per_window[-1] / cpu_per_window[0], 2) if cpu_per_window[0] else None,
            "median_ms_by_window": [round(statistics.median(latencies[i:i + WINDOW]), 1)
                                    for i in range(0, len(latencies), WINDOW)]}


async def product_turns(target: servers.Target, protocol: str, turns: int) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session:
        if protocol == "widget":
            conversation: Any = await WidgetConversation.open(session, target.base_url)

            async def say(text: str) -> float:
                return (await conversation.say(text, REPLY_TIMEOUT_SECONDS))[1]
        else:
            conversation = RestConversation(session, target.base_url + servers.WEBHOOK)

            async def say(text: str) -> float:
                return (await conversation.say(text, REPLY_TIMEOUT_SECONDS))[1]
        try:
            return summary(*await play(say, turns, target.server.pid))
        finally:
            await conversation.close()


def run_target(name: str, workdir: Path, turns: int) -> dict[str, Any]:
    if name == "rasa":
        target = servers.start_rasa_product_model(workdir / name)
        protocol = "rest"
    elif name == "rasa_init":
        project, model = ensure_baseline_project()
        target = servers.start_rasa_init(workdir / name, project, model)
        protocol = "rest"
    else:
        target = servers.start_product(workdir / name, name=f"product-{name}")
        protocol = name
    try:
        return asyncio.run(product_turns(target, protocol, turns))
    finally:
        target.stop()


def run(options: Any, workdir: Path) -> dict[str, Any]:
    """For `python -m bench --only long`: the quick options play 120 turns."""
    turns = 120 if getattr(options, "quick", False) else DEFAULT_TURNS
    return {name: run_target(name, workdir, turns) for name in TARGETS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.long_conversation", description=__doc__)
    parser.add_argument("--turns", type=int, default=DEFAULT_TURNS)
    parser.add_argument("--targets", default=",".join(TARGETS))
    arguments = parser.parse_args(argv)
    results = {"load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-long-") as directory:
        for name in (part.strip() for part in arguments.targets.split(",") if part.strip()):
            results[name] = run_target(name, Path(directory), arguments.turns)
            print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
