"""The reply-path chart is a PNG with whatever targets were measured."""
import pytest

from bench.chart import reply_chart

pytestmark = pytest.mark.unit

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_chart_is_written_for_a_subset_of_targets(tmp_path):
    spread = {"min": 1.0, "median": 2.0, "max": 3.0, "runs": 3}
    entry = {"messages_per_second": spread, "p99_ms": spread}
    reply = {"a": {"label": "product", "by_concurrency": {"1": entry, "8": entry}},
             "c": {"label": "rasa init", "by_concurrency": {"1": entry}},
             "ratios": {}}
    path = reply_chart(reply, tmp_path / "chart.png", "test")
    assert path.read_bytes().startswith(PNG_SIGNATURE)
