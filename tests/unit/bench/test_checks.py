"""The issue-7 targets are judged from the figures, including when a figure is missing."""
import pytest

from bench.checks import all_checks, capacity_checks, handoff_checks, reply_checks

pytestmark = pytest.mark.unit


def spread(median):
    return {"min": median, "median": median, "max": median, "runs": 3}


def reply(a_rate, a_p50, a_p99, c_rate, c_p50, d_p50):
    def target(rate, p50, p99):
        return {"label": "x", "by_concurrency": {"8": {"messages_per_second": spread(rate), "p50_ms": spread(p50),
                                                       "p99_ms": spread(p99)}}}
    return {"a": target(a_rate, a_p50, a_p99), "c": target(c_rate, c_p50, c_p50 * 2),
            "d": target(1.0, d_p50, d_p50 * 2)}


def test_reply_targets_met():
    throughput, tail, added = reply_checks(reply(a_rate=40, a_p50=50, a_p99=90, c_rate=10, c_p50=100, d_p50=48))
    assert throughput.met and tail.met and added.met
    assert throughput.measured.startswith("4.00x")


def test_reply_targets_missed():
    throughput, tail, added = reply_checks(reply(a_rate=30, a_p50=60, a_p99=120, c_rate=10, c_p50=100, d_p50=50))
    assert throughput.met is False  # 3x < 4x
    assert tail.met is False  # 120 ms is not below 100 ms
    assert added.met is False  # +20% > +10%


def test_missing_figures_are_reported_as_not_measured():
    checks = reply_checks({})
    assert all(check.met is None and check.measured == "not measured" for check in checks)
    assert all(check.met is None for check in capacity_checks(None, None))


def test_handoff_p99_limit_applies_to_both_setups_and_both_directions():
    figures = {"escalation_ms": {"p99_ms": spread(49.0)}, "agent_reply_ms": {"p99_ms": spread(51.0)}}
    checks = handoff_checks({"single": figures, "two_instances": figures})
    assert [c.met for c in checks] == [True, False, True, False]


def test_capacity_counts_connections_that_survived_the_measurement():
    capacity = {"connected": 2000, "still_open_after_measuring": 1990, "target_connections": 2000,
                "reply_with_idle": {"p99_ms": spread(80.0)}}
    held, latency = capacity_checks(capacity, reply(40, 50, 90, 10, 100, 48))
    assert held.met is False and "1990" in held.measured
    assert latency.met is True


def test_all_checks_cover_every_area():
    names = [check.name for check in all_checks({})]
    assert any("training" in n for n in names) and any("start-up" in n for n in names)
    assert len(names) == 3 + 4 + 1 + 2
