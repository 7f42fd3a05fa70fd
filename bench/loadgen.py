"""The load generator: a separate process (`python -m bench.loadgen`) speaking to the servers over loopback.

It reads one JSON job from the first line of stdin and writes JSON lines to stdout. Jobs:
- `reply`: closed-loop virtual customers, each playing whole conversations turn by turn (a new message only
  after the answer to the previous one), for a bounded time after a warm-up;
- `handoff`: the escalation and agent-reply round trips (bench/handoff_latency.py);
- `idle`: hold many idle widget connections, then a `reply` run on request (bench/capacity.py).
"""
from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any, Sequence

import aiohttp

from bench.clients import ReplyTimeout, RestConversation, WidgetConversation

WIDGET, REST = "widget", "rest"
DEFAULT_REPLY_TIMEOUT = 30.0


def raise_open_file_limit() -> int:
    """As many sockets as the hard limit allows (idle-connection capacity needs thousands)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def emit(event: str, **data: Any) -> None:
    print(json.dumps({"event": event, **data}), flush=True)


async def open_customer(session: aiohttp.ClientSession, job: dict[str, Any]) -> Any:
    if job["protocol"] == WIDGET:
        return await WidgetConversation.open(session, job["base_url"])
    return RestConversation(session, job["base_url"] + job.get("rest_path", "/webhooks/rest/webhook"))


class Recorder:
    """Latencies of answers that arrived inside the measuring window."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.ack_ms: list[float] = []
        self.errors = 0
        self.error_kinds: dict[str, int] = {}

    def error(self, error: BaseException) -> None:
        self.errors += 1
        kind = type(error).__name__
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def virtual_customer(session: aiohttp.ClientSession, job: dict[str, Any], number: int, deadline: float,
                           recorder: Recorder | None) -> None:
    conversations: Sequence[Sequence[str]] = job["conversations"]
    timeout = float(job.get("reply_timeout", DEFAULT_REPLY_TIMEOUT))
    index = number
    while time.perf_counter() < deadline:
        turns = conversations[index % len(conversations)]
        index += int(job["concurrency"])
        try:
            customer = await open_customer(session, job)
        except Exception as error:  # a refused connection is a result, not a crash of the benchmark
            if recorder:
                recorder.error(error)
            await asyncio.sleep(0.1)
            continue
        try:
            for text in turns:
                if time.perf_counter() >= deadline:
                    break
                ack_ms, reply_ms = await customer.say(text, timeout)
                if recorder is not None and time.perf_counter() <= deadline:
                    recorder.latencies_ms.append(reply_ms)
                    if ack_ms is not None:
                        recorder.ack_ms.append(ack_ms)
        except (ReplyTimeout, aiohttp.ClientError, OSError) as error:
            if recorder:
                recorder.error(error)
        finally:
            await customer.close()


async def closed_loop(session: aiohttp.ClientSession, job: dict[str, Any], seconds: float,
                      recorder: Recorder | None) -> float:
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(virtual_customer(session, job, n, deadline, recorder)
                           for n in range(int(job["concurrency"]))))
    return seconds


async def reply_load(session: aiohttp.ClientSession, job: dict[str, Any]) -> dict[str, Any]:
    # The warm-up's answers are counted (not timed) so that server-side counters can be divided by every message.
    warmup = Recorder()
    if job.get("warmup_seconds", 0) > 0:
        await closed_loop(session, job, float(job["warmup_seconds"]), warmup)
    recorder = Recorder()
    elapsed = await closed_loop(session, job, float(job["duration_seconds"]), recorder)
    return {"messages": len(recorder.latencies_ms), "warmup_messages": len(warmup.latencies_ms),
            "errors": recorder.errors, "error_kinds": recorder.error_kinds,
            "elapsed_seconds": elapsed, "latencies_ms": recorder.latencies_ms, "ack_ms": recorder.ack_ms}


def new_session() -> aiohttp.ClientSession:
    # No pooling limit: the closed loop itself bounds the number of requests in flight.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


async def run_reply(job: dict[str, Any]) -> None:
    async with new_session() as session:
        emit("result", **await reply_load(session, job))


async def read_command() -> str:
    return (await asyncio.to_thread(sys.stdin.readline)).strip()


async def run_idle(job: dict[str, Any]) -> None:
    """Open `connections` idle customers, report, run the reply load on `measure`, hold until `close`."""
    from bench.capacity_client import hold_idle_connections

    async with new_session() as session:
        await hold_idle_connections(session, job, reply_load, read_command, emit)


async def run_handoff(job: dict[str, Any]) -> None:
    from bench.handoff_client import measure_handoffs

    async with new_session() as session:
        emit("result", **await measure_handoffs(session, job))


JOBS = {"reply": run_reply, "idle": run_idle, "handoff": run_handoff}


def main() -> int:
    raise_open_file_limit()
    job = json.loads(sys.stdin.readline())
    asyncio.run(JOBS[job["job"]](job))
    return 0


if __name__ == "__main__":
    sys.exit(main())
