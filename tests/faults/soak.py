"""Soak: the product at the benchmark's target load for minutes; errors, ack latency and RSS over time.

`make soak` (10 minutes) or `python -m tests.faults.soak --minutes 1`. Not part of `make test`: it is about
drift (memory growth, slowly rising latency), which only shows over time.

Load: the benchmark's target concurrency (bench/checks.py, 8) of widget customers in a closed loop, like
bench's reply path: each sends a message, waits for its ack and the bot's answer, then sends the next; the
texts are bench's German conversations, and every customer starts a new conversation after each one.
Bot: the real trained model (`python -m handoff serve`) when models/nordwind.tar.gz exists, else the fake
bot of tests/faults/server_main.py; `--bot real|fake` or SOAK_BOT chooses. The figures go to a JSON report
(docs/results/soak-<bot>.json unless `--report`) and to stdout; the exit code says whether it was healthy.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence
from unittest import mock

from sqlalchemy import func, select

from bench.checks import TARGET_CONCURRENCY
from bench.conversations import conversations, demo_order_numbers
from handoff.store.database import create_engine
from handoff.store.tables import messages
from tests.faults import app_process
from tests.faults.app_process import REAL_SERVE, AppProcess, base_environment
from tests.faults.traffic import Customer, new_conversation
from tests.integration.handoff.web.server import REPO_ROOT

DEFAULT_MINUTES = 10.0
DEFAULT_CUSTOMERS = int(TARGET_CONCURRENCY)
DEFAULT_MODEL = REPO_ROOT / "models" / "nordwind.tar.gz"
REPORT_DIRECTORY = REPO_ROOT / "docs" / "results"
BOT_VARIABLE = "SOAK_BOT"
REAL, FAKE, AUTO = "real", "fake", "auto"
SAMPLE_SECONDS = 10.0
ACK_TIMEOUT_SECONDS = 10.0
# Above the app's BOT_TIMEOUT_SECONDS (10 s): when the bot is slow the service answers honestly by then.
REPLY_TIMEOUT_SECONDS = 20.0
# Loading TensorFlow and the model takes 50-70 s (docs/performance.md, start-up), more on a busy machine: longer
# than AppProcess's default wait. /ready then confirms the model is in (not the honest no-model fallback).
START_TIMEOUT_SECONDS = 300.0
STORED_QUERY_CHUNK = 500
CUSTOMER_SENDER, BOT_SENDER = "customer", "bot"


def _own_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def rss_kib(pid: int) -> tuple[int, int]:
    """The app's memory: its web process, and its children (the bot process, where Rasa keeps the trackers)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return _own_rss_kib(pid), sum(_own_rss_kib(child) for child in children)


class Tally:
    def __init__(self) -> None:
        self.sent = self.acked = self.answered = 0
        self.conversation_ids: list[str] = []
        self.error_frames: list[dict[str, Any]] = []
        self.failures: list[str] = []
        self.ack_seconds: list[float] = []
        self.reply_seconds: list[float] = []


def _bot_answered_after(customer: Customer, seq: int) -> bool:
    return any(number > seq and event["sender_type"] == BOT_SENDER for number, event in customer.events.items())


async def _converse(customer: Customer, turns: Sequence[str], tally: Tally, ends: float) -> None:
    for turn, text in enumerate(turns):
        if time.monotonic() >= ends:
            return
        client_id = f"m{turn}"
        began = time.monotonic()
        await customer.send(client_id, text)
        tally.sent += 1
        if not await customer.wait_until(lambda: client_id in customer.acked, ACK_TIMEOUT_SECONDS):
            tally.failures.append("ack timeout")
            await customer.reconnect_and_resend()
            if not await customer.wait_until(lambda: client_id in customer.acked, ACK_TIMEOUT_SECONDS):
                continue
        tally.acked += 1
        tally.ack_seconds.append(time.monotonic() - began)
        seq = customer.acked[client_id]
        if await customer.wait_until(lambda: _bot_answered_after(customer, seq), REPLY_TIMEOUT_SECONDS):
            tally.answered += 1
            tally.reply_seconds.append(time.monotonic() - began)
        else:
            tally.failures.append("no answer")


async def _customer_life(app: AppProcess, tally: Tally, scripts: Sequence[Sequence[str]], ends: float,
                         number: int, customers: int) -> None:
    index = number
    while time.monotonic() < ends:
        turns = scripts[index % len(scripts)]
        index += customers
        try:
            conversation_id, token = await new_conversation(app.base)
            customer = Customer(app.ws_base, conversation_id, token, name=f"soak{number}")
            await customer.connect()
        except Exception as error:  # counted, and the customer tries again like a visitor reloading the page
            tally.failures.append(f"connect: {type(error).__name__}")
            await asyncio.sleep(1.0)
            continue
        tally.conversation_ids.append(conversation_id)
        try:
            await _converse(customer, turns, tally, ends)
        except Exception as error:
            tally.failures.append(f"conversation: {type(error).__name__}")
        finally:
            tally.error_frames.extend(customer.errors)
            await customer.close()


Sample = tuple[float, int, int]   # seconds since the start, web process KiB, bot process KiB


async def _sample(app: AppProcess, samples: list[Sample], started: float, ends: float) -> None:
    while time.monotonic() < ends:
        samples.append((round(time.monotonic() - started, 1), *rss_kib(app.process.pid)))
        await asyncio.sleep(SAMPLE_SECONDS)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 1)


async def _stored(database_url: str, conversation_ids: list[str]) -> dict[str, int]:
    """Messages in the database of exactly the soak's conversations, by sender."""
    counts = {CUSTOMER_SENDER: 0, BOT_SENDER: 0}
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            for start in range(0, len(conversation_ids), STORED_QUERY_CHUNK):
                chunk = conversation_ids[start:start + STORED_QUERY_CHUNK]
                rows = await conn.execute(select(messages.c.sender_type, func.count())
                                          .where(messages.c.conversation_id.in_(chunk))
                                          .group_by(messages.c.sender_type))
                for sender, count in rows:
                    counts[sender] = counts.get(sender, 0) + count
    finally:
        await engine.dispose()
    return counts


def choose_bot(requested: str, model: Path) -> str:
    if requested == AUTO:
        return REAL if model.exists() else FAKE
    if requested == REAL and not model.exists():
        raise SystemExit(f"--bot real needs a trained model at {model} (make train)")
    return requested


def _require_model(app: AppProcess) -> None:
    """The app loads the model before it listens, so right after start /ready knows whether that worked."""
    try:
        with urllib.request.urlopen(f"{app.base}/ready", timeout=10) as response:
            ready = json.loads(response.read())
    except urllib.error.HTTPError as error:  # 503: not ready
        ready = json.loads(error.read() or b"{}")
    if not ready.get("model"):
        app.stop()
        raise SystemExit(f"the model did not load (/ready: {ready}); the app log ends with:\n{app.log()[-2000:]}")


def _app(directory: Path, database_url: str, bot: str, model: Path) -> AppProcess:
    environment = base_environment(database_url)
    if bot == REAL:
        return AppProcess(directory, {**environment, "MODEL_PATH": str(model.resolve())}, module_arguments=REAL_SERVE)
    return AppProcess(directory, environment)


async def soak(minutes: float, customers: int, bot: str, model: Path, database_url: str | None) -> dict[str, Any]:
    scripts = conversations(demo_order_numbers(), count=max(customers * 4, 12))
    with tempfile.TemporaryDirectory(prefix="soak-") as directory:
        url = database_url or f"sqlite+aiosqlite:///{directory}/soak.db"
        app = _app(Path(directory), url, bot, model)
        with mock.patch.object(app_process, "START_TIMEOUT_SECONDS", START_TIMEOUT_SECONDS):
            start_seconds = app.start()
        try:
            if bot == REAL:
                _require_model(app)
            tally = Tally()
            samples: list[Sample] = []
            started = time.monotonic()
            ends = started + minutes * 60
            sampler = asyncio.create_task(_sample(app, samples, started, ends))
            await asyncio.gather(*(_customer_life(app, tally, scripts, ends, n, customers) for n in range(customers)))
            await sampler
            elapsed = time.monotonic() - started
            samples.append((round(elapsed, 1), *rss_kib(app.process.pid)))
            alive = app.process.poll() is None
            unhandled = app.log().count("unhandled error")
        finally:
            app.stop()
        stored = await _stored(url, tally.conversation_ids)
    return _report(minutes, customers, bot, model, start_seconds, elapsed, tally, stored, samples, alive, unhandled)


def _report(minutes: float, customers: int, bot: str, model: Path, start_seconds: float, elapsed: float,
            tally: Tally, stored: dict[str, int], samples: list[Sample], alive: bool,
            unhandled: int) -> dict[str, Any]:
    rss = [web + bot for _, web, bot in samples]
    second_half = [(web, bot) for seconds, web, bot in samples if seconds >= elapsed / 2] or \
        [(web, bot) for _, web, bot in samples]
    return {
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "minutes": minutes, "customers": customers, "load": "closed loop (answer before the next message)",
        "bot": bot, "model": str(model) if bot == REAL else None, "start_seconds": round(start_seconds, 1),
        "conversations": len(tally.conversation_ids), "messages_sent": tally.sent,
        "messages_acked": tally.acked, "messages_stored": stored.get(CUSTOMER_SENDER, 0),
        "bot_answers_seen": tally.answered, "bot_messages_stored": stored.get(BOT_SENDER, 0),
        "messages_per_second": round(tally.acked / elapsed, 2) if elapsed else None,
        "error_frames": len(tally.error_frames),
        "error_codes": sorted({str(frame.get("code")) for frame in tally.error_frames}),
        "client_failures": len(tally.failures), "failure_kinds": sorted(set(tally.failures)),
        "server_unhandled_errors": unhandled, "server_alive": alive,
        "ack_ms_p50": _percentile(tally.ack_seconds, 0.5), "ack_ms_p99": _percentile(tally.ack_seconds, 0.99),
        "ack_ms_max": _percentile(tally.ack_seconds, 1.0),
        "answer_ms_p50": _percentile(tally.reply_seconds, 0.5), "answer_ms_p99": _percentile(tally.reply_seconds, 0.99),
        "rss_mib_start": round(rss[0] / 1024, 1), "rss_mib_end": round(rss[-1] / 1024, 1),
        "rss_mib_max": round(max(rss) / 1024, 1), "rss_mib_median": round(statistics.median(rss) / 1024, 1),
        # Flat memory: the growth over the second half, after caches and pools have filled.
        "rss_mib_growth_second_half": round((sum(second_half[-1]) - sum(second_half[0])) / 1024, 1),
        "web_mib_growth_second_half": round((second_half[-1][0] - second_half[0][0]) / 1024, 1),
        "bot_mib_growth_second_half": round((second_half[-1][1] - second_half[0][1]) / 1024, 1),
        "rss_mib_over_time": " ".join(f"{t:.0f}s={(web + bot) / 1024:.1f}" for t, web, bot in samples),
        "web_bot_mib_over_time": " ".join(f"{t:.0f}s={web / 1024:.0f}+{bot / 1024:.0f}" for t, web, bot in samples),
    }


def healthy(report: dict[str, Any]) -> bool:
    return (report["server_alive"] and report["server_unhandled_errors"] == 0 and report["client_failures"] == 0
            and report["error_frames"] == 0 and report["messages_sent"] > 0
            and report["messages_acked"] == report["messages_sent"] == report["messages_stored"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=DEFAULT_MINUTES)
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--bot", choices=(AUTO, REAL, FAKE), default=os.environ.get(BOT_VARIABLE, AUTO),
                        help=f"default: {BOT_VARIABLE} or auto (real when the model exists)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--report", type=Path, help="default: docs/results/soak-<bot>.json")
    arguments = parser.parse_args(argv)
    bot = choose_bot(arguments.bot, arguments.model)
    report = asyncio.run(soak(arguments.minutes, arguments.customers, bot, arguments.model, arguments.database_url))
    report["healthy"] = healthy(report)
    path = arguments.report or REPORT_DIRECTORY / f"soak-{bot}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"report written to {path}", file=sys.stderr)
    return 0 if report["healthy"] else 1


if __name__ == "__main__":
    sys.exit(main())
