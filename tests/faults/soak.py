"""Soak: the app under moderate, steady widget traffic for minutes; errors, ack latency and RSS over time.

`python -m tests.faults.soak --minutes 10` (or `make soak`). Not part of `make test`: it is about drift
(memory growth, slowly rising latency), which only shows over time. Prints one JSON report at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.faults.app_process import AppProcess, base_environment
from tests.faults.traffic import Customer, new_conversation

DEFAULT_MINUTES = 10.0
DEFAULT_CUSTOMERS = 20
# One message per customer every few seconds, like people typing: 20 customers ≈ 5 messages/s.
DEFAULT_SECONDS_BETWEEN_MESSAGES = 4.0
SAMPLE_SECONDS = 10.0
# Conversations are replaced now and then, like visitors coming and going (new sockets, new rows).
MESSAGES_PER_CONVERSATION = 15
ACK_TIMEOUT_SECONDS = 10.0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Tally:
    def __init__(self) -> None:
        self.sent = self.acked = self.answered = self.conversations = 0
        self.error_frames: list[dict[str, Any]] = []
        self.failures: list[str] = []
        self.ack_seconds: list[float] = []


async def _customer_life(base: str, ws_base: str, tally: Tally, interval: float, ends: float, number: int) -> None:
    while time.monotonic() < ends:
        try:
            conversation_id, token = await new_conversation(base)
            customer = Customer(ws_base, conversation_id, token, name=f"soak{number}")
            await customer.connect()
        except Exception as error:
            tally.failures.append(f"connect: {type(error).__name__}")
            await asyncio.sleep(interval)
            continue
        tally.conversations += 1
        try:
            for message in range(MESSAGES_PER_CONVERSATION):
                if time.monotonic() >= ends:
                    break
                client_id = f"m{message}"
                began = time.monotonic()
                await customer.send(client_id, f"Wo ist meine Bestellung Nummer {message}?")
                tally.sent += 1
                while client_id not in customer.acked and time.monotonic() - began < ACK_TIMEOUT_SECONDS:
                    await asyncio.sleep(0.01)
                if client_id in customer.acked:
                    tally.acked += 1
                    tally.ack_seconds.append(time.monotonic() - began)
                else:
                    tally.failures.append("ack timeout")
                    await customer.reconnect_and_resend()
                await asyncio.sleep(interval)
            tally.answered += sum(1 for e in customer.events.values() if e["sender_type"] == "bot")
            tally.error_frames.extend(customer.errors)
        finally:
            await customer.close()


async def _sample(app: AppProcess, samples: list[tuple[float, int]], started: float, ends: float) -> None:
    while time.monotonic() < ends:
        samples.append((round(time.monotonic() - started, 1), rss_kib(app.process.pid)))
        await asyncio.sleep(SAMPLE_SECONDS)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 1)


async def soak(minutes: float, customers: int, interval: float, database_url: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="soak-") as directory:
        url = database_url or f"sqlite+aiosqlite:///{directory}/soak.db"
        app = AppProcess(Path(directory), base_environment(url))
        app.start()
        try:
            tally = Tally()
            samples: list[tuple[float, int]] = []
            started = time.monotonic()
            ends = started + minutes * 60
            sampler = asyncio.create_task(_sample(app, samples, started, ends))
            await asyncio.gather(*(_customer_life(app.base, app.ws_base, tally, interval, ends, n)
                                   for n in range(customers)))
            await sampler
            samples.append((round(time.monotonic() - started, 1), rss_kib(app.process.pid)))
            alive = app.process.poll() is None
            unhandled = app.log().count("unhandled error")
        finally:
            app.stop()
    rss = [kib for _, kib in samples]
    return {
        "minutes": minutes, "customers": customers, "conversations": tally.conversations,
        "messages_sent": tally.sent, "messages_acked": tally.acked, "bot_answers_seen": tally.answered,
        "error_frames": len(tally.error_frames), "client_failures": len(tally.failures),
        "failure_kinds": sorted(set(tally.failures)), "server_unhandled_errors": unhandled, "server_alive": alive,
        "ack_ms_p50": _percentile(tally.ack_seconds, 0.5), "ack_ms_p95": _percentile(tally.ack_seconds, 0.95),
        "ack_ms_max": _percentile(tally.ack_seconds, 1.0),
        "rss_mib_start": round(rss[0] / 1024, 1), "rss_mib_end": round(rss[-1] / 1024, 1),
        "rss_mib_max": round(max(rss) / 1024, 1),
        "rss_mib_median": round(statistics.median(rss) / 1024, 1),
        "rss_mib_over_time": " ".join(f"{t:.0f}s={kib / 1024:.1f}" for t, kib in samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=DEFAULT_MINUTES)
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--seconds-between-messages", type=float, default=DEFAULT_SECONDS_BETWEEN_MESSAGES)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    arguments = parser.parse_args(argv)
    report = asyncio.run(soak(arguments.minutes, arguments.customers, arguments.seconds_between_messages,
                              arguments.database_url))
    print(json.dumps(report, indent=2))
    healthy = (report["server_alive"] and report["server_unhandled_errors"] == 0 and report["client_failures"] == 0
               and report["messages_acked"] == report["messages_sent"])
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
