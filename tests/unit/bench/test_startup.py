"""Start-up samples from every benchmark are pooled per kind of server."""
import pytest

from bench.options import options_for
from bench.startup import collect

pytestmark = pytest.mark.unit


def test_collect_pools_samples_from_all_benchmarks():
    results = {"meta": {"date": "x"}, "reply": {"startups": {"product": [20.0], "rasa_init": [12.0]}},
               "handoff": {"startups": {"product": [22.0, 24.0]}}, "failures": {}}
    pooled = collect(results)
    assert pooled["product"]["seconds"] == {"min": 20.0, "median": 22.0, "max": 24.0, "runs": 3}
    assert pooled["rasa_init"]["seconds"]["runs"] == 1
    assert "rasa init" in pooled["rasa_init"]["label"]


def test_quick_mode_is_short_and_overrides_win():
    quick = options_for(True)
    assert quick.quick and quick.duration_seconds < options_for(False).duration_seconds
    assert quick.benchmarks == ("reply",) and quick.reply_targets == ("a", "c")
    assert options_for(True, repeats=5, concurrencies=None).repeats == 5
    assert options_for(True, concurrencies=None).concurrencies == quick.concurrencies
