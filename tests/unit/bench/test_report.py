"""Markdown and JSON reports of the benchmark harness."""
import json

import pytest

from bench.report import render_markdown, spread_text, write_reports

pytestmark = pytest.mark.unit


def spread(median, low=None, high=None, runs=3):
    return {"min": low if low is not None else median, "median": median,
            "max": high if high is not None else median, "runs": runs}


def results():
    entry = {"messages_per_second": spread(12.5, 11.0, 13.25), "p50_ms": spread(40.0), "p95_ms": spread(70.0),
             "p99_ms": spread(90.0), "errors": spread(0.0), "runs": 3}
    return {
        "meta": {"date": "2026-11-23", "commit": "abc1234", "cpus": 2, "load_before": "0.1", "load_after": "0.2",
                 "options": {"quick": False, "repeats": 3}, "command": "python -m bench"},
        "reply": {"a": {"label": "product, widget WebSocket", "by_concurrency": {"8": entry}},
                  "ratios": {"a/c": {"8": {"messages_per_second": 4.2, "p50_ms": 0.5, "p99_ms": None}}}},
        "failures": {"capacity": "ServerFailed: boom"},
    }


def test_spread_text_shows_median_with_range_and_single_runs_plainly():
    assert spread_text(spread(12.5, 11.0, 13.25)) == "12.5 (11.0–13.2)"
    assert spread_text(spread(7.0, runs=1)) == "7.0"
    assert spread_text(None) == "n/a"


def test_markdown_has_method_figures_ratios_targets_and_failures():
    markdown = render_markdown(results())
    assert "abc1234" in markdown and "median (min–max) over 3 runs" in markdown
    assert "| (a) product, widget WebSocket | 8 | 12.5 (11.0–13.2) | 40 | 70 | 90 | 0 |" in markdown
    assert "| a/c | 8 | 4.20 | 0.50 | n/a |" in markdown
    assert "## Targets" in markdown and "not measured" in markdown
    assert "**capacity failed:** `ServerFailed: boom`" in markdown


def test_write_reports_names_files_by_date_and_commit_and_updates_latest(tmp_path):
    path = write_reports(results(), tmp_path)
    assert path.name == "2026-11-23-abc1234.md"
    data = json.loads((tmp_path / "2026-11-23-abc1234.json").read_text())
    assert data["reply"]["a"]["by_concurrency"]["8"]["p99_ms"]["median"] == 90.0
    assert any(check["name"].startswith("(a) throughput") for check in data["checks"])
    assert (tmp_path / "latest.md").read_text() == path.read_text()


def test_store_work_per_message_is_shown_only_for_targets_that_counted_it():
    figures = results()
    assert "Redis commands" not in render_markdown(figures)
    figures["reply"]["e"] = {"label": "product, 2 workers", "by_concurrency": {"8": {
        "messages_per_second": spread(10.0), "redis_commands_per_message": spread(6.5, 6.0, 7.0),
        "pg_transactions_per_message": spread(2.0), "pg_rows_fetched_per_message": spread(11.0),
        "pg_rows_written_per_message": spread(4.0)}}}
    markdown = render_markdown(figures)
    assert "| (e) | 8 | 6.5 (6.0–7.0) | 2.0 | 11.0 | 4.0 |" in markdown
