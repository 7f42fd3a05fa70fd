"""The report: JSON (everything measured) and Markdown (tables with method notes), named <date>-<commit>."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from bench.checks import Check, all_checks

LATEST = "latest.md"
DASH = "–"


def spread_text(spread: Mapping[str, float] | None, digits: int = 1) -> str:
    """'median (min–max)'; a single run shows just its value."""
    if not spread:
        return "n/a"
    median = f"{spread['median']:.{digits}f}"
    if spread.get("runs", 1) <= 1 or spread["min"] == spread["max"]:
        return median
    return f"{median} ({spread['min']:.{digits}f}{DASH}{spread['max']:.{digits}f})"


def ratio_text(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def reply_section(reply: Mapping[str, Any]) -> list[str]:
    lines = ["## 1. Bot reply path", "",
             "Closed loop: each virtual customer plays whole German conversations (bench/conversations.py), "
             "sending the next message only after the answer. Latency = message sent → first bot message received "
             "(widget: `event` frame; REST: full HTTP answer). Messages/s = answers received in the window / window.",
             ""]
    rows = []
    for key in ("a", "b", "c", "d", "e"):
        if key not in reply:
            continue
        for concurrency, entry in reply[key]["by_concurrency"].items():
            rows.append([f"({key}) {reply[key]['label']}", concurrency,
                         spread_text(entry.get("messages_per_second")), spread_text(entry.get("p50_ms"), 0),
                         spread_text(entry.get("p95_ms"), 0), spread_text(entry.get("p99_ms"), 0),
                         spread_text(entry.get("errors"), 0), spread_text(entry.get("cpu_ms_per_message"))])
    lines += table(["target", "concurrency", "messages/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                    "server CPU ms/msg"], rows)
    lines += store_work_lines(reply)
    ratio_rows = []
    for name, per_concurrency in reply.get("ratios", {}).items():
        for concurrency, values in per_concurrency.items():
            ratio_rows.append([name, concurrency, ratio_text(values.get("messages_per_second")),
                               ratio_text(values.get("p50_ms")), ratio_text(values.get("p99_ms"))])
    if ratio_rows:
        lines += ["Ratios of the medians:", ""]
        lines += table(["ratio", "concurrency", "messages/s", "p50", "p99"], ratio_rows)
    return lines


def store_work_lines(reply: Mapping[str, Any]) -> list[str]:
    """Redis commands and PostgreSQL transactions/rows per answered message, where a target has shared stores."""
    names = ("redis_commands_per_message", "pg_transactions_per_message", "pg_rows_fetched_per_message",
             "pg_rows_written_per_message")
    rows = [[f"({key})", concurrency] + [spread_text(entry.get(name)) for name in names]
            for key in ("a", "b", "c", "d", "e") if key in reply
            for concurrency, entry in reply[key]["by_concurrency"].items() if entry.get(names[0])]
    if not rows:
        return []
    return ["Work of the shared stores per answered message (warm-up included; Redis `INFO commandstats` counts "
            "the whole Redis server, PostgreSQL `pg_stat_database` the benchmark's own database):", ""] + table(
        ["target", "concurrency", "Redis commands", "PostgreSQL transactions", "rows fetched", "rows written"], rows)


def handoff_section(handoff: Mapping[str, Any]) -> list[str]:
    lines = ["## 2. Handoff latency", "",
             "Escalation: customer sends \"Ich möchte mit einem Mitarbeiter sprechen\" over the widget WebSocket → "
             "`queue_changed` (queued) arrives at a connected agent WebSocket; this includes the bot turn that "
             "decides the handoff. Agent reply: `POST /api/agent/conversations/<id>/messages` sent → `event` at "
             "the customer's WebSocket. `escalation_ack`: until the customer's message is acknowledged (stored); "
             "`queue_after_ack`: from that ack to the agent's queue event (the bot turn, the handoff transaction, "
             "the bus); `agent_after_customer_state`: agent's queue event minus the customer's `queued` state frame "
             "of the same commit (the fan-out alone); `agent_post`: the agent's HTTP request. Latencies in ms.", ""]
    rows = []
    for setup, figures in handoff.items():
        for key in ("escalation_ms", "escalation_ack_ms", "queue_after_ack_ms", "agent_after_customer_state_ms",
                    "agent_reply_ms", "agent_post_ms"):
            if key in figures:
                rows.append([figures["label"], key.removesuffix("_ms"), spread_text(figures[key]["p50_ms"]),
                             spread_text(figures[key]["p99_ms"]), spread_text(figures[key]["max_ms"])])
    return lines + table(["setup", "measure", "p50", "p99", "max"], rows)


def capacity_section(capacity: Mapping[str, Any]) -> list[str]:
    rows = [["connections held", f"{capacity['connected']} of {capacity['target_connections']} "
                                 f"({capacity['failed']} failed, {capacity['still_open_after_measuring']} "
                                 f"still open after measuring)"],
            ["time to open them", f"{capacity['open_seconds']:.1f} s"],
            ["web process RSS before / after", f"{capacity['rss_before_mib']:.0f} / {capacity['rss_after_mib']:.0f} MiB"],
            ["bot process RSS (the Rasa model; not per connection)",
             f"{capacity['bot_process_rss_mib']:.0f} MiB" if capacity.get("bot_process_rss_mib") is not None
             else "n/a"],
            ["memory per connection", f"{capacity['kib_per_connection']:.1f} KiB"
             if capacity.get("kib_per_connection") is not None else "n/a"]]
    for label, key in (("without", "reply_without_idle"), ("with", "reply_with_idle")):
        figures = capacity[key]
        rows.append([f"replies c={capacity['reply_concurrency']} {label} idle connections",
                     f"{spread_text(figures.get('messages_per_second'))} msg/s, p50 "
                     f"{spread_text(figures.get('p50_ms'), 0)} ms, p99 {spread_text(figures.get('p99_ms'), 0)} ms"])
    return ["## 3. Capacity", "", "Idle widget connections (conversation created, WebSocket open, state frame "
            "received) held by one product process (its web process; the bot process beside it holds no connections); "
            "RSS from /proc.", ""] + table(["figure", "value"], rows)


def startup_training_section(startup: Mapping[str, Any] | None, training: Mapping[str, Any] | None) -> list[str]:
    rows = []
    for figures in (startup or {}).values():
        rows.append([f"start-up to first answer: {figures['label']}",
                     f"{spread_text(figures['seconds'])} s ({figures['seconds']['runs']} starts)"])
    if training:
        rows.append(["model size (models/nordwind.tar.gz)", f"{training['product_model_mib']:.1f} MiB"])
        if "rasa_init_model_mib" in training:
            rows.append(["model size (rasa init baseline)", f"{training['rasa_init_model_mib']:.1f} MiB"])
        if "train_seconds" in training:
            rows.append(["rasa train --force (temp copy)", spread_text(training["train_seconds"], 0) + " s"])
    return ["## 4. Training and start-up", ""] + table(["figure", "value"], rows)


def micro_section(micro: Mapping[str, Any]) -> list[str]:
    rows = []
    for variant, figures in micro.items():
        rows.append([variant, "agent.parse_message", spread_text(figures["parse"]["p50_ms"], 2),
                     spread_text(figures["parse"]["p99_ms"], 2)])
        rows.append([variant, f"tone scorer ({figures['tone_source']})", spread_text(figures["tone"]["p50_ms"], 3),
                     spread_text(figures["tone"]["p99_ms"], 3)])
        for name, label in (("as_rasa", "custom action answer check: jsonschema.validate (as Rasa 3.6)"),
                            ("compiled_once", "custom action answer check: validator built once")):
            if name in figures.get("action_validation", {}):
                check = figures["action_validation"][name]
                rows.append([variant, label, spread_text(check["p50_ms"], 3), spread_text(check["p99_ms"], 3)])
    return ["## 5. Microbenchmarks (per message, ms)", ""] + table(["TensorFlow threads", "what", "p50", "p99"], rows)


def profile_section(profile: Mapping[str, Any]) -> list[str]:
    rows = [[name, f"{ms:.2f}"] for name, ms in profile["stages_ms_per_turn"].items()]
    return (["## 6. Where the reply path's time goes", "",
             f"{profile['turns']} turns through `customer_writes` in one process (SQLite, in-process bus); "
             f"turn mean {profile['turn_ms']['mean']:.1f} ms, p50 {profile['turn_ms']['p50']:.1f} ms"
             + (f". SQL statements per turn: {profile['sql_statements_per_turn']:.1f}"
                if "sql_statements_per_turn" in profile else "")
             + ". Stages overlap (a graph node is inside parse_message or predict).", ""]
            + table(["stage (wall clock)", "ms per turn"], rows)
            + ["<details><summary>cProfile, top functions by cumulative time</summary>", "", "```",
               profile["cprofile_top"].strip(), "```", "</details>", ""])


LONG_LABELS = {"rest": "product, REST", "widget": "product, widget", "rasa": "plain `rasa run` (product model), REST",
               "rasa_init": "plain `rasa run` (rasa init model), REST"}


def long_section(long: Mapping[str, Any]) -> list[str]:
    rows = [[LONG_LABELS.get(name, name), str(figures["turns"]), f"{figures['first_median_ms']:.1f}",
             f"{figures['last_median_ms']:.1f}", ratio_text(figures["ratio"]),
             f"{figures['first_cpu_ms_per_message']:.1f} → {figures['last_cpu_ms_per_message']:.1f}"]
            for name, figures in long.items() if isinstance(figures, Mapping)]
    return ["## Long conversations", "",
            "One customer, sequential turns; median turn latency over the first and the last 30 turns, and the "
            "server's CPU ms per message (process time, server and bot process) in the same windows.", ""] + table(
        ["target", "turns", "turns 1–30 p50 ms", "last 30 p50 ms", "last/first", "CPU ms per message"], rows)


def checks_section(checks: list[Check]) -> list[str]:
    rows = [[c.name, c.target, c.measured, {True: "met", False: "**missed**", None: "n/a"}[c.met]] for c in checks]
    return ["## Targets", ""] + table(["target", "goal", "measured", ""], rows)


def render_markdown(results: Mapping[str, Any]) -> str:
    meta = results["meta"]
    lines = [f"# Benchmark report {meta['date']} ({meta['commit']})", "",
             f"Model: models/nordwind.tar.gz ({meta.get('model', 'unknown')}). "
             f"Machine: {meta['cpus']} CPUs, load average before {meta['load_before']}, after {meta['load_after']}. "
             f"Mode: {'quick' if meta['options']['quick'] else 'full'}; figures are median (min{DASH}max) over "
             f"{meta['options']['repeats']} runs unless noted. The run took {meta.get('seconds', 0) / 60:.0f} min. "
             f"Reproduce: `{meta['command']}`.", ""]
    if results.get("chart"):
        lines += [f"![reply path]({results['chart']})", ""]
    lines += checks_section(all_checks(results))
    sections = (("reply", reply_section), ("handoff", handoff_section), ("capacity", capacity_section),
                ("micro", micro_section), ("profile", profile_section), ("long", long_section))
    for key, render in sections:
        if results.get(key):
            lines += render(results[key])
    if results.get("startup") or results.get("training"):
        lines += startup_training_section(results.get("startup"), results.get("training"))
    for name, error in results.get("failures", {}).items():
        lines += [f"**{name} failed:** `{error}`", ""]
    return "\n".join(lines)


def write_reports(results: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{results['meta']['date']}-{results['meta']['commit']}"
    results = {**results, "checks": [c.to_dict() for c in all_checks(results)]}
    (directory / f"{stem}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    markdown = render_markdown(results)
    (directory / f"{stem}.md").write_text(markdown + "\n")
    (directory / LATEST).write_text(markdown + "\n")
    return directory / f"{stem}.md"
