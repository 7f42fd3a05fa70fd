"""A year of support on PostgreSQL (100,000 conversations, about 1,000,000 messages) and how fast the reports
answer over it: `python -m bench.reports_data [--database-url URL] [--conversations N] [--keep]`.

The data is made up but shaped like a shop's support: more on Mondays and at midday, few on Sundays; 7 % of the
widgets are opened and never written in; the bot answers most, hands 22 % of the rest to people (who are there
on weekdays 8–20 and Saturdays 9–16); people take minutes, sometimes hours; a third of the surveys are answered.
Rows go in with COPY (a few seconds). Then the product builds its report facts as it would on first use
(handoff/services/report_facts.py, timed as "facts build time"), and the reports service answers each period
several times; the median and the worst run go to bench/results/<date>-reports.json and .md
(docs/performance.md, "Reports").
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.paths import RESULTS_DIR
from handoff.domain.hours import BusinessHours
from handoff.store import tables
from handoff.store.migrate import upgrade

DEFAULT_SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
DATABASE_NAME = "nordwind_reports_bench"
SEED = 19
CONVERSATIONS = 100_000
DAYS = 365
RUNS = 7
WEEKDAY_WEIGHT = (1.35, 1.15, 1.05, 1.0, 0.95, 0.6, 0.35)
HOUR_WEIGHT = (0.1, 0.05, 0.03, 0.03, 0.05, 0.15, 0.4, 0.9, 1.4, 1.8, 2.0, 2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.5,
               1.6, 1.8, 1.7, 1.2, 0.6, 0.25)
CHANNELS = (("widget", 0.76), ("socketio", 0.13), ("rest", 0.11))
# On top of the chat conversations: this share again arrives by e-mail, as tickets (issue 16).
EMAIL_SHARE = 0.08
INTENTS = (("order_status", 18), ("delivery_info", 9), ("return_item", 9), ("refund_status", 6),
           ("invoice_copy", 5), ("payment_methods", 5), ("cancel_order", 4), ("change_address", 3),
           ("damaged_item", 4), ("parcel_not_received", 4), ("wrong_item", 2), ("login_problem", 3),
           ("voucher", 3), ("complaint", 3), ("greet", 8), ("thank", 6), ("goodbye", 4), ("request_human", 4),
           ("nlu_fallback", 6))
REASONS = (("customer_request", 40), ("tone", 20), ("fallbacks", 18), ("repeated_question", 8),
           ("abusive", 4), ("legal_threat", 3), ("data_protection", 3), ("damage_value", 4))
TONES = (("calm", 80), ("frustrated", 17), ("abusive", 3))
RATINGS = ((5, 45), (4, 25), (3, 12), (2, 8), (1, 10))


def pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def row_for(table: Any, values: dict[str, Any]) -> tuple:
    """A COPY row in the table's column order; a column not given takes its scalar default (the ticket schema
    grows while this runs against it)."""
    row = []
    for column in table.columns:
        value = values.get(column.name)
        if value is None and column.default is not None and not callable(column.default.arg):
            value = column.default.arg
        row.append(value)
    return tuple(row)


class Generator:
    """Rows for COPY, per table, in the column order of handoff/store/tables.py."""

    def __init__(self, conversations: int, end: date, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.count = conversations
        self.end = end
        self.hours = BusinessHours()
        self.rows: dict[str, list[tuple]] = {name: [] for name in ("conversations", "messages", "handoffs",
                                                                   "csat", "csat_surveys", "tickets",
                                                                   "ticket_articles")}
        self.ticket_number = 0

    def moments(self) -> list[datetime]:
        """Creation times: days weighted by weekday, hours by the daily curve, in Berlin time."""
        first = self.end - timedelta(days=DAYS - 1)
        days = [first + timedelta(days=n) for n in range(DAYS)]
        chosen_days = self.rng.choices(days, [WEEKDAY_WEIGHT[d.weekday()] for d in days], k=self.count)
        chosen_hours = self.rng.choices(range(24), HOUR_WEIGHT, k=self.count)
        zone = self.hours.zone
        return sorted(datetime(d.year, d.month, d.day, h, self.rng.randrange(60), self.rng.randrange(60),
                               tzinfo=zone).astimezone(timezone.utc) for d, h in zip(chosen_days, chosen_hours))

    def run(self) -> None:
        for created in self.moments():
            self.conversation(created)
            if self.rng.random() < EMAIL_SHARE:
                self.add_ticket(None, "email", created + timedelta(minutes=self.rng.randint(1, 600)), kind="email",
                                mails=self.rng.randint(1, 3))

    def message(self, conversation_id: str, seq: int, at: datetime, sender: str, *, intent: str | None = None,
                confidence: float | None = None, tone: str | None = None, to_bot: bool = False,
                private: bool = False) -> None:
        kind = {"customer": "incoming", "system": "activity"}.get(sender, "outgoing")
        self.rows["messages"].append((
            str(uuid.uuid4()), conversation_id, seq, f"c{seq}" if sender == "customer" else None, kind, sender, None,
            private, "…", None, intent, confidence, None if tone is None else round(self.rng.random(), 3), tone, at,
            at if to_bot else None, at if sender == "customer" else None))

    def conversation(self, created: datetime) -> None:
        rng = self.rng
        cid = str(uuid.uuid4())
        channel = pick(rng, CHANNELS)
        at, seq, status = created, 0, "resolved"
        resolved_at = None
        if rng.random() < 0.07:          # opened, never written in
            self.add_conversation(cid, channel, "bot", created, at, 0, None)
            return
        turns = max(1, min(12, int(rng.lognormvariate(1.7, 0.5))))
        handoff_turn = rng.randint(1, turns) if rng.random() < 0.22 else None
        for turn in range(1, turns + 1):
            at += timedelta(seconds=rng.randint(8, 90))
            seq += 1
            intent = pick(rng, INTENTS)
            confidence = round(rng.uniform(0.2, 0.58) if intent == "nlu_fallback" or rng.random() < 0.08
                               else rng.uniform(0.6, 0.99), 3)
            self.message(cid, seq, at, "customer", intent=intent, confidence=confidence, tone=pick(rng, TONES),
                         to_bot=True)
            seq += 1
            self.message(cid, seq, at + timedelta(milliseconds=rng.randint(40, 900)), "bot")
            if handoff_turn == turn:
                seq, status, resolved_at = self.handoff(cid, channel, seq, at + timedelta(seconds=1))
                break
        self.add_conversation(cid, channel, status, created, at, seq, resolved_at)

    def handoff(self, cid: str, channel: str, seq: int, requested: datetime) -> tuple[int, str, datetime | None]:
        rng = self.rng
        reasons = [{"code": pick(rng, REASONS), "value": 1.0, "detail": ""}]
        if rng.random() < 0.2:
            reasons.append({"code": pick(rng, REASONS), "value": 0.5, "detail": ""})
        seq += 1
        self.message(cid, seq, requested, "system")
        if not self.hours.is_open(requested) or rng.random() < 0.05:   # closed, or nobody online: a ticket
            self.add_handoff(cid, requested, reasons, None, requested, "ticket")
            self.add_ticket(cid, channel, requested)
            return seq, "ticket", None
        wait = timedelta(seconds=min(6 * 3600, rng.lognormvariate(4.8, 1.1)))   # median about 2 minutes
        if rng.random() < 0.08:                                                # gave up waiting
            self.add_handoff(cid, requested, reasons, None, requested + wait, "resolved")
            return seq, "resolved", requested + wait
        claimed = requested + wait
        reply = claimed + timedelta(seconds=rng.randint(15, 180))
        for offset in range(rng.randint(1, 4)):
            seq += 1
            self.message(cid, seq, reply + timedelta(minutes=2 * offset), "agent")
            seq += 1
            self.message(cid, seq, reply + timedelta(minutes=2 * offset, seconds=50), "customer",
                         intent=pick(rng, INTENTS), confidence=round(rng.uniform(0.6, 0.99), 3), tone="calm")
        ended = reply + timedelta(minutes=rng.randint(3, 25))
        outcome = "handed_back" if rng.random() < 0.15 else "resolved"
        self.add_handoff(cid, requested, reasons, claimed, ended, outcome)
        if outcome == "resolved":
            self.rows["csat_surveys"].append((cid, ended))
            if rng.random() < 0.35:
                self.rows["csat"].append((cid, pick(rng, RATINGS), None,
                                          ended + timedelta(seconds=rng.randint(5, 600))))
        return seq, outcome if outcome == "resolved" else "bot", ended if outcome == "resolved" else None

    def add_conversation(self, cid: str, channel: str, status: str, created: datetime, updated: datetime,
                         last_seq: int, resolved_at: datetime | None) -> None:
        self.rows["conversations"].append((cid, "0" * 64, channel, None, status, None, 0, None, None, None,
                                           resolved_at, created, updated, last_seq, None, "de"))

    def add_handoff(self, cid: str, requested: datetime, reasons: list, claimed: datetime | None,
                    ended: datetime | None, outcome: str) -> None:
        self.rows["handoffs"].append((str(uuid.uuid4()), cid, requested, json.dumps(reasons), "{}", None, None,
                                      claimed, ended, outcome))

    def add_ticket(self, cid: str | None, channel: str, created: datetime, kind: str = "follow_up",
                   mails: int = 0) -> None:
        """A ticket with its SLA facts: first answer due in 4 business hours, solution in 24 (roughly, in wall
        time here); most are answered and solved in time, some late, the newest still open."""
        rng = self.rng
        self.ticket_number += 1
        first_due, solution_due = created + timedelta(hours=4), created + timedelta(hours=24)
        first_done = created + timedelta(minutes=rng.lognormvariate(4.5, 0.9))
        solved_at = first_done + timedelta(minutes=rng.lognormvariate(6.0, 1.0))
        now = datetime.now(timezone.utc)
        if solved_at > now:
            status, solved_at = "open", None
            first_done = first_done if first_done < now else None
        else:
            status = "closed" if solved_at < now - timedelta(days=7) else "solved"
        values = {"id": str(uuid.uuid4()), "conversation_id": cid, "number": self.ticket_number, "kind": kind,
                  "channel": channel if channel in ("widget", "email") else "widget", "status": status,
                  "owner_id": None, "created_at": created, "updated_at": solved_at or created,
                  "first_response_due_at": first_due, "first_response_at": first_done,
                  "solution_due_at": solution_due, "solved_at": solved_at}
        values["last_article_seq"] = mails
        self.rows["tickets"].append(row_for(tables.tickets, values))
        for seq in range(1, mails + 1):
            article = {"id": str(uuid.uuid4()), "ticket_id": values["id"], "seq": seq, "kind": "customer",
                       "channel": "email", "sender_type": "customer", "text": "…",
                       "created_at": created + timedelta(hours=20 * (seq - 1))}
            self.rows["ticket_articles"].append(row_for(tables.ticket_articles, article))


CONVERSATION_COLUMNS = ("id", "token_hash", "channel", "external_id", "status", "assignee_id", "priority",
                        "waiting_since", "assigned_at", "first_reply_at", "resolved_at", "created_at", "updated_at",
                        "last_seq", "customer_email", "locale")
COLUMNS = {
    "conversations": CONVERSATION_COLUMNS,
    "messages": ("id", "conversation_id", "seq", "client_id", "message_type", "sender_type", "sender_id", "private",
                 "text", "payload", "intent", "confidence", "tone_score", "tone_label", "created_at",
                 "routing_started_at", "routed_at"),
    "handoffs": ("id", "conversation_id", "requested_at", "reasons", "summary", "rolling_tone", "claimed_by",
                 "claimed_at", "ended_at", "outcome"),
    "csat": ("conversation_id", "rating", "comment", "created_at"),
    "csat_surveys": ("conversation_id", "sent_at"),
}


async def load(dsn: str, generator: Generator) -> dict[str, int]:
    connection = await asyncpg.connect(dsn)
    try:
        for table in ("conversations", "messages", "handoffs", "csat", "csat_surveys", "tickets", "ticket_articles"):
            columns = COLUMNS.get(table) or tuple(column.name for column in tables.metadata.tables[table].columns)
            await connection.copy_records_to_table(table, records=generator.rows[table], columns=list(columns))
        # As autovacuum would soon after: statistics, and the visibility map that index-only scans need.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return {table: len(rows) for table, rows in generator.rows.items()}


def _service_context(engine: Any) -> Any:
    from handoff.bus.in_process import InProcessBus, InProcessPresence
    from handoff.services.context import ServiceContext

    # Reports read the database only: no bot is needed.
    return ServiceContext(db=engine, bus=InProcessBus(), presence=InProcessPresence(), bot=None)


async def build_facts(database_url: str, rebuild: bool = False) -> tuple[float, dict[str, Any]]:
    """The report facts, built by the product's own refresh (the first report or the refresh job would)."""
    from handoff.services.report_facts import refresh
    from handoff.store.database import create_engine

    engine = create_engine(database_url)
    try:
        if rebuild:   # forgetting the refresh's state makes it build every fact again, as after new hours
            async with engine.begin() as conn:
                await conn.execute(tables.report_state.delete())
        started = time.perf_counter()
        result = await refresh(_service_context(engine))
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    # As autovacuum would soon after (as after the load): statistics and the visibility map of the new rows.
    connection = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False))
    try:
        for table in ("report_conversations", "report_handoffs", "report_days"):
            await connection.execute(f"VACUUM ANALYZE {table}")   # noqa: S608 - fixed names
    finally:
        await connection.close()
    return seconds, {"rebuilt": result.rebuilt, "conversations": result.conversations, "days": result.days}


async def measure(database_url: str, end: date) -> list[dict[str, Any]]:
    from handoff.services import reports
    from handoff.store.database import create_engine

    engine = create_engine(database_url)
    ctx = _service_context(engine)
    anchor = (end - timedelta(days=3)).isoformat()
    cases = [("day", reports.ReportRequest("day", anchor)), ("week", reports.ReportRequest("week", anchor)),
             # The month before the one the data ends in: a whole month, whatever the day of the run.
             ("month", reports.ReportRequest("month", (end.replace(day=1) - timedelta(days=1)).isoformat())),
             ("year", reports.ReportRequest("custom", first=(end - timedelta(days=DAYS - 1)).isoformat(),
                                            last=end.isoformat()))]
    results = []
    try:
        for name, request in cases:
            for part, call in (("overview", lambda r=request: reports.overview(ctx, r)),
                               ("topics", lambda r=request: reports.topics(ctx, r, []))):
                await call()   # warm: connection pool, plans, caches
                timings = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    answer = await call()
                    timings.append((time.perf_counter() - started) * 1000)
                results.append({"period": name, "part": part, "median_ms": round(statistics.median(timings), 1),
                                "max_ms": round(max(timings), 1), "runs": RUNS,
                                "conversations": answer.get("volume", {}).get("conversations")})
    finally:
        await engine.dispose()
    return results


def write_results(counts: dict[str, int], results: list[dict[str, Any]], seconds: float | None,
                  facts: tuple[float, dict[str, Any]] | None = None) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    # The machine's load average next to the figures: on a shared machine it explains most of their spread.
    data = {"rows": counts, "load_seconds": None if seconds is None else round(seconds, 1),
            "facts_build_seconds": None if facts is None else round(facts[0], 1),
            "facts_build": None if facts is None else facts[1], "results": results,
            "load_average": [round(value, 1) for value in os.getloadavg()],
            "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    json_path = RESULTS_DIR / f"{stamp}-reports.json"
    json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Reports over {counts['conversations']:,} conversations / {counts['messages']:,} messages (PostgreSQL)",
             "", f"Measured {data['measured_at']} (machine load average {data['load_average']}); "
             + (f"data loaded in {data['load_seconds']} s. " if seconds is not None else "data of an earlier run. ")
             + (f"Facts build time {data['facts_build_seconds']} s ({data['facts_build']}). " if facts else "")
             + f"Median and worst of {RUNS} warm runs of the service call (the page makes both calls at once).", "",
             "| period | call | conversations in period | median ms | worst ms |", "|---|---|---|---|---|"]
    for row in results:
        lines.append(f"| {row['period']} | {row['part']} | {row['conversations'] or ''} | {row['median_ms']} | "
                     f"{row['max_ms']} |")
    json_path.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return json_path


async def prepare_database(server_url: str) -> str:
    url = make_url(server_url)
    admin = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        await admin.close()
    return url.set(database=DATABASE_NAME).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default=DEFAULT_SERVER,
                        help=f"a PostgreSQL server; database {DATABASE_NAME} is created there (and replaced)")
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--end", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure-only", action="store_true",
                        help="time the reports over the database a --keep run left (same --end)")
    parser.add_argument("--rebuild-facts", action="store_true",
                        help="with --measure-only: build the report facts again from scratch (and time it)")
    arguments = parser.parse_args()
    if arguments.measure_only:
        database_url = make_url(arguments.server_url).set(database=DATABASE_NAME).render_as_string(
            hide_password=False)
        upgrade(database_url)
        counts = asyncio.run(_counts(database_url))
        facts = asyncio.run(build_facts(database_url, rebuild=arguments.rebuild_facts))
        results = asyncio.run(measure(database_url, arguments.end))
        print(write_results(counts, results, None, facts).with_suffix(".md").read_text(encoding="utf-8"))
        return
    database_url = asyncio.run(prepare_database(arguments.server_url))
    upgrade(database_url)
    started = time.perf_counter()
    generator = Generator(arguments.conversations, arguments.end)
    generator.run()
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    counts = asyncio.run(load(dsn, generator))
    seconds = time.perf_counter() - started
    print(f"loaded {counts} in {seconds:.1f} s")
    facts = asyncio.run(build_facts(database_url))
    print(f"report facts built in {facts[0]:.1f} s: {facts[1]}")
    results = asyncio.run(measure(database_url, arguments.end))
    path = write_results(counts, results, seconds, facts)
    print(path.with_suffix(".md").read_text(encoding="utf-8"))
    if not arguments.keep:
        asyncio.run(_drop(arguments.server_url))


async def _counts(database_url: str) -> dict[str, int]:
    connection = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False))
    try:
        return {table: await connection.fetchval(f"SELECT count(*) FROM {table}")   # noqa: S608 - fixed names
                for table in ("conversations", "messages", "handoffs", "csat", "csat_surveys", "tickets",
                              "ticket_articles")}
    finally:
        await connection.close()


async def _drop(server_url: str) -> None:
    url = make_url(server_url)
    admin = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
    finally:
        await admin.close()


if __name__ == "__main__":
    main()
