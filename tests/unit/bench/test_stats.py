"""Percentiles and spreads of the benchmark harness."""
import pytest

from bench.stats import LatencySummary, LoadRun, Spread, percentile, spread_of_runs, spread_of_samples

pytestmark = pytest.mark.unit


def test_percentile_interpolates_between_closest_ranks_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_does_not_depend_on_input_order():
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0


def test_percentile_rejects_empty_input_and_out_of_range_q():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_summary_of_one_run():
    summary = LatencySummary.of([float(v) for v in range(1, 101)])
    assert summary.count == 100
    assert summary.mean == pytest.approx(50.5)
    assert summary.p50 == pytest.approx(50.5)
    assert summary.p99 == pytest.approx(99.01)
    assert summary.max == 100.0


def test_spread_reports_min_median_max_and_ratio_of_medians():
    spread = Spread.of([3.0, 1.0, 2.0])
    assert (spread.min, spread.median, spread.max, spread.runs) == (1.0, 2.0, 3.0, 3)
    assert spread.ratio_to(Spread.of([4.0])) == pytest.approx(0.5)
    assert spread.ratio_to(Spread.of([0.0])) is None


def test_throughput_counts_answers_per_second_of_the_window():
    run = LoadRun.from_dict({"messages": 50, "errors": 1, "elapsed_seconds": 10.0, "latencies_ms": [1.0] * 50})
    assert run.throughput == pytest.approx(5.0)


def test_spread_of_runs_takes_each_figure_across_runs():
    runs = [LoadRun(messages=n, errors=0, elapsed_seconds=1.0, latencies_ms=tuple([float(n)] * n))
            for n in (10, 30, 20)]
    figures = spread_of_runs(runs)
    assert figures["messages_per_second"].median == 20.0
    assert figures["p99_ms"].min == 10.0 and figures["p99_ms"].max == 30.0


def test_spread_of_samples_summarises_each_sample_run():
    figures = spread_of_samples([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    assert figures["p50_ms"].median == 5.0
    assert figures["max_ms"].max == 9.0
    assert figures["mean_ms"].min == pytest.approx(2.0)
